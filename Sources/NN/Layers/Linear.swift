import Tensor

/// A fully connected layer y = x·Wᵀ + b (PyTorch weight layout [out, in]), with an optional
/// LoRA adapter added to its output.
public final class Linear: Module {
    public let weight: Tensor
    public let bias: Tensor?
    /// A low-rank adapter, when one is attached (see `LoRA.swift`).
    public var adapter: LoRAAdapter?

    public var inFeatures: Int { weight.shape[1] }
    public var outFeatures: Int { weight.shape[0] }

    /// A layer with weights drawn from N(0, std²) and a zero bias (the initialisation transformers
    /// uses for these models, `initializer_range`).
    public init(inFeatures: Int, outFeatures: Int, bias: Bool, std: Float = 0.02,
                generator: inout RandomGenerator) {
        weight = Tensor.randomNormal([outFeatures, inFeatures], std: std, using: &generator)
        weight.acceptsHalfPrecision = true
        self.bias = bias ? Tensor(zeros: [outFeatures]) : nil
        for p in [weight] + (self.bias.map { [$0] } ?? []) { p.requiresGrad = true }
    }

    public var namedParameters: [NamedParameter] {
        var result: [NamedParameter] = [("weight", weight)]
        if let bias { result.append(("bias", bias)) }
        if let adapter { result += adapter.namedParameters }
        return result
    }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        let base = x.linear(weight, bias: bias)
        guard let adapter, !adapter.isMerged else { return base }
        return base + adapter(x)
    }
}
