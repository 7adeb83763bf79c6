import Foundation

extension SafeTensorsWriter {
    /// Writes the tensors as a Hugging Face checkpoint in `directory`, split as transformers and
    /// huggingface_hub split state dicts: tensors in the order added, a new shard whenever the
    /// next tensor would push the current one past `maxShardByteCount`, and a tensor larger than
    /// that alone in its own shard. One shard is written as `<baseName>.safetensors`; several as
    /// `<baseName>-00001-of-0000N.safetensors` plus `<baseName>.safetensors.index.json`. Every
    /// shard carries this writer's metadata and is written atomically, the index last. Files of a
    /// previous checkpoint with the same base name that are not part of this one are removed.
    /// Returns the files written.
    @discardableResult
    public func writeCheckpoint(
        to directory: URL, baseName: String = "model", maxShardByteCount: Int = 5_000_000_000
    ) throws -> [URL] {
        guard maxShardByteCount > 0 else {
            throw SafeTensorsError.invalidCheckpoint(
                path: directory.path, problem: "the maximum shard size \(maxShardByteCount) is not positive")
        }
        let shards = shardPlan(maxShardByteCount: maxShardByteCount)
        var written: [URL] = []
        if shards.count <= 1 {
            let url = directory.appendingPathComponent(baseName + ".safetensors")
            try write(to: url)
            written.append(url)
        } else {
            var weightMap: [String: String] = [:]
            let names = tensorNames
            for (shardIndex, tensorIndices) in shards.enumerated() {
                let fileName = Self.shardFileName(baseName: baseName, number: shardIndex + 1, of: shards.count)
                let url = directory.appendingPathComponent(fileName)
                try subset(tensorIndices).write(to: url)
                written.append(url)
                for index in tensorIndices { weightMap[names[index]] = fileName }
            }
            let indexURL = directory.appendingPathComponent(baseName + ".safetensors.index.json")
            let text = CheckpointIndex.jsonText(weightMap: weightMap, totalSize: dataByteCount)
            try AtomicFile.write(to: indexURL) { sink in
                try Array(text.utf8).withUnsafeBytes { try sink.write($0) }
            }
            written.append(indexURL)
        }
        try removeStaleCheckpointFiles(in: directory, baseName: baseName, keeping: Set(written.map(\.lastPathComponent)))
        return written
    }

    /// Groups tensor indices into shards with huggingface_hub's `split_state_dict_into_shards_factory` rule.
    private func shardPlan(maxShardByteCount: Int) -> [[Int]] {
        var shards: [[Int]] = []
        var current: [Int] = []
        var currentByteCount = 0
        for (index, byteCount) in tensorByteCounts.enumerated() {
            if byteCount > maxShardByteCount {
                shards.append([index])
                continue
            }
            if currentByteCount + byteCount > maxShardByteCount {
                shards.append(current)
                current = []
                currentByteCount = 0
            }
            current.append(index)
            currentByteCount += byteCount
        }
        if !current.isEmpty { shards.append(current) }
        return shards
    }

    private static func shardFileName(baseName: String, number: Int, of count: Int) -> String {
        func fiveDigits(_ value: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, 5 - digits.count)) + digits
        }
        return "\(baseName)-\(fiveDigits(number))-of-\(fiveDigits(count)).safetensors"
    }

    /// Removes `<baseName>.safetensors`, `<baseName>.safetensors.index.json` and
    /// `<baseName>-NNNNN-of-NNNNN.safetensors` files not in `keeping`, so that no loader can pick
    /// up a mix of the old and the new checkpoint.
    private func removeStaleCheckpointFiles(in directory: URL, baseName: String, keeping: Set<String>) throws {
        let fileManager = FileManager.default
        let contents: [String]
        do {
            contents = try fileManager.contentsOfDirectory(atPath: directory.path)
        } catch {
            throw SafeTensorsError.fileSystem(path: directory.path, operation: "list", reason: error.localizedDescription)
        }
        for fileName in contents where !keeping.contains(fileName) {
            guard fileName == baseName + ".safetensors" || fileName == baseName + ".safetensors.index.json"
                || Self.isShardFileName(fileName, baseName: baseName)
            else { continue }
            let path = directory.appendingPathComponent(fileName).path
            do {
                try fileManager.removeItem(atPath: path)
            } catch {
                throw SafeTensorsError.fileSystem(
                    path: path, operation: "remove the stale checkpoint file", reason: error.localizedDescription)
            }
        }
    }

    /// Whether `fileName` is `<baseName>-DDDDD-of-DDDDD.safetensors`.
    private static func isShardFileName(_ fileName: String, baseName: String) -> Bool {
        let prefix = baseName + "-"
        let suffix = ".safetensors"
        guard fileName.hasPrefix(prefix), fileName.hasSuffix(suffix) else { return false }
        let middle = Array(fileName.utf8.dropFirst(prefix.utf8.count).dropLast(suffix.utf8.count))
        let isDigit = { (byte: UInt8) in byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
        return middle.count == 14 && middle[0..<5].allSatisfy(isDigit)
            && middle[5..<9].elementsEqual("-of-".utf8) && middle[9..<14].allSatisfy(isDigit)
    }
}
