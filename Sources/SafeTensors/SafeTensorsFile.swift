import Foundation

/// A safetensors file, memory-mapped read-only and validated on opening.
///
/// Opening reads only the header (O(header), whatever the file size); tensor bytes are paged in
/// from the mapping when read and are never copied as a whole. The mapping is released when the
/// object is deinitialised, so raw byte views are valid only while it lives. Immutable, so safe to
/// share between threads.
public final class SafeTensorsFile: SafeTensorsSource, @unchecked Sendable {
    /// The file's location.
    public let url: URL
    /// The header's `__metadata__` map (empty when absent), e.g. `["format": "pt"]`.
    public let metadata: [String: String]
    /// Every tensor name, sorted by UTF-8 bytes.
    public let names: [String]

    private let tensors: [String: TensorInfo]
    private let file: MappedFile
    /// The offset of the data buffer in the file: 8 + the header length.
    private let dataOffset: Int

    /// Maps and validates the safetensors file at `url`; throws `SafeTensorsError` naming the file
    /// (and the tensor, where one is at fault) when it cannot be read or is malformed.
    public init(url: URL) throws {
        let path = url.path
        let file = try MappedFile(path: path)
        let bytes = file.bytes
        guard bytes.count >= 8 else {
            throw SafeTensorsError.invalidFile(
                path: path, problem: "the file is \(bytes.count) bytes long, shorter than the 8-byte header length")
        }
        let headerLength = UInt64(littleEndian: bytes.loadUnaligned(as: UInt64.self))
        guard headerLength <= UInt64(SafeTensorsHeader.maximumByteCount) else {
            throw SafeTensorsError.invalidFile(
                path: path,
                problem: "header length \(headerLength) exceeds the \(SafeTensorsHeader.maximumByteCount)-byte limit")
        }
        guard headerLength <= UInt64(bytes.count - 8) else {
            throw SafeTensorsError.invalidFile(
                path: path,
                problem: "header length \(headerLength) runs past the end of the file (\(bytes.count) bytes)")
        }
        let dataOffset = 8 + Int(headerLength)
        let header = try SafeTensorsHeader(
            bytes: UnsafeRawBufferPointer(rebasing: bytes[8..<dataOffset]),
            dataByteCount: bytes.count - dataOffset, path: path)

        self.url = url
        self.file = file
        self.dataOffset = dataOffset
        self.tensors = header.tensors
        self.metadata = header.metadata
        self.names = header.tensors.keys.sorted(by: bytewiseLess)
    }

    /// Whether the file holds a tensor of this name.
    public func contains(_ name: String) -> Bool {
        tensors[name] != nil
    }

    /// The dtype, shape and byte range (relative to the data buffer) of a tensor.
    public func info(_ name: String) throws -> TensorInfo {
        guard let info = tensors[name] else {
            throw SafeTensorsError.tensorNotFound(path: url.path, tensor: name)
        }
        return info
    }

    /// The tensor's stored bytes inside the mapping: valid only while this object lives.
    public func rawBytes(of name: String) throws -> UnsafeRawBufferPointer {
        let range = try info(name).byteRange
        let start = dataOffset + range.lowerBound
        return UnsafeRawBufferPointer(rebasing: file.bytes[start..<(start + range.count)])
    }

    /// Calls `body` with the tensor's stored bytes (little-endian, row-major, possibly unaligned).
    public func withUnsafeRawBytes<Result>(
        of name: String, _ body: (UnsafeRawBufferPointer) throws -> Result
    ) throws -> Result {
        try body(rawBytes(of: name))
    }

    /// The tensor's elements widened to `Float`: exact for F16, BF16 and FP8; F64 and integers
    /// rounded to nearest; BOOL as 0 or 1. Large tensors are converted on all cores.
    public func floats(_ name: String) throws -> [Float] {
        let count = try info(name).elementCount
        guard count > 0 else { return [] }
        return try [Float](unsafeUninitializedCapacity: count) { buffer, initializedCount in
            try copyFloats(name, into: buffer.baseAddress!)
            initializedCount = count
        }
    }

    /// Writes the tensor's elements, widened to `Float` as by `floats(_:)`, to `destination`,
    /// which must have room for `info(name).elementCount` floats.
    public func copyFloats(_ name: String, into destination: UnsafeMutablePointer<Float>) throws {
        let info = try info(name)
        let bytes = try rawBytes(of: name)
        guard let source = bytes.baseAddress else { return }
        ElementConversion.widenToFloat(source, dtype: info.dtype, count: info.elementCount, into: destination)
    }

    /// The tensor's elements widened to `Int64`; throws for floating-point tensors and for U64
    /// values above `Int64.max`.
    public func int64s(_ name: String) throws -> [Int64] {
        let info = try info(name)
        guard !info.dtype.isFloatingPoint else {
            throw SafeTensorsError.unsupportedConversion(
                path: url.path, tensor: name,
                problem: "its dtype \(info.dtype.name) is not an integer type, so it has no Int64 values")
        }
        let count = info.elementCount
        let bytes = try rawBytes(of: name)
        guard count > 0, let source = bytes.baseAddress else { return [] }
        var overflowIndex: Int?
        let values = [Int64](unsafeUninitializedCapacity: count) { buffer, initializedCount in
            overflowIndex = ElementConversion.widenToInt64(
                source, dtype: info.dtype, count: count, into: buffer.baseAddress!)
            initializedCount = overflowIndex == nil ? count : 0
        }
        if let overflowIndex {
            throw SafeTensorsError.unsupportedConversion(
                path: url.path, tensor: name,
                problem: "U64 element \(overflowIndex) is larger than Int64.max")
        }
        return values
    }
}
