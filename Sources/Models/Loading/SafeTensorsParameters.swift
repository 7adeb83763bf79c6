import Foundation
import NN
import SafeTensors
import Tensor

/// A safetensors file or (sharded) checkpoint as a `ParameterSource`.
public final class SafeTensorsParameters: ParameterSource {
    public let storage: SafeTensorsSource
    public let sourceDescription: String

    public init(_ storage: SafeTensorsSource, description: String) {
        self.storage = storage
        sourceDescription = description
    }

    /// Opens `model.safetensors` or `model.safetensors.index.json` in `directory`.
    public convenience init(directory: URL) throws {
        self.init(try SafeTensorsCheckpoint(directory: directory), description: directory.path)
    }

    public var keys: [String] { storage.names }
    public func shape(of key: String) -> [Int]? { storage.contains(key) ? (try? storage.info(key))?.shape : nil }
    public func copyFloats(of key: String, into destination: UnsafeMutablePointer<Float>) throws {
        try storage.copyFloats(key, into: destination)
    }

    /// A view into the mapped file (which it keeps alive) for F32 — and, when allowed, BF16 or
    /// F16 — values that are aligned for their type.
    public func mappedStorage(of key: String, allowingHalfPrecision: Bool) throws -> TensorStorage? {
        let file: SafeTensorsFile
        switch storage {
        case let single as SafeTensorsFile: file = single
        case let sharded as SafeTensorsCheckpoint: file = try sharded.file(containing: key)
        default: return nil
        }
        let info = try file.info(key)
        let element: TensorStorage.Element
        switch info.dtype {
        case .f32: element = .float32
        case .bf16 where allowingHalfPrecision: element = .bfloat16
        case .f16 where allowingHalfPrecision: element = .float16
        default: return nil
        }
        let alignment = element == .float32 ? MemoryLayout<Float>.alignment : MemoryLayout<UInt16>.alignment
        guard let address = try file.rawBytes(of: key).baseAddress, Int(bitPattern: address) % alignment == 0
        else { return nil }
        return TensorStorage(borrowing: address, count: info.elementCount, element: element, owner: file)
    }
}
