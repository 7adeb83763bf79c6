import CBFloat16

/// `linear` and `embedding` with BF16 weights (memory-mapped checkpoints; see
/// `TensorStorage.Element.bfloat16`). The weights are widened exactly to `Float` as they are read
/// and every sum is accumulated in `Float`, so the results are those of the F32 model whose weights
/// are the BF16 values. Inference only: no gradient reaches BF16 weights.
extension Tensor {
    /// Inputs with at most this many rows (decoding) multiply each weight row in registers as it
    /// streams from memory; longer inputs (prefill) widen the weights tile by tile into a buffer
    /// and multiply with `cblas_sgemm`.
    static let bfloat16StreamingRows = 8
    /// Weight rows per widened tile: 128 rows of a 4096-wide matrix are 2 MiB of floats.
    static let bfloat16TileRows = 128

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
        let tile = Self.bfloat16TileRows
        let tiles = (outFeatures + tile - 1) / tile
        Parallel.run(min(Parallel.threads, tiles)) { part in
            let widened = UnsafeMutablePointer<Float>.allocate(capacity: tile * inFeatures)
            defer { widened.deallocate() }
            // Tiles are dealt round-robin so that the threads finish together.
            for index in stride(from: part, to: tiles, by: Parallel.threads) {
                let first = index * tile, width = min(tile, outFeatures - first)
                viral_bf16_widen(w + first * inFeatures, widened, width * inFeatures)
                GEMM.single(false, true, rows, width, inFeatures, 1, x, inFeatures, widened, inFeatures,
                            1, y + first, outFeatures)
            }
        }
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
