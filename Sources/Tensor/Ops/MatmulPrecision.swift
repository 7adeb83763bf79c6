import CStreamedProducts

/// How products with BF16 weights are computed, after PyTorch's
/// `torch.set_float32_matmul_precision`.
public enum MatmulPrecision: String, CaseIterable, Sendable {
    /// Inputs stay `Float`; the weights are widened exactly (the default).
    case highest
    /// Products of more than `Tensor.streamingRows` input rows with BF16 weights round the inputs
    /// to BF16 and sum pairs of BF16 products in `Float` with AVX512-BF16 (`vdpbf16ps`): a
    /// faster prefill (1.3–2× per product in `bench ops`), with the input rounding PyTorch
    /// applies when it runs a BF16 model.
    /// Without AVX512-BF16 on the CPU, the same as `highest`.
    case medium

    nonisolated(unsafe) private static var configured = MatmulPrecision.highest

    /// The precision every product uses from now on.
    public static var current: MatmulPrecision {
        get { configured }
        set { configured = newValue }
    }

    /// Whether this CPU has the dot products `medium` needs.
    public static var hasBFloat16DotProducts: Bool { viral_bfloat16_gemm_available() != 0 }
}

extension Tensor {
    /// y[rows, outFeatures] += x[rows, inFeatures] · Wᵀ for BF16 W [outFeatures, inFeatures] with x
    /// rounded to BF16 (`MatmulPrecision.medium`): x is packed once, then the threads take blocks
    /// of output columns.
    static func bfloat16Product(_ x: UnsafePointer<Float>, rows: Int, weights: UnsafePointer<UInt16>, inFeatures: Int,
                                outFeatures: Int, into y: UnsafeMutablePointer<Float>) {
        let width = viral_bfloat16_packed_width(inFeatures)
        let packed = UnsafeMutablePointer<UInt16>.allocate(capacity: rows * width)
        defer { packed.deallocate() }
        Parallel.forEachChunk(rows, minChunk: 16) { part in
            viral_bfloat16_pack_rows(x + part.lowerBound * inFeatures, inFeatures, part.count, inFeatures,
                                     packed + part.lowerBound * width)
        }
        // Blocks of 128 columns: the kernel packs that many weight columns at a time.
        let blocks = (outFeatures + 127) / 128
        Parallel.forEachChunk(blocks, minChunk: 1) { part in
            viral_bfloat16_gemm(packed, rows, inFeatures, weights, inFeatures, part.lowerBound * 128,
                                min(outFeatures, part.upperBound * 128), y, outFeatures)
        }
    }
}
