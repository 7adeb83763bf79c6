import Foundation
import Text

/// Encoding and decoding as the `tokenize` command prints and reads them: ids as a JSON array.
public enum TokenizerInspection {
    /// Loads a `tokenizer.json`, or the one inside `url` when it is a folder.
    public static func loadTokenizer(_ url: URL) throws -> Tokenizer {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
            throw InspectionError("tokenizer file \(url.path) does not exist")
        }
        return try Tokenizer(contentsOf: isDirectory.boolValue ? url.appendingPathComponent("tokenizer.json") : url)
    }

    /// The ids of `text` as a JSON array, e.g. `[1, 15043, 3186]`.
    public static func encode(_ text: String, with tokenizer: Tokenizer, addSpecialTokens: Bool = true) -> String {
        "[" + tokenizer.encode(text, addSpecialTokens: addSpecialTokens).map(String.init).joined(separator: ", ") + "]"
    }

    /// The text of ids given as a JSON array (`[1, 2]`) or comma-separated (`1,2`).
    /// Every id must be in the tokenizer's vocabulary.
    public static func decode(_ idList: String, with tokenizer: Tokenizer, skipSpecialTokens: Bool = false) throws -> String {
        let ids = try parseIDs(idList)
        if let unknown = ids.first(where: { tokenizer.token(for: $0) == nil }) {
            throw InspectionError("token id \(unknown) is not in the tokenizer's vocabulary of \(tokenizer.vocabularySize) tokens")
        }
        return tokenizer.decode(ids, skipSpecialTokens: skipSpecialTokens)
    }

    /// Parses `[1, 2, 3]` or `1,2,3` (spaces allowed anywhere; `[]` is empty).
    public static func parseIDs(_ text: String) throws -> [Int] {
        var body = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if body.hasPrefix("[") && body.hasSuffix("]") { body = String(body.dropFirst().dropLast()) }
        guard !body.trimmingCharacters(in: .whitespaces).isEmpty else { return [] }
        return try body.split(separator: ",", omittingEmptySubsequences: false).map { piece in
            let trimmed = piece.trimmingCharacters(in: .whitespacesAndNewlines)
            guard let id = Int(trimmed) else {
                throw InspectionError("\"\(trimmed)\" is not a token id; give ids as a JSON array like [1, 2] or comma-separated like 1,2")
            }
            return id
        }
    }
}
