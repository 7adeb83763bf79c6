/// A parsed JSON value.
///
/// Objects keep every member in file order, as pairs: duplicate keys stay visible (Foundation's
/// `JSONSerialization` silently keeps one of them, which would hide a corrupt header), and a
/// `tokenizer.json` vocabulary of ~150k members, only ever iterated, is not hashed twice.
public enum JSONValue {
    case object([(key: String, value: JSONValue)])
    case array([JSONValue])
    case string(String)
    /// A number, kept as its literal text so that integers are read exactly.
    case number(String)
    case bool(Bool)
    case null

    /// The member named `key` of an object (the first one if repeated), or nil.
    public subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.key == key }?.value
    }

    /// The value of a number (nearest `Double`), nil for other kinds.
    public var doubleValue: Double? {
        guard case .number(let text) = self else { return nil }
        return Double(text)
    }

    /// The JSON type name, for error messages.
    public var typeName: String {
        switch self {
        case .object: return "an object"
        case .array: return "an array"
        case .string: return "a string"
        case .number: return "a number"
        case .bool: return "a boolean"
        case .null: return "null"
        }
    }

    /// The value as an `Int` when it is a number literal without sign, fraction or exponent that
    /// fits in an `Int` (the Rust crate reads shapes and offsets as `usize`, which rejects the rest).
    public var nonNegativeInteger: Int? {
        guard case let .number(text) = self, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 })
        else { return nil }
        return Int(text)
    }

    /// A short rendering of the value for error messages (numbers and strings verbatim).
    public var briefDescription: String {
        switch self {
        case let .number(text): return text
        case let .string(text): return "\"\(text)\""
        case let .bool(flag): return flag ? "true" : "false"
        case .null: return "null"
        case .object, .array: return typeName
        }
    }
}

/// Malformed JSON: what is wrong and the byte offset where it was found.
public struct JSONSyntaxError: Error, CustomStringConvertible {
    public let offset: Int
    public let problem: String

    public var description: String { "\(problem) at byte \(offset)" }
}
