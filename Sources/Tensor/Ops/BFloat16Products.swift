import CBFloat16

/// `linear` and `embedding` with BF16 weights (memory-mapped checkpoints; see
/// `TensorStorage.Element.bfloat16`), without an F32 copy of the model. The weights are widened
/// exactly to `Float` as they are read and every sum is accumulated in `Float`, so the results are
/// those of the F32 model whose weights are the BF16 values. Inference only: no gradient reaches
/// BF16 weights.
extension Tensor {
    /// Inputs with at most this many rows (decoding) multiply each weight row in registers as it
    /// streams from memory; longer inputs (prefill) widen the matrix into a buffer and multiply
    /// with sgemm, whose speed then outweighs the widening (a few percent of the product).
    static let bfloat16StreamingRows = 8

    /// x·Wᵀ + b for BF16 W [out, in]; `self` is [..., in].
    func linearBFloat16(_ weight: Tensor, bias: Tensor?) -> Tensor {
        let inFeatures = shape[rank - 1], outFeatures = weight.shape[0]
        precondition(weight.shape == [outFeatures, inFeatures], "linear weight \(weight.shape) for input \(shape)")
        precondition(!needsGrad || !GradMode.isEnabled, "BF16 weights are for inference: run under noGrad")
        let rows = count / max(inFeatures, 1)
        let out = Tensor(uninitialized: Array(shape.dropLast()) + [outFeatures])
        let x = data, w = weight.storage.bfloat16Base, y = out.data
        if let bias {
            precondition(bias.shape == [outFeatures], "linear bias \(bias.shape) for \(outFeatures) outputs")
            for r in 0..<rows { (y + r * outFeatures).update(from: bias.data, count: outFeatures) }
        } else {
            y.update(repeating: 0, count: rows * outFeatures)
        }
        if rows <= Self.bfloat16StreamingRows {
            // Memory-bound: split the weight rows so every thread streams its own part.
            Parallel.forEachChunk(outFeatures, minChunk: 64) { part in
                viral_bf16_rows_dot(x, rows, w, inFeatures, part.lowerBound, part.upperBound, y, outFeatures)
            }
            return out
        }
        // One matrix at a time, never the model: the buffer goes back to the pool for the next.
        let widened = TensorStorage(count: weight.count, zeroed: false)
        Parallel.forEachChunk(weight.count) { part in
            viral_bf16_widen(w + part.lowerBound, widened.base + part.lowerBound, part.count)
        }
        GEMM.run(transposeA: false, transposeB: true, m: rows, n: outFeatures, k: inFeatures,
                 a: x, lda: inFeatures, b: widened.base, ldb: inFeatures, c: y, ldc: outFeatures, beta: 1)
        return out
    }

    /// Rows `ids` of a BF16 [vocabulary, width] table, widened.
    func embeddingBFloat16(_ ids: [Int]) -> Tensor {
        let rows = shape[0], width = count / max(rows, 1)
        let out = Tensor(uninitialized: [ids.count] + shape.dropFirst())
        let table = storage.bfloat16Base
        for (k, id) in ids.enumerated() {
            precondition(id >= 0 && id < rows, "row index \(id) out of range 0..<\(rows)")
            viral_bf16_widen(table + id * width, out.data + k * width, width)
        }
        return out
    }
}
