import Foundation

/// Element-wise conversion kernels between stored tensor bytes and `Float` / `Int64` arrays.
///
/// Stored bytes may be unaligned (a header length that is not a multiple of 8 shifts the whole
/// data buffer), so every load goes through `loadUnaligned`, a plain load on x86-64 and arm64.
enum ElementConversion {
    /// Widens `count` elements of `dtype` at `source` to `Float`s at `destination`
    /// (F64 and integers round to nearest; BOOL gives 0 or 1).
    static func widenToFloat(
        _ source: UnsafeRawPointer, dtype: DType, count: Int,
        into destination: UnsafeMutablePointer<Float>
    ) {
        ParallelLoop.forEachChunk(count: count) { range in
            widenToFloat(source, dtype: dtype, range: range, into: destination)
        }
    }

    /// Narrows `count` floats to `dtype` (F32, F16, BF16 or F64) at `destination`.
    static func narrow(
        _ source: UnsafePointer<Float>, count: Int, to dtype: DType,
        into destination: UnsafeMutableRawPointer
    ) {
        ParallelLoop.forEachChunk(count: count) { range in
            switch dtype {
            case .f32:
                memcpy(destination + range.lowerBound * 4, source + range.lowerBound, range.count * 4)
            case .bf16:
                for index in range {
                    destination.storeBytes(
                        of: FloatConversion.bfloat16Bits(source[index]), toByteOffset: 2 * index, as: UInt16.self)
                }
            case .f16:
                for index in range {
                    destination.storeBytes(
                        of: FloatConversion.float16Bits(source[index]), toByteOffset: 2 * index, as: UInt16.self)
                }
            case .f64:
                for index in range {
                    destination.storeBytes(of: Double(source[index]), toByteOffset: 8 * index, as: Double.self)
                }
            default:
                preconditionFailure("narrow(_:count:to:into:) called with non-float dtype \(dtype)")
            }
        }
    }

    /// Widens `count` integer or BOOL elements to `Int64`s. Returns the index of the first U64
    /// value too large for `Int64`, or nil when every element converted.
    static func widenToInt64(
        _ source: UnsafeRawPointer, dtype: DType, count: Int,
        into destination: UnsafeMutablePointer<Int64>
    ) -> Int? {
        let range = 0..<count
        switch dtype {
        case .i64: memcpy(destination, source, count * 8)
        case .i32: map(source, as: Int32.self, range: range, into: destination) { Int64($0) }
        case .u32: map(source, as: UInt32.self, range: range, into: destination) { Int64($0) }
        case .i16: map(source, as: Int16.self, range: range, into: destination) { Int64($0) }
        case .u16: map(source, as: UInt16.self, range: range, into: destination) { Int64($0) }
        case .i8: map(source, as: Int8.self, range: range, into: destination) { Int64($0) }
        case .u8: map(source, as: UInt8.self, range: range, into: destination) { Int64($0) }
        case .bool: map(source, as: UInt8.self, range: range, into: destination) { $0 == 0 ? 0 : 1 }
        case .u64:
            for index in range {
                let value = source.loadUnaligned(fromByteOffset: 8 * index, as: UInt64.self)
                guard value <= UInt64(Int64.max) else { return index }
                destination[index] = Int64(value)
            }
        case .f8E5M2, .f8E4M3, .f16, .bf16, .f32, .f64:
            preconditionFailure("widenToInt64 called with floating-point dtype \(dtype)")
        }
        return nil
    }

    private static func widenToFloat(
        _ source: UnsafeRawPointer, dtype: DType, range: Range<Int>,
        into destination: UnsafeMutablePointer<Float>
    ) {
        switch dtype {
        case .f32:
            memcpy(destination + range.lowerBound, source + range.lowerBound * 4, range.count * 4)
        case .bf16:
            map(source, as: UInt16.self, range: range, into: destination, FloatConversion.float(bfloat16Bits:))
        case .f16:
            map(source, as: UInt16.self, range: range, into: destination, FloatConversion.float(float16Bits:))
        case .f64: map(source, as: Double.self, range: range, into: destination) { Float($0) }
        case .f8E4M3:
            let table = float8E4M3Table
            map(source, as: UInt8.self, range: range, into: destination) { table[Int($0)] }
        case .f8E5M2:
            map(source, as: UInt8.self, range: range, into: destination, FloatConversion.float(float8E5M2Bits:))
        case .i64: map(source, as: Int64.self, range: range, into: destination) { Float($0) }
        case .u64: map(source, as: UInt64.self, range: range, into: destination) { Float($0) }
        case .i32: map(source, as: Int32.self, range: range, into: destination) { Float($0) }
        case .u32: map(source, as: UInt32.self, range: range, into: destination) { Float($0) }
        case .i16: map(source, as: Int16.self, range: range, into: destination) { Float($0) }
        case .u16: map(source, as: UInt16.self, range: range, into: destination) { Float($0) }
        case .i8: map(source, as: Int8.self, range: range, into: destination) { Float($0) }
        case .u8: map(source, as: UInt8.self, range: range, into: destination) { Float($0) }
        case .bool: map(source, as: UInt8.self, range: range, into: destination) { $0 == 0 ? 0 : 1 }
        }
    }

    /// Every FP8 E4M3FN byte widened, so the hot loop is a table look-up.
    private static let float8E4M3Table: [Float] = (0...255).map { FloatConversion.float(float8E4M3Bits: UInt8($0)) }

    /// Applies `transform` to the elements of type `Element` at `range` of `source`.
    @inline(__always)
    private static func map<Element: BitwiseCopyable, Result>(
        _ source: UnsafeRawPointer, as type: Element.Type, range: Range<Int>,
        into destination: UnsafeMutablePointer<Result>, _ transform: (Element) -> Result
    ) {
        let stride = MemoryLayout<Element>.size
        for index in range {
            destination[index] = transform(source.loadUnaligned(fromByteOffset: index * stride, as: Element.self))
        }
    }
}
