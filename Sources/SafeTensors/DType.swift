/// The element type of a tensor, spelled as in a safetensors header (`"F32"`, `"BF16"`, …).
///
/// The cases are declared in the order of the Rust `safetensors` crate's `Dtype` enum (increasing
/// alignment); the writer lays tensors out by that order, descending, exactly as the crate does.
/// The crate's sub-byte and exotic types (`F4`, `F6_*`, `F8_E8M0`, `C64`) are not supported and
/// are reported as unknown.
public enum DType: String, CaseIterable, Sendable {
    case bool = "BOOL"
    case u8 = "U8"
    case i8 = "I8"
    case f8E5M2 = "F8_E5M2"
    case f8E4M3 = "F8_E4M3"
    case i16 = "I16"
    case u16 = "U16"
    case f16 = "F16"
    case bf16 = "BF16"
    case i32 = "I32"
    case u32 = "U32"
    case f32 = "F32"
    case f64 = "F64"
    case i64 = "I64"
    case u64 = "U64"

    /// The number of bytes one element occupies.
    public var byteSize: Int {
        switch self {
        case .bool, .u8, .i8, .f8E5M2, .f8E4M3: return 1
        case .i16, .u16, .f16, .bf16: return 2
        case .i32, .u32, .f32: return 4
        case .f64, .i64, .u64: return 8
        }
    }

    /// Whether the elements are floating-point numbers.
    public var isFloatingPoint: Bool {
        switch self {
        case .f8E5M2, .f8E4M3, .f16, .bf16, .f32, .f64: return true
        case .bool, .u8, .i8, .i16, .u16, .i32, .u32, .i64, .u64: return false
        }
    }

    /// The header spelling of this dtype, e.g. `"BF16"`.
    public var name: String { rawValue }

    /// The position in the Rust crate's `Dtype` order; larger means more strictly aligned.
    var layoutRank: Int { DType.allCases.firstIndex(of: self)! }
}
