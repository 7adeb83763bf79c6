/// What a safetensors header says about one tensor.
public struct TensorInfo: Equatable, Sendable {
    /// The element type.
    public var dtype: DType
    /// The dimensions, outermost first (row-major); empty for a scalar.
    public var shape: [Int]
    /// Where the tensor's bytes lie, relative to the start of the file's data buffer
    /// (the byte after the header).
    public var byteRange: Range<Int>

    /// Creates a description of a tensor.
    public init(dtype: DType, shape: [Int], byteRange: Range<Int>) {
        self.dtype = dtype
        self.shape = shape
        self.byteRange = byteRange
    }

    /// The number of elements (the product of `shape`; 1 for a scalar).
    public var elementCount: Int { shape.reduce(1, *) }

    /// The number of bytes the tensor occupies.
    public var byteCount: Int { byteRange.count }
}

/// The number of bytes a tensor of `shape` and `dtype` occupies, or nil when a dimension is
/// negative or the product (in elements, or in bytes) does not fit in an `Int`.
func checkedByteCount(shape: [Int], dtype: DType) -> Int? {
    var elements = 1
    for dimension in shape {
        guard dimension >= 0 else { return nil }
        let (product, overflow) = elements.multipliedReportingOverflow(by: dimension)
        guard !overflow else { return nil }
        elements = product
    }
    let (bytes, overflow) = elements.multipliedReportingOverflow(by: dtype.byteSize)
    return overflow ? nil : bytes
}
