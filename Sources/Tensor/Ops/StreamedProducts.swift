import CStreamedProducts

/// Products for inference that stream the weights from memory, and `linear` / `embedding` with
/// BF16 or F16 weights (memory-mapped checkpoints; see `TensorStorage.Element`) without an F32
/// copy of the model. 16-bit weights are widened exactly to `Float` as they are read and every
/// sum is accumulated in `Float`, so the results are those of the F32 model whose weights are the
/// 16-bit values. No gradient reaches 16-bit weights.
extension Tensor {
    /// Inputs with at most this many rows (decoding) multiply each weight row in registers as it
    /// streams from memory, which bounds their speed: OpenBLAS 0.3.21's sgemm would first copy
    /// (pack) the whole weight matrix. Longer inputs go to sgemm — for 16-bit weights after
    /// widening the matrix into a buffer, a few percent of the product's time.
    static let streamingRows = 8

    /// y[rows, outFeatures] += x[rows, inFeatures] · Wᵀ, W [outFeatures, inFeatures] in `storage`'s
    /// format, the weight rows split among the threads (each streams its own part).
    static func streamedProduct(_ x: UnsafePointer<Float>, rows: Int, weights storage: TensorStorage,
                                inFeatures: Int, outFeatures: Int, into y: UnsafeMutablePointer<Float>) {
        let format = storage.element.kernelFormat, w = UnsafeRawPointer(storage.base)
        Parallel.forEachChunk(outFeatures, minChunk: max(16, (1 << 15) / max(inFeatures, 1))) { part in
            viral_rows_dot(format, x, inFeatures, rows, w, inFeatures, inFeatures, part.lowerBound, part.upperBound, y,
                           outFeatures)
        }
    }

    /// x·Wᵀ + b for 16-bit W [out, in]; `self` is [..., in].
    func linearHalfPrecision(_ weight: Tensor, bias: Tensor?) -> Tensor {
        let inFeatures = shape[rank - 1], outFeatures = weight.shape[0]
        precondition(weight.shape == [outFeatures, inFeatures], "linear weight \(weight.shape) for input \(shape)")
        precondition(!needsGrad || !GradMode.isEnabled, "16-bit weights are for inference: run under noGrad")
        let rows = count / max(inFeatures, 1)
        let out = Tensor(uninitialized: Array(shape.dropLast()) + [outFeatures])
        let x = data, y = out.data
        out.fill(rows: rows, width: outFeatures, bias: bias)
        if rows <= Self.streamingRows {
            Self.streamedProduct(x, rows: rows, weights: weight.storage, inFeatures: inFeatures, outFeatures: outFeatures, into: y)
            return out
        }
        if weight.storage.element == .bfloat16 && MatmulPrecision.current == .medium && MatmulPrecision.hasBFloat16DotProducts {
            Self.bfloat16Product(x, rows: rows, weights: weight.storage.halfPrecisionBase, inFeatures: inFeatures,
                                 outFeatures: outFeatures, into: y)
            return out
        }
        // One matrix at a time, never the model: the buffer goes back to the pool for the next.
        let widened = TensorStorage(count: weight.count, zeroed: false)
        let w = weight.storage.halfPrecisionBase, format = weight.storage.element.kernelFormat
        Parallel.forEachChunk(weight.count) { part in
            viral_widen(format, w + part.lowerBound, widened.base + part.lowerBound, part.count)
        }
        GEMM.run(transposeA: false, transposeB: true, m: rows, n: outFeatures, k: inFeatures,
                 a: x, lda: inFeatures, b: widened.base, ldb: inFeatures, c: y, ldc: outFeatures, beta: 1)
        return out
    }

    /// Every row of a [rows, width] tensor set to `bias`, or to zeros without one.
    func fill(rows: Int, width: Int, bias: Tensor?) {
        guard let bias else { data.update(repeating: 0, count: rows * width); return }
        precondition(bias.shape == [width], "linear bias \(bias.shape) for \(width) outputs")
        for r in 0..<rows { (data + r * width).update(from: bias.data, count: width) }
    }

    /// Rows `ids` of a 16-bit [vocabulary, width] table, widened.
    func embeddingHalfPrecision(_ ids: [Int]) -> Tensor {
        let rows = shape[0], width = count / max(rows, 1)
        let out = Tensor(uninitialized: [ids.count] + shape.dropFirst())
        let table = storage.halfPrecisionBase, format = storage.element.kernelFormat
        for (k, id) in ids.enumerated() {
            precondition(id >= 0 && id < rows, "row index \(id) out of range 0..<\(rows)")
            viral_widen(format, table + id * width, out.data + k * width, width)
        }
        return out
    }
}

extension TensorStorage.Element {
    /// The C kernels' name for this format.
    var kernelFormat: viral_weight_format {
        switch self {
        case .float32: return VIRAL_FLOAT32
        case .bfloat16: return VIRAL_BFLOAT16
        case .float16: return VIRAL_FLOAT16
        }
    }
}
