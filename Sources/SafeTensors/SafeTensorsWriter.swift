import Foundation

/// Collects tensors and metadata, then writes them as a safetensors file.
///
/// The layout is the one the Rust `safetensors` crate (behind Python's `save_file`) produces, so
/// the same tensors give byte-identical files: tensors sorted by dtype alignment, largest first,
/// then by name; header members in that order after `__metadata__` (whose keys are sorted);
/// compact JSON padded with spaces to a multiple of 8 bytes, which keeps every tensor aligned
/// to its element size. Files are written atomically.
public struct SafeTensorsWriter {
    /// The header's `__metadata__` map, e.g. `["format": "pt"]` as transformers writes; omitted
    /// from the header when empty.
    public var metadata: [String: String]

    private var tensors: [PendingTensor] = []
    private var names = Set<String>()

    /// Creates a writer with no tensors.
    public init(metadata: [String: String] = [:]) {
        self.metadata = metadata
    }

    /// The names of the tensors added so far, in the order they were added.
    public var tensorNames: [String] { tensors.map(\.name) }

    /// Adds a tensor from its stored bytes (little-endian, row-major).
    public mutating func add(_ name: String, dtype: DType, shape: [Int], bytes: [UInt8]) throws {
        let byteCount = try checkNew(name, dtype: dtype, shape: shape)
        guard bytes.count == byteCount else {
            throw SafeTensorsError.invalidTensorData(
                tensor: name, problem: "shape \(shape) of \(dtype.name) needs \(byteCount) bytes, got \(bytes.count)")
        }
        append(name, dtype: dtype, shape: shape, byteCount: byteCount, content: .bytes(bytes))
    }

    /// Adds a tensor from `Float`s, stored as `dtype` (F32, F16, BF16 — rounded to nearest even — or F64).
    public mutating func add(_ name: String, shape: [Int], floats: [Float], storedAs dtype: DType = .f32) throws {
        try checkFloatStorage(name, dtype: dtype)
        let byteCount = try checkNew(name, dtype: dtype, shape: shape)
        try checkElementCount(name, shape: shape, count: floats.count, byteCount: byteCount, dtype: dtype)
        let bytes = [UInt8](unsafeUninitializedCapacity: byteCount) { buffer, initializedCount in
            if let destination = buffer.baseAddress {
                floats.withUnsafeBufferPointer { source in
                    ElementConversion.narrow(source.baseAddress!, count: source.count, to: dtype, into: destination)
                }
            }
            initializedCount = byteCount
        }
        append(name, dtype: dtype, shape: shape, byteCount: byteCount, content: .bytes(bytes))
    }

    /// Adds an I64 tensor.
    public mutating func add(_ name: String, shape: [Int], int64s: [Int64]) throws {
        let byteCount = try checkNew(name, dtype: .i64, shape: shape)
        try checkElementCount(name, shape: shape, count: int64s.count, byteCount: byteCount, dtype: .i64)
        let bytes = int64s.withUnsafeBytes { [UInt8]($0) }
        append(name, dtype: .i64, shape: shape, byteCount: byteCount, content: .bytes(bytes))
    }

    /// Adds a tensor whose bytes `fill` produces only while the file is written, so that writing a
    /// large model needs memory for one tensor at a time rather than a copy of all of them.
    /// `fill` receives a zeroed buffer of exactly shape × dtype size bytes to fill (little-endian,
    /// row-major); an error it throws aborts the write.
    public mutating func addDeferred(
        _ name: String, dtype: DType, shape: [Int],
        fill: @escaping (UnsafeMutableRawBufferPointer) throws -> Void
    ) throws {
        let byteCount = try checkNew(name, dtype: dtype, shape: shape)
        append(name, dtype: dtype, shape: shape, byteCount: byteCount, content: .deferred(fill))
    }

    /// Adds a tensor whose `Float`s `fill` produces only while the file is written, stored as
    /// `dtype` (F32, F16, BF16 or F64); see `addDeferred(_:dtype:shape:fill:)`.
    public mutating func addDeferred(
        _ name: String, shape: [Int], storedAs dtype: DType = .f32,
        floats fill: @escaping (UnsafeMutableBufferPointer<Float>) throws -> Void
    ) throws {
        try checkFloatStorage(name, dtype: dtype)
        let elementCount = (try checkNew(name, dtype: dtype, shape: shape)) / dtype.byteSize
        try addDeferred(name, dtype: dtype, shape: shape) { bytes in
            let floats = UnsafeMutableBufferPointer<Float>.allocate(capacity: max(elementCount, 1))
            defer { floats.deallocate() }
            let slice = UnsafeMutableBufferPointer(rebasing: floats[0..<elementCount])
            slice.initialize(repeating: 0)
            try fill(slice)
            if let destination = bytes.baseAddress {
                ElementConversion.narrow(floats.baseAddress!, count: elementCount, to: dtype, into: destination)
            }
        }
    }

    /// The complete file contents, built in memory.
    public func serializedBytes() throws -> [UInt8] {
        var sink = ByteArraySink()
        try write(into: &sink)
        return sink.bytes
    }

    /// Writes the file atomically (temporary file in the same directory, `fsync`, rename);
    /// errors name `url`.
    public func write(to url: URL) throws {
        try AtomicFile.write(to: url) { sink in try write(into: &sink) }
    }

