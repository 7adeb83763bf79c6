import CHalfPrecision

/// `linear` and `embedding` with BF16 or F16 weights (memory-mapped checkpoints; see
/// `TensorStorage.Element`), without an F32 copy of the model. The weights are widened exactly to
/// `Float` as they are read and every sum is accumulated in `Float`, so the results are those of
/// the F32 model whose weights are the 16-bit values. Inference only: no gradient reaches them.
extension Tensor {
    /// Inputs with at most this many rows (decoding) multiply each weight row in registers as it
    /// streams from memory; longer inputs (prefill) widen the matrix into a buffer and multiply
    /// with sgemm, whose speed then outweighs the widening (a few percent of the product).
    static let halfPrecisionStreamingRows = 8

    /// x·Wᵀ + b for 16-bit W [out, in]; `self` is [..., in].
    func linearHalfPrecision(_ weight: Tensor, bias: Tensor?) -> Tensor {
        let inFeatures = shape[rank - 1], outFeatures = weight.shape[0]
        precondition(weight.shape == [outFeatures, inFeatures], "linear weight \(weight.shape) for input \(shape)")
        precondition(!needsGrad || !GradMode.isEnabled, "16-bit weights are for inference: run under noGrad")
        let rows = count / max(inFeatures, 1)
        let out = Tensor(uninitialized: Array(shape.dropLast()) + [outFeatures])
        let x = data, w = weight.storage.halfPrecisionBase, y = out.data
        let format = weight.storage.element.kernelFormat
        if let bias {
            precondition(bias.shape == [outFeatures], "linear bias \(bias.shape) for \(outFeatures) outputs")
            for r in 0..<rows { (y + r * outFeatures).update(from: bias.data, count: outFeatures) }
        } else {
            y.update(repeating: 0, count: rows * outFeatures)
        }
        if rows <= Self.halfPrecisionStreamingRows {
            // Memory-bound: split the weight rows so every thread streams its own part.
            Parallel.forEachChunk(outFeatures, minChunk: 64) { part in
                viral_half_rows_dot(format, x, rows, w, inFeatures, part.lowerBound, part.upperBound, y, outFeatures)
            }
            return out
        }
        // One matrix at a time, never the model: the buffer goes back to the pool for the next.
        let widened = TensorStorage(count: weight.count, zeroed: false)
        Parallel.forEachChunk(weight.count) { part in
            viral_half_widen(format, w + part.lowerBound, widened.base + part.lowerBound, part.count)
        }
        GEMM.run(transposeA: false, transposeB: true, m: rows, n: outFeatures, k: inFeatures,
                 a: x, lda: inFeatures, b: widened.base, ldb: inFeatures, c: y, ldc: outFeatures, beta: 1)
        return out
    }

    /// Rows `ids` of a 16-bit [vocabulary, width] table, widened.
    func embeddingHalfPrecision(_ ids: [Int]) -> Tensor {
        let rows = shape[0], width = count / max(rows, 1)
        let out = Tensor(uninitialized: [ids.count] + shape.dropFirst())
        let table = storage.halfPrecisionBase, format = storage.element.kernelFormat
        for (k, id) in ids.enumerated() {
            precondition(id >= 0 && id < rows, "row index \(id) out of range 0..<\(rows)")
            viral_half_widen(format, table + id * width, out.data + k * width, width)
        }
        return out
    }
}

extension TensorStorage.Element {
    /// The C kernels' name for a 16-bit format.
    var kernelFormat: viral_half_format { self == .float16 ? VIRAL_FLOAT16 : VIRAL_BFLOAT16 }
}
