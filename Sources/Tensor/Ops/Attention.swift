/// Fused scaled-dot-product attention with causal and key-padding masks and grouped KV heads.
///
/// Works directly on the projection layout [batch, tokens, heads·headDim] (GEMM leading
/// dimensions skip over the other heads), so no permute copies are needed before or after.
public struct AttentionMask: Sendable {
    /// Query t (absolute position `keyCount − queryCount + t`) sees only keys at or before it.
    public var causal: Bool
    /// Per batch row, which keys may be attended (true = visible); nil = all.
    public var keyIsVisible: [[Bool]]?

    public init(causal: Bool, keyIsVisible: [[Bool]]? = nil) {
        self.causal = causal
        self.keyIsVisible = keyIsVisible
    }

    public static let none = AttentionMask(causal: false)
    public static let causal = AttentionMask(causal: true)
}

extension Tensor {
    /// softmax(Q·Kᵀ·scale + mask)·V for `query` [B, T, heads·d] and `key`/`value`
    /// [B, S, kvHeads·d]; query head h reads KV head h / (heads / kvHeads).
    /// Returns [B, T, heads·d] and, when `keepingWeights`, the weights [B, heads, T, S].
    public static func attention(query: Tensor, key: Tensor, value: Tensor, heads: Int, kvHeads: Int,
                                 mask: AttentionMask, scale: Float? = nil,
                                 keepingWeights: Bool = false) -> (output: Tensor, weights: Tensor?) {
        let batch = query.shape[0], t = query.shape[1], s = key.shape[1]
        let qWidth = query.shape[2], kvWidth = key.shape[2], d = qWidth / heads
        precondition(query.rank == 3 && key.rank == 3 && value.shape == key.shape && key.shape[0] == batch,
                     "attention shapes q \(query.shape) k \(key.shape) v \(value.shape)")
        precondition(d * heads == qWidth && d * kvHeads == kvWidth && heads % kvHeads == 0,
                     "attention: \(heads) heads / \(kvHeads) kv heads for widths \(qWidth), \(kvWidth)")
        let scale = scale ?? 1 / Float(d).squareRoot()
        let recording = GradMode.isEnabled && (query.needsGrad || key.needsGrad || value.needsGrad)
        // Probabilities of every (batch, head): kept for backward or on request.
        let weights = Tensor(uninitialized: [batch, heads, t, s])
        let out = Tensor(uninitialized: [batch, t, qWidth])
        let q = query.data, k = key.data, v = value.data, p = weights.data
        let geometry = AttentionGeometry(batch: batch, queries: t, keys: s, heads: heads, kvHeads: kvHeads,
                                         headDim: d, keyBatchStride: s * kvWidth)
        geometry.forward(query: q, key: k, value: v, mask: mask, scale: scale, probabilities: p, output: out.data)
        guard recording else { return (out, keepingWeights ? weights : nil) }
        out.recorded(from: [query, key, value]) { out in
            geometry.backward(query: q, key: k, value: v, probabilities: p, outputGradient: out.grad!.data, scale: scale,
                              queryGradient: query.needsGrad ? query.gradBuffer() : nil,
                              keyGradient: key.needsGrad ? key.gradBuffer() : nil,
                              valueGradient: value.needsGrad ? value.gradBuffer() : nil)
            _ = weights  // keeps the probabilities alive until backward has run
        }
        return (out, keepingWeights ? weights : nil)
    }
}

/// Sizes and strides of one attention call, and its forward and backward passes on raw buffers
/// (the forward is shared by the autograd op and the KV-cached inference path, whose keys sit in a
/// larger preallocated buffer).
public struct AttentionGeometry {
    public let batch, queries, keys, heads, kvHeads, headDim: Int
    /// Floats between consecutive batch rows of the key and value buffers.
    public let keyBatchStride: Int

    public init(batch: Int, queries: Int, keys: Int, heads: Int, kvHeads: Int, headDim: Int, keyBatchStride: Int) {
        self.batch = batch
        self.queries = queries
        self.keys = keys
        self.heads = heads
        self.kvHeads = kvHeads
        self.headDim = headDim
        self.keyBatchStride = keyBatchStride
    }