    /// The total number of tensor bytes (the size of the data buffer).
    var dataByteCount: Int { tensors.reduce(0) { $0 + $1.byteCount } }

    /// The byte count of each tensor, in the order added.
    var tensorByteCounts: [Int] { tensors.map(\.byteCount) }

    /// A writer with the same metadata holding the tensors at `indices` (in the order added).
    func subset(_ indices: [Int]) -> SafeTensorsWriter {
        var writer = SafeTensorsWriter(metadata: metadata)
        for index in indices {
            writer.tensors.append(tensors[index])
            writer.names.insert(tensors[index].name)
        }
        return writer
    }

    private func write<Sink: ByteSink>(into sink: inout Sink) throws {
        let order = layoutOrder()
        let header = headerBytes(order: order)
        var headerLength = UInt64(header.count).littleEndian
        try withUnsafeBytes(of: &headerLength) { try sink.write($0) }
        try header.withUnsafeBytes { try sink.write($0) }

        let stagingByteCount = tensors.filter(\.isDeferred).map(\.byteCount).max() ?? 0
        let staging = UnsafeMutableRawBufferPointer.allocate(byteCount: max(stagingByteCount, 1), alignment: 64)
        defer { staging.deallocate() }
        for index in order {
            let tensor = tensors[index]
            switch tensor.content {
            case let .bytes(bytes):
                try bytes.withUnsafeBytes { try sink.write($0) }
            case let .deferred(fill):
                let buffer = UnsafeMutableRawBufferPointer(rebasing: staging[0..<tensor.byteCount])
                buffer.initializeMemory(as: UInt8.self, repeating: 0)
                try fill(buffer)
                try sink.write(UnsafeRawBufferPointer(buffer))
            }
        }
    }

    /// Tensor indices sorted as the Rust crate lays them out: dtype alignment descending, then name.
    private func layoutOrder() -> [Int] {
        tensors.indices.sorted { leftIndex, rightIndex in
            let (left, right) = (tensors[leftIndex], tensors[rightIndex])
            if left.dtype.layoutRank != right.dtype.layoutRank {
                return left.dtype.layoutRank > right.dtype.layoutRank
            }
            return bytewiseLess(left.name, right.name)
        }
    }

    /// The header JSON in serde_json's compact form, padded with spaces to a multiple of 8 bytes.
    private func headerBytes(order: [Int]) -> [UInt8] {
        var members: [String] = []
        if !metadata.isEmpty {
            let entries = metadata.sorted { bytewiseLess($0.key, $1.key) }
                .map { jsonQuoted($0.key) + ":" + jsonQuoted($0.value) }
            members.append("\"__metadata__\":{" + entries.joined(separator: ",") + "}")
        }
        var offset = 0
        for index in order {
            let tensor = tensors[index]
            let shape = tensor.shape.map(String.init).joined(separator: ",")
            members.append(jsonQuoted(tensor.name) + ":{\"dtype\":\"\(tensor.dtype.name)\",\"shape\":[\(shape)],"
                + "\"data_offsets\":[\(offset),\(offset + tensor.byteCount)]}")
            offset += tensor.byteCount
        }
        var bytes = Array(("{" + members.joined(separator: ",") + "}").utf8)
        bytes.append(contentsOf: repeatElement(UInt8(ascii: " "), count: (8 - bytes.count % 8) % 8))
        return bytes
    }

    /// Checks that a new tensor can be added and returns its byte count.
    private func checkNew(_ name: String, dtype: DType, shape: [Int]) throws -> Int {
        guard name != "__metadata__" else {
            throw SafeTensorsError.invalidTensorData(tensor: name, problem: "the name is reserved for the metadata")
        }
        guard !names.contains(name) else {
            throw SafeTensorsError.invalidTensorData(tensor: name, problem: "a tensor of this name was already added")
        }
        guard let byteCount = checkedByteCount(shape: shape, dtype: dtype) else {
            throw SafeTensorsError.invalidTensorData(
                tensor: name, problem: "shape \(shape) has a negative dimension or overflows")
        }
        return byteCount
    }

    private func checkFloatStorage(_ name: String, dtype: DType) throws {
        guard [.f32, .f16, .bf16, .f64].contains(dtype) else {
            throw SafeTensorsError.invalidTensorData(
                tensor: name, problem: "floats can be stored as F32, F16, BF16 or F64, not \(dtype.name)")
        }
    }

    private func checkElementCount(_ name: String, shape: [Int], count: Int, byteCount: Int, dtype: DType) throws {
        guard count * dtype.byteSize == byteCount else {
            throw SafeTensorsError.invalidTensorData(
                tensor: name, problem: "shape \(shape) has \(byteCount / dtype.byteSize) elements, got \(count)")
        }
    }

    private mutating func append(_ name: String, dtype: DType, shape: [Int], byteCount: Int, content: PendingTensor.Content) {
        tensors.append(PendingTensor(name: name, dtype: dtype, shape: shape, byteCount: byteCount, content: content))
        names.insert(name)
    }
}

/// A tensor waiting to be written.
private struct PendingTensor {
    enum Content {
        case bytes([UInt8])
        case deferred((UnsafeMutableRawBufferPointer) throws -> Void)
    }

    let name: String
    let dtype: DType
    let shape: [Int]
    let byteCount: Int
    let content: Content

    var isDeferred: Bool {
        if case .deferred = content { return true }
        return false
    }
}
