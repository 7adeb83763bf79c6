import Foundation
import SafeTensors
import XCTest

/// Exactness of the narrow-float conversions, checked exhaustively where the domain is small and
/// against an independent nearest-value search (in Double) where it is not.
final class FloatConversionTests: XCTestCase {
    /// Every half bit pattern widens to exactly what Swift's `Float16` gives (which on x86-64 Linux
    /// is compiler-rt's `__extendhfsf2`); NaNs stay NaN.
    func testFloat16WideningMatchesSwiftFloat16ForAllPatterns() {
        for bits in 0...UInt16.max {
            let reference = Float(Float16(bitPattern: bits))
            let widened = FloatConversion.float(float16Bits: bits)
            if reference.isNaN {
                XCTAssertTrue(widened.isNaN, "pattern \(bits)")
            } else if widened.bitPattern != reference.bitPattern {
                return XCTFail("pattern \(bits): \(widened) instead of \(reference)")
            }
        }
    }

    /// Every finite or infinite half survives widening and narrowing unchanged.
    func testFloat16RoundTripsForAllNonNaNPatterns() {
        for bits in 0...UInt16.max where !Float16(bitPattern: bits).isNaN {
            let back = FloatConversion.float16Bits(FloatConversion.float(float16Bits: bits))
            if back != bits { return XCTFail("pattern \(bits) came back as \(back)") }
        }
        XCTAssertTrue(FloatConversion.float(float16Bits: FloatConversion.float16Bits(.nan)).isNaN)
    }

    /// Half narrowing rounds to nearest, ties to even, and overflows to infinity.
    func testFloat16NarrowingRoundsToNearestEven() {
        XCTAssertEqual(FloatConversion.float16Bits(1 + 0x1p-11), 0x3C00)  // tie → even (1.0)
        XCTAssertEqual(FloatConversion.float16Bits(1 + 3 * 0x1p-11), 0x3C02)  // tie → even (1 + 2^-9)
        XCTAssertEqual(FloatConversion.float16Bits(1 + 0x1p-11 + 0x1p-20), 0x3C01)  // above the tie
        XCTAssertEqual(FloatConversion.float16Bits(65504), 0x7BFF)  // largest half
        XCTAssertEqual(FloatConversion.float16Bits(65520), 0x7C00)  // tie at the top → infinity
        XCTAssertEqual(FloatConversion.float16Bits(-1e10), 0xFC00)
        XCTAssertEqual(FloatConversion.float16Bits(0x1p-24), 0x0001)  // smallest subnormal
        XCTAssertEqual(FloatConversion.float16Bits(0x1p-25), 0x0000)  // tie → even (zero)
        XCTAssertEqual(FloatConversion.float16Bits(3 * 0x1p-25), 0x0002)  // tie → even
        XCTAssertEqual(FloatConversion.float16Bits(-0.0), 0x8000)
    }

    func testBFloat16WideningIsTheUpperHalf() {
        XCTAssertEqual(FloatConversion.float(bfloat16Bits: 0x3F80), 1)
        XCTAssertEqual(FloatConversion.float(bfloat16Bits: 0xC040), -3)
        XCTAssertEqual(FloatConversion.float(bfloat16Bits: 0x7F80), .infinity)
        XCTAssertEqual(FloatConversion.float(bfloat16Bits: 0x0001), Float(bitPattern: 0x0001_0000))
        XCTAssertTrue(FloatConversion.float(bfloat16Bits: 0x7FC1).isNaN)
    }

    /// Known cases of PyTorch's round_to_nearest_even, including its NaN handling.
    func testBFloat16NarrowingKnownCases() {
        XCTAssertEqual(FloatConversion.bfloat16Bits(1), 0x3F80)
        XCTAssertEqual(FloatConversion.bfloat16Bits(1 + 0x1p-8), 0x3F80)  // tie → even
        XCTAssertEqual(FloatConversion.bfloat16Bits(1 + 3 * 0x1p-8), 0x3F82)  // tie → even
        XCTAssertEqual(FloatConversion.bfloat16Bits(1 + 0x1p-8 + 0x1p-20), 0x3F81)
        XCTAssertEqual(FloatConversion.bfloat16Bits(.greatestFiniteMagnitude), 0x7F80)  // rounds up to infinity
        XCTAssertEqual(FloatConversion.bfloat16Bits(-.infinity), 0xFF80)
        XCTAssertEqual(FloatConversion.bfloat16Bits(-0.0), 0x8000)
        XCTAssertEqual(FloatConversion.bfloat16Bits(.nan), 0x7FC0)
        XCTAssertEqual(FloatConversion.bfloat16Bits(-Float.nan), 0x7FC0)
        XCTAssertEqual(FloatConversion.bfloat16Bits(Float(bitPattern: 0x7F80_0001)), 0x7FC0)  // signalling NaN stays NaN
    }

    /// For a million random bit patterns the result is the nearest BF16 value (ties to the even
    /// mantissa), found independently by comparing distances to both neighbours in Double.
    func testBFloat16NarrowingIsNearestEvenForRandomPatterns() {
        var generator = SplitMix64(seed: 42)
        for _ in 0..<1_000_000 {
            let value = Float(bitPattern: UInt32(truncatingIfNeeded: generator.next()))
            guard value.isFinite else { continue }
            let bits = FloatConversion.bfloat16Bits(value)
            let truncated = UInt16(value.bitPattern >> 16)
            let candidates = [truncated, truncated &+ 1]  // the neighbours below and above in magnitude
            let distances = candidates.map { candidate -> Double in
                let widened = Double(FloatConversion.float(bfloat16Bits: candidate))
                return widened.isFinite ? abs(widened - Double(value)) : abs(0x1p128 - abs(Double(value)))
            }
            let expected: UInt16
            if distances[0] != distances[1] {
                expected = distances[0] < distances[1] ? candidates[0] : candidates[1]
            } else {
                expected = candidates[0] & 1 == 0 ? candidates[0] : candidates[1]
            }
            if bits != expected { return XCTFail("\(value): got \(bits), expected \(expected)") }
        }
    }

    /// FP8 values from the OCP 8-bit floating point specification tables.
    func testFloat8KnownValues() {
        XCTAssertEqual(FloatConversion.float(float8E4M3Bits: 0x38), 1)
        XCTAssertEqual(FloatConversion.float(float8E4M3Bits: 0xB8), -1)
        XCTAssertEqual(FloatConversion.float(float8E4M3Bits: 0x7E), 448)  // largest E4M3FN
        XCTAssertEqual(FloatConversion.float(float8E4M3Bits: 0x01), 0x1p-9)  // smallest subnormal
        XCTAssertEqual(FloatConversion.float(float8E4M3Bits: 0x08), 0x1p-6)  // smallest normal
        XCTAssertEqual(FloatConversion.float(float8E4M3Bits: 0x80).bitPattern, (-0.0 as Float).bitPattern)
        XCTAssertTrue(FloatConversion.float(float8E4M3Bits: 0x7F).isNaN)
        XCTAssertTrue(FloatConversion.float(float8E4M3Bits: 0xFF).isNaN)
        XCTAssertEqual(FloatConversion.float(float8E5M2Bits: 0x3C), 1)
        XCTAssertEqual(FloatConversion.float(float8E5M2Bits: 0x7B), 57344)  // largest E5M2
        XCTAssertEqual(FloatConversion.float(float8E5M2Bits: 0x01), 0x1p-16)
        XCTAssertEqual(FloatConversion.float(float8E5M2Bits: 0x7C), .infinity)
        XCTAssertTrue(FloatConversion.float(float8E5M2Bits: 0x7D).isNaN)
    }
}
