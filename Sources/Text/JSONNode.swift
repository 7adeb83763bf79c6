import JSON

/// A JSON value together with where it sits (file and field path), so that every accessor can
/// throw an error naming the exact field that is missing or malformed.
struct JSONNode {
    let value: JSONValue
    let path: String
    let file: String

    /// The member `key`, or nil when it is absent or `null`.
    func optional(_ key: String) -> JSONNode? {
        guard let child = value[key] else { return nil }
        if case .null = child { return nil }
        return JSONNode(value: child, path: path.isEmpty ? key : "\(path).\(key)", file: file)
    }

    /// The member `key`; throws when it is absent or `null`.
    func required(_ key: String) throws -> JSONNode {
        guard let child = optional(key) else {
            throw TokenizerError.invalidField(file: file, field: path.isEmpty ? key : "\(path).\(key)",
                                              problem: "is missing")
        }
        return child
    }

    func string() throws -> String {
        guard case .string(let text) = value else { throw mismatch("a string") }
        return text
    }

    func bool() throws -> Bool {
        guard case .bool(let flag) = value else { throw mismatch("a boolean") }
        return flag
    }

    func double() throws -> Double {
        guard let number = value.doubleValue else { throw mismatch("a number") }
        return number
    }

    /// An integer in `Int32` range (token ids, counts).
    func int() throws -> Int {
        guard let number = value.doubleValue, number.rounded() == number, abs(number) <= Double(Int32.max) else {
            throw mismatch("an integer")
        }
        return Int(number)
    }

    func array() throws -> [JSONNode] {
        guard case .array(let items) = value else { throw mismatch("an array") }
        return items.enumerated().map { JSONNode(value: $1, path: "\(path)[\($0)]", file: file) }
    }

    func members() throws -> [(key: String, value: JSONValue)] {
        guard case .object(let members) = value else { throw mismatch("an object") }
        return members
    }

    /// The member `key` as a string, or `defaultValue` when absent.
    func string(_ key: String, default defaultValue: String? = nil) throws -> String? {
        try optional(key)?.string() ?? defaultValue
    }

    /// The member `key` as a boolean, or `defaultValue` when absent.
    func bool(_ key: String, default defaultValue: Bool) throws -> Bool {
        try optional(key)?.bool() ?? defaultValue
    }

    /// An error saying this field holds something unexpected.
    func invalid(_ problem: String) -> TokenizerError {
        TokenizerError.invalidField(file: file, field: path, problem: problem)
    }

    private func mismatch(_ expected: String) -> TokenizerError {
        invalid("must be \(expected), found \(value.typeName)")
    }
}
