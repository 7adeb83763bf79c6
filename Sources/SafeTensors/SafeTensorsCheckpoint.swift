import Foundation

/// A checkpoint stored either as one safetensors file or as shards listed by an index
/// (`model.safetensors.index.json` with a `weight_map`), read as one set of tensors.
///
/// Every shard is opened (memory-mapped, header validated) once, when the checkpoint is opened;
/// that costs O(headers), not O(checkpoint size). Immutable, so safe to share between threads.
public final class SafeTensorsCheckpoint: SafeTensorsSource, @unchecked Sendable {
    /// The file the checkpoint was opened from: the single safetensors file or the index.
    public let url: URL
    /// Every tensor name, sorted by UTF-8 bytes.
    public let names: [String]
    /// The opened files, sorted by path: the single file, or every shard the index names.
    public let files: [SafeTensorsFile]

    private let fileForTensor: [String: SafeTensorsFile]

    /// Opens the checkpoint in `directory` the way transformers looks for one: `<baseName>.safetensors`
    /// if it exists, else `<baseName>.safetensors.index.json` and its shards. Use `baseName`
    /// `"adapter_model"` for a PEFT adapter, for instance.
    public convenience init(directory: URL, baseName: String = "model") throws {
        let single = directory.appendingPathComponent(baseName + ".safetensors")
        let index = directory.appendingPathComponent(baseName + ".safetensors.index.json")
        let fileManager = FileManager.default
        if fileManager.fileExists(atPath: single.path) {
            try self.init(url: single)
        } else if fileManager.fileExists(atPath: index.path) {
            try self.init(url: index)
        } else {
            throw SafeTensorsError.invalidCheckpoint(
                path: directory.path,
                problem: "neither \(single.lastPathComponent) nor \(index.lastPathComponent) exists")
        }
    }

    /// Opens a checkpoint from a single `.safetensors` file, or from an index (a `.json` file)
    /// and every shard it names. Throws when a shard is missing or invalid, or when the index
    /// maps a tensor to a shard that does not hold it.
    public init(url: URL) throws {
        self.url = url
        guard url.pathExtension == "json" else {
            let file = try SafeTensorsFile(url: url)
            names = file.names
            files = [file]
            fileForTensor = Dictionary(uniqueKeysWithValues: file.names.map { ($0, file) })
            return
        }
        let index = try CheckpointIndex(contentsOf: url)
        let directory = url.deletingLastPathComponent()
        var fileForShardName: [String: SafeTensorsFile] = [:]
        // Sorted so that errors, and the order of `files`, do not depend on hashing.
        for shardName in Set(index.weightMap.values).sorted(by: bytewiseLess) {
            let shardURL = directory.appendingPathComponent(shardName)
            guard FileManager.default.fileExists(atPath: shardURL.path) else {
                let example = index.weightMap.filter { $0.value == shardName }.keys.sorted(by: bytewiseLess)[0]
                throw SafeTensorsError.invalidCheckpoint(
                    path: url.path,
                    problem: "shard \(shardURL.path) (holding tensor '\(example)') does not exist")
            }
            fileForShardName[shardName] = try SafeTensorsFile(url: shardURL)
        }
        var fileForTensor = [String: SafeTensorsFile](minimumCapacity: index.weightMap.count)
        for (tensor, shardName) in index.weightMap.sorted(by: { bytewiseLess($0.key, $1.key) }) {
            let file = fileForShardName[shardName]!
            guard file.contains(tensor) else {
                throw SafeTensorsError.invalidCheckpoint(
                    path: url.path,
                    problem: "\"weight_map\" puts tensor '\(tensor)' in shard \(file.url.path), which has no tensor of that name")
            }
            fileForTensor[tensor] = file
        }
        self.fileForTensor = fileForTensor
        names = fileForTensor.keys.sorted(by: bytewiseLess)
        files = fileForShardName.keys.sorted(by: bytewiseLess).map { fileForShardName[$0]! }
    }

    /// The file holding a tensor.
    public func file(containing name: String) throws -> SafeTensorsFile {
        guard let file = fileForTensor[name] else {
            throw SafeTensorsError.tensorNotFound(path: url.path, tensor: name)
        }
        return file
    }

    /// Whether the checkpoint holds a tensor of this name.
    public func contains(_ name: String) -> Bool {
        fileForTensor[name] != nil
    }

    /// The dtype, shape and byte range (within its file's data buffer) of a tensor.
    public func info(_ name: String) throws -> TensorInfo {
        try file(containing: name).info(name)
    }

    /// Calls `body` with the tensor's stored bytes (little-endian, row-major, possibly unaligned).
    public func withUnsafeRawBytes<Result>(
        of name: String, _ body: (UnsafeRawBufferPointer) throws -> Result
    ) throws -> Result {
        try file(containing: name).withUnsafeRawBytes(of: name, body)
    }

    /// The tensor's elements widened to `Float` (see `SafeTensorsFile.floats(_:)`).
    public func floats(_ name: String) throws -> [Float] {
        try file(containing: name).floats(name)
    }

    /// Writes the tensor's elements, widened to `Float`, to `destination`, which must have room
    /// for `info(name).elementCount` floats.
    public func copyFloats(_ name: String, into destination: UnsafeMutablePointer<Float>) throws {
        try file(containing: name).copyFloats(name, into: destination)
    }

    /// The tensor's elements widened to `Int64` (see `SafeTensorsFile.int64s(_:)`).
    public func int64s(_ name: String) throws -> [Int64] {
        try file(containing: name).int64s(name)
    }
}
