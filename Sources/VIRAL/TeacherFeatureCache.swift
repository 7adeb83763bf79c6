import Foundation
import SafeTensors
import Tensor
import Vision

/// Teacher features of every image of a data set, computed once and stored on disk in F16, so a
/// VIRAL step costs little more than a baseline step (the paper's stated limitation, removed).
///
/// Layout: `<directory>/<teacher cache identity>/` holds shards `shard-NNNNN.safetensors`, each a
/// set of tensors named by image key, and `index.json` mapping image key → shard. An image key is
/// the image's path with its size and modification time, so a changed file is recomputed.
public final class TeacherFeatureCache {
    public let directory: URL
    public let teacher: Teacher
    private var index: [String: String]
    private var openShards: [String: SafeTensorsFile] = [:]

    /// Opens (or creates) the cache of `teacher` under `root`.
    public init(root: URL, teacher: Teacher) throws {
        directory = root.appendingPathComponent(teacher.cacheIdentity)
        self.teacher = teacher
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let indexURL = directory.appendingPathComponent("index.json")
        if FileManager.default.fileExists(atPath: indexURL.path) {
            let data = try Data(contentsOf: indexURL)
            guard let decoded = try? JSONDecoder().decode([String: String].self, from: data) else {
                throw CacheError("\(indexURL.path) is not a teacher-cache index; delete the folder to rebuild it")
            }
            index = decoded
        } else {
            index = [:]
        }
    }

    /// The cache key of an image file.
    public static func key(for imagePath: String) -> String {
        let attributes = try? FileManager.default.attributesOfItem(atPath: imagePath)
        let size = (attributes?[.size] as? NSNumber)?.intValue ?? -1
        let modified = (attributes?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
        return "\(imagePath)|\(size)|\(Int(modified * 1000))"
    }

    /// Images whose features are not stored yet.
    public func missing(_ imagePaths: [String]) -> [String] {
        imagePaths.filter { index[Self.key(for: $0)] == nil }
    }

    /// Computes and stores the features of every image not yet cached, `batchSize` at a time;
    /// `progress(done, total)` is called after each batch.
    public func fill(with imagePaths: [String], batchSize: Int = 16, progress: (Int, Int) -> Void = { _, _ in }) throws {
        let todo = Array(Set(missing(imagePaths))).sorted()
        var writer = SafeTensorsWriter(metadata: ["teacher": teacher.cacheIdentity])
        var pending: [String] = []
        for start in stride(from: 0, to: todo.count, by: batchSize) {
            let paths = Array(todo[start..<min(start + batchSize, todo.count)])
            let images = try paths.map { try RGBImage(contentsOfFile: $0) }
            let features = try teacher.features(of: images)
            let perImage = features.count / max(paths.count, 1)
            for (i, path) in paths.enumerated() {
                let values = Array(UnsafeBufferPointer(start: features.data + i * perImage, count: perImage))
                try writer.add(Self.key(for: path), shape: Array(features.shape.dropFirst()), floats: values, storedAs: .f16)
                pending.append(path)
            }
            if pending.count >= 1024 || start + batchSize >= todo.count {
                try flush(&writer, pending: &pending)
            }
            progress(min(start + batchSize, todo.count), todo.count)
        }
    }

    /// Features of the given images, [images, N, d], in order. Every image must be cached.
    public func features(for imagePaths: [String]) throws -> Tensor {
        var rows: [Tensor] = []
        for path in imagePaths {
            let key = Self.key(for: path)
            guard let shardName = index[key] else {
                throw CacheError("no cached teacher features for \(path); run `viral teacher-cache` (or let training fill the cache)")
            }
            let shard = try openShard(shardName)
            let info = try shard.info(key)
            let tensor = Tensor(uninitialized: [1] + info.shape)
            try shard.copyFloats(key, into: tensor.data)
            rows.append(tensor)
        }
        return Tensor.concatenate(rows, axis: 0)
    }

    private func flush(_ writer: inout SafeTensorsWriter, pending: inout [String]) throws {
        guard !pending.isEmpty else { return }
        let shardName = String(format: "shard-%05d.safetensors", Set(index.values).count)
        try writer.write(to: directory.appendingPathComponent(shardName))
        for path in pending { index[Self.key(for: path)] = shardName }
        let data = try JSONEncoder().encode(index)
        let indexURL = directory.appendingPathComponent("index.json")
        let temporary = directory.appendingPathComponent(".index.json.tmp")
        try data.write(to: temporary)
        guard rename(temporary.path, indexURL.path) == 0 else {
            throw CacheError("cannot write \(indexURL.path) (errno \(errno)); check the folder's permissions and free space")
        }
        writer = SafeTensorsWriter(metadata: ["teacher": teacher.cacheIdentity])
        pending.removeAll()
    }

    private func openShard(_ name: String) throws -> SafeTensorsFile {
        if let shard = openShards[name] { return shard }
        let shard = try SafeTensorsFile(url: directory.appendingPathComponent(name))
        openShards[name] = shard
        return shard
    }
}

/// A teacher-cache problem a user can fix.
public struct CacheError: Error, CustomStringConvertible, LocalizedError {
    public let description: String
    init(_ description: String) { self.description = description }
    public var errorDescription: String? { description }
}
