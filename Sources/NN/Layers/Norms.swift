import Tensor

/// Layer norm over the last axis with affine weight and bias.
public final class LayerNorm: Module {
    public let weight: Tensor
    public let bias: Tensor
    public let eps: Float

    public init(width: Int, eps: Float) {
        weight = Tensor(repeating: 1, shape: [width], requiresGrad: true)
        bias = Tensor(zeros: [width], requiresGrad: true)
        self.eps = eps
    }

    public var namedParameters: [NamedParameter] { [("weight", weight), ("bias", bias)] }

    public func callAsFunction(_ x: Tensor) -> Tensor { x.layerNorm(weight: weight, bias: bias, eps: eps) }
}

/// RMS norm over the last axis (Llama, Qwen2).
public final class RMSNorm: Module {
    public let weight: Tensor
    public let eps: Float

    public init(width: Int, eps: Float) {
        weight = Tensor(repeating: 1, shape: [width], requiresGrad: true)
        self.eps = eps
    }

    public var namedParameters: [NamedParameter] { [("weight", weight)] }

    public func callAsFunction(_ x: Tensor) -> Tensor { x.rmsNorm(weight: weight, eps: eps) }
}

/// A lookup table of token embeddings [vocabulary, width].
public final class Embedding: Module {
    public let weight: Tensor

    public init(vocabularySize: Int, width: Int, std: Float = 0.02, generator: inout RandomGenerator) {
        weight = Tensor.randomNormal([vocabularySize, width], std: std, using: &generator)
        weight.acceptsHalfPrecision = true
        weight.requiresGrad = true
    }

    public var namedParameters: [NamedParameter] { [("weight", weight)] }

    /// The rows of `ids`, shaped [ids.count, width].
    public func callAsFunction(_ ids: [Int]) -> Tensor { weight.embedding(ids) }
}
