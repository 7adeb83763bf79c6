/// Inlined float math for hot loops: libm calls are 10× slower there and stop vectorisation
/// (DESIGN.md §5). Accuracy is stated per function and checked in `FastMathTests`.
public enum FastMath {
    /// e^x with ≤ 2.5 ulp error; exactly 0 below −87.3 (so e^−∞ = 0), clamped above 88.7.
    @inlinable @inline(__always)
    public static func exp(_ x: Float) -> Float {
        let clamped = Swift.min(Swift.max(x, -87.33654), 88.72284)
        // x = n·ln2 + r with |r| ≤ ln2/2; ln2 split in two for an exact product.
        let n = (clamped * 1.442_695_04 + 12_582_912) - 12_582_912  // round to nearest
        var r = clamped - n * 0.693_359_375
        r = r + n * 2.121_944_4e-4
        // Minimax polynomial for e^r on [−ln2/2, ln2/2] (Cephes expf coefficients).
        var p: Float = 1.987_569_1e-4
        p = p * r + 1.398_199_9e-3
        p = p * r + 8.333_452e-3
        p = p * r + 4.166_579_6e-2
        p = p * r + 0.166_666_66
        p = p * r + 0.5
        p = p * r * r + r + 1
        let scale = Float(bitPattern: UInt32(bitPattern: Int32(n) + 127) << 23)
        return x < -87.33654 ? 0 : p * scale
    }

    /// The error function, absolute error ≤ 2e-7 (Numerical Recipes' Chebyshev fit of erfc,
    /// fractional error < 1.2e-7), enough for GELU parity with PyTorch.
    @inlinable @inline(__always)
    public static func erf(_ x: Float) -> Float {
        let z = Swift.abs(x)
        let t = 1 / (1 + 0.5 * z)
        var p: Float = 0.170_872_77
        p = p * t - 0.822_152_23
        p = p * t + 1.488_515_87
        p = p * t - 1.135_203_98
        p = p * t + 0.278_868_07
        p = p * t - 0.186_288_06
        p = p * t + 0.096_784_18
        p = p * t + 0.374_091_96
        p = p * t + 1.000_023_68
        p = p * t - 1.265_512_23
        let erfc = t * exp(-z * z + p)
        return x < 0 ? erfc - 1 : 1 - erfc
    }

    /// tanh(x) with absolute error ≤ 3e-7: the identity 1 − 2/(e^{2x}+1), with a Taylor form near 0
    /// where that identity loses relative accuracy.
    @inlinable @inline(__always)
    public static func tanh(_ x: Float) -> Float {
        let a = Swift.abs(x)
        if a < 0.0625 {
            let z = x * x
            return x * (1 + z * (-0.333_333_34 + z * (0.133_333_33 + z * -0.053_968_254)))
        }
        let e = exp(2 * Swift.min(a, 10))
        let t = 1 - 2 / (e + 1)
        return x < 0 ? -t : t
    }

    /// The logistic sigmoid 1 / (1 + e^{−x}).
    @inlinable @inline(__always)
    public static func sigmoid(_ x: Float) -> Float { 1 / (1 + exp(-x)) }
}
