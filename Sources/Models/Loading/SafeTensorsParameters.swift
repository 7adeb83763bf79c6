import Foundation
import NN
import SafeTensors

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
}
