import Foundation
import JSON

/// A Hugging Face sharded-checkpoint index such as `model.safetensors.index.json`:
/// `{"metadata": {"total_size": N}, "weight_map": {tensor name: shard file name}}`.
struct CheckpointIndex {
    /// Tensor name → shard file name, relative to the index's directory.
    let weightMap: [String: String]

    /// Reads and validates the index at `url`: `weight_map` must be an object of strings without
    /// duplicate tensor names, each naming a file inside the index's directory tree.
    init(contentsOf url: URL) throws {
        let path = url.path
        func failure(_ problem: String) -> SafeTensorsError { .invalidCheckpoint(path: path, problem: problem) }
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw SafeTensorsError.fileSystem(path: path, operation: "read", reason: error.localizedDescription)
        }
        let json: JSONValue
        do {
            json = try data.withUnsafeBytes { try JSONParser.parse($0) }
        } catch let error as JSONSyntaxError {
            throw failure("malformed JSON: \(error)")
        }
        guard case let .object(members) = json else { throw failure("the JSON is \(json.typeName), not an object") }
        let weightMapMembers = members.filter { $0.key == "weight_map" }
        guard weightMapMembers.count == 1 else {
            throw failure(weightMapMembers.isEmpty ? "no \"weight_map\"" : "duplicate \"weight_map\"")
        }
        guard case let .object(entries) = weightMapMembers[0].value else {
            throw failure("\"weight_map\" is \(weightMapMembers[0].value.typeName), not an object")
        }
        var weightMap = [String: String](minimumCapacity: entries.count)
        for (tensor, value) in entries {
            guard case let .string(fileName) = value else {
                throw failure("\"weight_map\" gives tensor '\(tensor)' \(value.typeName), not a shard file name")
            }
            let components = fileName.split(separator: "/", omittingEmptySubsequences: false)
            guard !fileName.hasPrefix("/"), !components.contains(where: { $0.isEmpty || $0 == ".." || $0 == "." })
            else {
                throw failure("\"weight_map\" gives tensor '\(tensor)' the shard '\(fileName)', "
                    + "which is not a relative path inside the checkpoint directory")
            }
            guard weightMap.updateValue(fileName, forKey: tensor) == nil else {
                throw failure("\"weight_map\" lists tensor '\(tensor)' twice")
            }
        }
        self.weightMap = weightMap
    }

    /// An index as transformers writes it: `json.dumps(index, indent=2, sort_keys=True)` and a
    /// newline, with `totalSize` the number of tensor bytes in all shards.
    static func jsonText(weightMap: [String: String], totalSize: Int) -> String {
        let entries = weightMap.sorted { bytewiseLess($0.key, $1.key) }
            .map { "    \(jsonQuoted($0.key, asciiOnly: true)): \(jsonQuoted($0.value, asciiOnly: true))" }
        return """
            {
              "metadata": {
                "total_size": \(totalSize)
              },
              "weight_map": {
            \(entries.joined(separator: ",\n"))
              }
            }

            """
    }
}
