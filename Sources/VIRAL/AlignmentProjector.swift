import NN
import Tensor

/// VIRAL's alignment projector Pπ: Linear(D, P) → SiLU → Linear(P, P) → SiLU → Linear(P, d),
/// weights N(0, 0.02), zero biases (official code). Keys follow its `nn.Sequential`: `0`, `2`, `4`.
///
/// It is trained with the decoder's learning rate (the released code froze it by accident).
public final class AlignmentProjector: Module {
    public let first, second, third: Linear

    public init(hiddenSize: Int, projectorSize: Int = 2048, targetSize: Int, generator: inout RandomGenerator) {
        first = Linear(inFeatures: hiddenSize, outFeatures: projectorSize, bias: true, std: 0.02, generator: &generator)
        second = Linear(inFeatures: projectorSize, outFeatures: projectorSize, bias: true, std: 0.02, generator: &generator)
        third = Linear(inFeatures: projectorSize, outFeatures: targetSize, bias: true, std: 0.02, generator: &generator)
    }

    public var namedParameters: [NamedParameter] { prefixed("0", first) + prefixed("2", second) + prefixed("4", third) }

    public func callAsFunction(_ x: Tensor) -> Tensor { third(second(first(x).silu()).silu()) }
}
