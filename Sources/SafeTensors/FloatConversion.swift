#if _endian(big)
#error("SafeTensors reads and writes little-endian data in place and needs a little-endian host")
#endif

/// Conversions between `Float` and the narrow floating-point formats found in checkpoints.
/// Widening is exact; narrowing rounds to nearest, ties to even, as PyTorch does.
public enum FloatConversion {
    /// The `Float` with the value of a bfloat16 bit pattern (exact: the bits become the upper half).
    @inlinable
    public static func float(bfloat16Bits bits: UInt16) -> Float {
        Float(bitPattern: UInt32(bits) << 16)
    }

    /// The bfloat16 bit pattern nearest to `value`, ties to even, exactly as PyTorch's
    /// `c10::detail::round_to_nearest_even`: finite values too large round to ±infinity, and every
    /// NaN becomes the quiet NaN `0x7FC0`.
    @inlinable
    public static func bfloat16Bits(_ value: Float) -> UInt16 {
        if value.isNaN { return 0x7FC0 }
        let bits = value.bitPattern
        let roundingBias: UInt32 = 0x7FFF + ((bits >> 16) & 1)
        return UInt16(truncatingIfNeeded: (bits &+ roundingBias) >> 16)
    }

    /// The `Float` with the value of an IEEE 754 half-precision bit pattern (exact, NaN payloads
    /// kept). Branch-free integer and float arithmetic, so loops over it vectorise and it is fast
    /// without the F16C instructions.
    @inlinable
    public static func float(float16Bits bits: UInt16) -> Float {
        let shiftedExponentMask: UInt32 = 0x7C00 << 13
        let magnitude = UInt32(bits & 0x7FFF) << 13
        let exponent = magnitude & shiftedExponentMask
        let rebiased = magnitude &+ (127 - 15) << 23
        // Infinity or NaN: push the exponent on to all ones.
        let special = rebiased &+ (128 - 16) << 23
        // Zero or subnormal: add the implicit bit, then subtract it again in float arithmetic,
        // which normalises the value exactly.
        let subnormal = (Float(bitPattern: rebiased &+ 1 << 23) - Float(bitPattern: 113 << 23)).bitPattern
        let result = exponent == shiftedExponentMask ? special : (exponent == 0 ? subnormal : rebiased)
        return Float(bitPattern: result | UInt32(bits & 0x8000) << 16)
    }

    /// The IEEE 754 half-precision bit pattern nearest to `value`, ties to even; values beyond
    /// the half range become ±infinity and NaN stays NaN.
    @inlinable
    public static func float16Bits(_ value: Float) -> UInt16 {
        Float16(value).bitPattern
    }

    /// The `Float` with the value of an FP8 E4M3FN byte (PyTorch `float8_e4m3fn`: bias 7, no
    /// infinities, `S.1111.111` is NaN).
    public static func float(float8E4M3Bits bits: UInt8) -> Float {
        let magnitude = bits & 0x7F
        let sign: Float = bits & 0x80 == 0 ? 1 : -1
        if magnitude == 0x7F { return .nan }
        let exponent = Int(magnitude >> 3)
        let mantissa = Float(magnitude & 0x07)
        if exponent == 0 { return sign * mantissa * 0x1p-9 }
        return sign * (1 + mantissa / 8) * Float(sign: .plus, exponent: exponent - 7, significand: 1)
    }

    /// The `Float` with the value of an FP8 E5M2 byte (PyTorch `float8_e5m2`), which is the upper
    /// byte of an IEEE half.
    @inlinable
    public static func float(float8E5M2Bits bits: UInt8) -> Float {
        float(float16Bits: UInt16(bits) << 8)
    }
}
