import Tensor

/// A LoRA adapter (Hu et al. 2021, PEFT layout): adds scale · dropout(x)·Aᵀ·Bᵀ to a linear
/// layer's output, scale = alpha / rank. A starts as PEFT's Kaiming-uniform, B at zero, so an
/// attached adapter leaves the model unchanged until trained.
public final class LoRAAdapter: Module {
    /// [rank, in] — PEFT `lora_A.weight`.
    public let a: Tensor
    /// [out, rank] — PEFT `lora_B.weight`.
    public let b: Tensor
    public let rank: Int
    public let alpha: Float
    public let dropout: Float
    /// Dropout applies only while training.
    public var isTraining = true
    /// True while the adapter's product is folded into the base weight.
    public internal(set) var isMerged = false
    /// The dropout mask generator (saved in training checkpoints so a resumed run draws the same masks).
    public var generator: RandomGenerator

    public var scale: Float { alpha / Float(rank) }

    public init(inFeatures: Int, outFeatures: Int, rank: Int, alpha: Float, dropout: Float,
                generator: inout RandomGenerator) {
        let bound = 1 / Float(inFeatures).squareRoot()
        a = Tensor.randomUniform([rank, inFeatures], low: -bound, high: bound, using: &generator)
        b = Tensor(zeros: [outFeatures, rank])
        a.requiresGrad = true
        b.requiresGrad = true
        self.rank = rank
        self.alpha = alpha
        self.dropout = dropout
        self.generator = RandomGenerator(seed: generator.next())
    }

    public var namedParameters: [NamedParameter] { [("lora_A.weight", a), ("lora_B.weight", b)] }

    /// The adapter's contribution for input `x` [..., in].
    public func callAsFunction(_ x: Tensor) -> Tensor {
        let input = isTraining && dropout > 0 ? x.dropout(probability: dropout, using: &generator) : x
        return input.linear(a).linear(b).scaled(by: scale)
    }
}

extension Linear {
    /// Attaches a fresh adapter (replacing any previous one).
    public func attachAdapter(rank: Int, alpha: Float, dropout: Float, generator: inout RandomGenerator) {
        adapter = LoRAAdapter(inFeatures: inFeatures, outFeatures: outFeatures, rank: rank, alpha: alpha,
                              dropout: dropout, generator: &generator)
    }

    /// Folds the adapter into the weight: W += scale·B·A. The adapter then stops contributing
    /// separately until `unmergeAdapter()`.
    public func mergeAdapter() {
        guard let adapter, !adapter.isMerged else { return }
        addAdapterProduct(adapter, sign: 1)
        adapter.isMerged = true
    }

    /// Undoes `mergeAdapter()`: W −= scale·B·A.
    public func unmergeAdapter() {
        guard let adapter, adapter.isMerged else { return }
        addAdapterProduct(adapter, sign: -1)
        adapter.isMerged = false
    }

    private func addAdapterProduct(_ adapter: LoRAAdapter, sign: Float) {
        GEMM.run(transposeA: false, transposeB: false, m: outFeatures, n: inFeatures, k: adapter.rank,
                 a: adapter.b.data, lda: adapter.rank, b: adapter.a.data, ldb: inFeatures,
                 c: weight.data, ldc: inFeatures, beta: 1, alpha: sign * adapter.scale)
    }
}
