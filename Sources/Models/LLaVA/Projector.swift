import NN
import Tensor

/// The multimodal projector's architecture (LLaVA `mm_projector_type`).
public enum ProjectorKind: String, Sendable {
    /// One linear layer (LLaVA-1.0).
    case linear
    /// Linear → GELU(erf) → Linear (LLaVA-1.5).
    case mlp2xGelu = "mlp2x_gelu"
}

/// Maps vision features to the decoder width. Keys follow llava-hf (`linear_1`, `linear_2`).
public final class Projector: Module {
    public let kind: ProjectorKind
    public let linear1: Linear
    public let linear2: Linear?

    public init(kind: ProjectorKind, inFeatures: Int, outFeatures: Int, bias: Bool = true, generator: inout RandomGenerator) {
        self.kind = kind
        linear1 = Linear(inFeatures: inFeatures, outFeatures: outFeatures, bias: bias, generator: &generator)
        linear2 = kind == .mlp2xGelu ? Linear(inFeatures: outFeatures, outFeatures: outFeatures, bias: bias, generator: &generator) : nil
    }

    public var namedParameters: [NamedParameter] { prefixed("linear_1", linear1) + prefixed("linear_2", linear2) }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        guard let linear2 else { return linear1(x) }
        return linear2(linear1(x).gelu())
    }
}