    /// Writes softmax(Q·Kᵀ·scale + mask) into `probabilities` [batch, heads, queries, keys] and
    /// its product with V into `output` [batch, queries, heads·headDim].
    ///
    /// The (batch row, head) pairs run side by side, each with single-threaded GEMMs: one head's
    /// products are too small to split well across threads.
    public func forward(query q: UnsafePointer<Float>, key k: UnsafePointer<Float>, value v: UnsafePointer<Float>,
                        mask: AttentionMask, scale: Float, probabilities p: UnsafeMutablePointer<Float>,
                        output o: UnsafeMutablePointer<Float>) {
        let (t, s, d) = (queries, keys, headDim)
        let qWidth = heads * d, kvWidth = kvHeads * d, group = heads / kvHeads
        Parallel.forEachChunk(batch * heads, minChunk: itemsPerThread) { items in
            for item in items {
                let b = item / heads, h = item % heads, kvh = h / group
                let qbh = q + b * t * qWidth + h * d
                let kbh = k + b * keyBatchStride + kvh * d
                let vbh = v + b * keyBatchStride + kvh * d
                let pbh = p + item * t * s
                GEMM.run(transposeA: false, transposeB: true, m: t, n: s, k: d, a: qbh, lda: qWidth,
                         b: kbh, ldb: kvWidth, c: pbh, ldc: s, beta: 0, alpha: scale, threads: 1)
                normalise(scores: pbh, batchRow: b, mask: mask)
                GEMM.run(transposeA: false, transposeB: false, m: t, n: d, k: s, a: pbh, lda: s,
                         b: vbh, ldb: kvWidth, c: o + b * t * qWidth + h * d, ldc: qWidth, beta: 0, threads: 1)
            }
        }
    }

    /// Turns the scores [queries, keys] of one head of batch row `batchRow` into probabilities in
    /// place: keys the mask hides get probability 0 and each row's softmax runs over the keys it sees.
    func normalise(scores: UnsafeMutablePointer<Float>, batchRow: Int, mask: AttentionMask) {
        let (t, s) = (queries, keys), visible = mask.keyIsVisible?[batchRow]
        for i in 0..<t {
            // Keys after `seen` are masked (causal): their probabilities are 0 and the softmax
            // runs over the keys before.
            let row = scores + i * s
            let seen = mask.causal ? max(0, min(s, s - t + i + 1)) : s
            if let visible { for j in 0..<seen where !visible[j] { row[j] = -.infinity } }
            Softmax.rowInPlace(row, seen)
            (row + seen).update(repeating: 0, count: s - seen)
        }
    }

    /// Adds the gradients of `forward` for output gradient `g`: dV += Pᵀ·dO; dP = dO·Vᵀ;
    /// dS = P ∘ (dP − rowsum(dP ∘ P)) · scale; dQ += dS·K; dK += dSᵀ·Q.
    ///
    /// Work items are (batch row, KV head): the query heads sharing a KV head add into the same
    /// dK and dV columns, so they run in one item, one after the other.
    func backward(query q: UnsafePointer<Float>, key k: UnsafePointer<Float>, value v: UnsafePointer<Float>,
                  probabilities p: UnsafePointer<Float>, outputGradient g: UnsafePointer<Float>, scale: Float,
                  queryGradient gq: UnsafeMutablePointer<Float>?, keyGradient gk: UnsafeMutablePointer<Float>?,
                  valueGradient gv: UnsafeMutablePointer<Float>?) {
        let (t, s, d) = (queries, keys, headDim)
        let qWidth = heads * d, kvWidth = kvHeads * d, group = heads / kvHeads
        Parallel.forEachChunk(batch * kvHeads, minChunk: itemsPerThread) { items in
            let dP = UnsafeMutablePointer<Float>.allocate(capacity: max(t * s, 1))
            defer { dP.deallocate() }
            for item in items {
                let b = item / kvHeads, kvh = item % kvHeads
                let kvOffset = b * keyBatchStride + kvh * d
                for h in (kvh * group)..<((kvh + 1) * group) {
                    let qOffset = b * t * qWidth + h * d
                    let pbh = p + (b * heads + h) * t * s, gbh = g + qOffset
                    if let gv {
                        GEMM.run(transposeA: true, transposeB: false, m: s, n: d, k: t, a: pbh, lda: s,
                                 b: gbh, ldb: qWidth, c: gv + kvOffset, ldc: kvWidth, beta: 1, threads: 1)
                    }
                    guard gq != nil || gk != nil else { continue }
                    GEMM.run(transposeA: false, transposeB: true, m: t, n: s, k: d, a: gbh, lda: qWidth,
                             b: v + kvOffset, ldb: kvWidth, c: dP, ldc: s, beta: 0, threads: 1)
                    for i in 0..<t {
                        let pr = pbh + i * s, dr = dP + i * s
                        let dot = RowReduction.dot(pr, dr, s)
                        for j in 0..<s { dr[j] = pr[j] * (dr[j] - dot) * scale }
                    }
                    if let gq {
                        GEMM.run(transposeA: false, transposeB: false, m: t, n: d, k: s, a: dP, lda: s,
                                 b: k + kvOffset, ldb: kvWidth, c: gq + qOffset, ldc: qWidth, beta: 1, threads: 1)
                    }
                    if let gk {
                        GEMM.run(transposeA: true, transposeB: false, m: s, n: d, k: t, a: dP, lda: s,
                                 b: q + qOffset, ldb: qWidth, c: gk + kvOffset, ldc: kvWidth, beta: 1, threads: 1)
                    }
                }
            }
        }
    }

    /// Items per thread at least, so that a chunk holds ≳ 64 K multiply-adds (tiny decoding steps
    /// are not worth waking a thread for).
    var itemsPerThread: Int { max(1, (1 << 16) / max(queries * keys * headDim, 1)) }
}
