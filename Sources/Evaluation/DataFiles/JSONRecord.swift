import Foundation

/// One JSON object from a data file, with its location for error messages.
struct JSONRecord {
    /// The object's fields as decoded by `JSONSerialization`.
    let fields: [String: Any]
    /// The file the record comes from.
    let file: URL
    /// Where in the file the record is, e.g. "line 12" or "element [3]".
    let location: String

    /// An error that names this record.
    func malformed(_ reason: String) -> EvaluationError {
        .malformedRecord(file: file, record: location, reason: reason)
    }

    /// A required string field.
    func string(_ key: String) throws -> String {
        guard let value = fields[key] else { throw malformed("missing field '\(key)'") }
        guard let text = value as? String else { throw malformed("field '\(key)' is not a string") }
        return text
    }

    /// The first of several alternative string fields that is present, e.g. "text" or "question".
    func string(anyOf keys: [String]) throws -> String {
        guard let key = keys.first(where: { fields[$0] != nil }) else {
            throw malformed("missing field '\(keys.joined(separator: "' or '"))'")
        }
        return try string(key)
    }

    /// A required identifier that may be written as a string or as an integer.
    func identifier(_ key: String) throws -> String {
        guard let value = fields[key] else { throw malformed("missing field '\(key)'") }
        guard let identifier = identifierText(value) else {
            throw malformed("field '\(key)' is neither a string nor an integer")
        }
        return identifier
    }

    /// A required array of strings.
    func strings(_ key: String) throws -> [String] {
        guard let value = fields[key] else { throw malformed("missing field '\(key)'") }
        guard let texts = value as? [String] else {
            throw malformed("field '\(key)' is not an array of strings")
        }
        return texts
    }
}

/// An identifier decoded by `JSONSerialization` as a string or an integral number, as text.
func identifierText(_ value: Any) -> String? {
    if let text = value as? String { return text }
    if let number = value as? NSNumber, let integer = Int(exactly: number.doubleValue) { return String(integer) }
    return nil
}

/// Reading the JSON, JSON Lines and text files that benchmarks are published in.
enum DataFile {
    /// The whole file, or an error naming it.
    static func contents(of url: URL, expected: String) throws -> Data {
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw EvaluationError.missingFile(url, expected: expected)
        }
        do {
            return try Data(contentsOf: url)
        } catch {
            throw EvaluationError.unreadableFile(url, reason: error.localizedDescription)
        }
    }

    /// The file as UTF-8 text without a byte-order mark.
    static func text(of url: URL, expected: String) throws -> String {
        let data = try contents(of: url, expected: expected)
        guard var text = String(data: data, encoding: .utf8) else {
            throw EvaluationError.unreadableFile(url, reason: "not UTF-8 text")
        }
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        return text
    }

    /// The lines of a text, split at "\n" and "\r\n" (which Swift treats as one character).
    static func lines(of text: String) -> [Substring] {
        text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
    }

    /// The objects of a JSON Lines file, one per non-blank line.
    static func jsonLines(_ url: URL, expected: String) throws -> [JSONRecord] {
        let text = try text(of: url, expected: expected)
        var records: [JSONRecord] = []
        for (index, line) in lines(of: text).enumerated() {
            guard !line.allSatisfy(\.isWhitespace) else { continue }
            let location = "line \(index + 1)"
            let object: Any
            do {
                object = try JSONSerialization.jsonObject(with: Data(line.utf8))
            } catch {
                throw EvaluationError.malformedRecord(file: url, record: location, reason: "not valid JSON")
            }
            guard let fields = object as? [String: Any] else {
                throw EvaluationError.malformedRecord(file: url, record: location, reason: "not a JSON object")
            }
            records.append(JSONRecord(fields: fields, file: url, location: location))
        }
        return records
    }

    /// The elements of a file holding one JSON array.
    static func jsonArray(_ url: URL, expected: String) throws -> [Any] {
        let data = try contents(of: url, expected: expected)
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: data)
        } catch {
            throw EvaluationError.malformedRecord(file: url, record: "whole file", reason: "not valid JSON")
        }
        guard let elements = object as? [Any] else {
            throw EvaluationError.malformedRecord(file: url, record: "whole file", reason: "not a JSON array")
        }
        return elements
    }
}
