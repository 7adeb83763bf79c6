import Foundation

/// A strict JSON (RFC 8259) parser over raw bytes, for safetensors headers, checkpoint indexes and
/// `tokenizer.json`: it keeps duplicate keys (see `JSONValue`), limits nesting so hostile input
/// cannot exhaust the stack, and rejects invalid UTF-8 inside strings.
///
/// Written by hand because `JSONSerialization` on Linux builds an `NSDictionary` of `NSString`s
/// that then has to be bridged (for a 150k-token `tokenizer.json`, most of a second) and keeps
/// only one of two duplicate keys, which would hide a corrupt header.
public struct JSONParser {
    /// The deepest nesting of objects and arrays accepted; real files use a few levels.
    public static let maximumDepth = 64

    /// Parses `data` as one JSON value, optionally surrounded by whitespace.
    public static func parse(_ data: Data) throws -> JSONValue {
        try data.withUnsafeBytes { try parse($0) }
    }

    /// Parses `bytes` as one JSON value, optionally surrounded by whitespace.
    public static func parse(_ bytes: UnsafeRawBufferPointer) throws -> JSONValue {
        var parser = JSONParser(bytes: bytes)
        parser.skipWhitespace()
        let value = try parser.parseValue(depth: 0)
        parser.skipWhitespace()
        guard parser.position == bytes.count else {
            throw parser.syntaxError("unexpected \(parser.describeCurrentByte()) after the JSON value")
        }
        return value
    }

    private let bytes: UnsafeRawBufferPointer
    private var position = 0

    private init(bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    private mutating func parseValue(depth: Int) throws -> JSONValue {
        guard position < bytes.count else { throw syntaxError("unexpected end of JSON") }
        switch bytes[position] {
        case ASCII.openBrace: return try parseObject(depth: depth + 1)
        case ASCII.openBracket: return try parseArray(depth: depth + 1)
        case ASCII.quote: return .string(try parseString())
        case ASCII.minus, ASCII.zero...ASCII.nine: return .number(try parseNumber())
        case ASCII.letterT: try expectLiteral("true"); return .bool(true)
        case ASCII.letterF: try expectLiteral("false"); return .bool(false)
        case ASCII.letterN: try expectLiteral("null"); return .null
        default: throw syntaxError("unexpected \(describeCurrentByte())")
        }
    }

    private mutating func parseObject(depth: Int) throws -> JSONValue {
        try checkDepth(depth)
        position += 1
        var members: [(key: String, value: JSONValue)] = []
        skipWhitespace()
        if try peek() == ASCII.closeBrace {
            position += 1
            return .object(members)
        }
        while true {
            guard try peek() == ASCII.quote else { throw syntaxError("expected a string key") }
            let key = try parseString()
            skipWhitespace()
            guard try peek() == ASCII.colon else { throw syntaxError("expected ':' after key \"\(key)\"") }
            position += 1
            skipWhitespace()
            members.append((key, try parseValue(depth: depth)))
            skipWhitespace()
            switch try peek() {
            case ASCII.comma:
                position += 1
                skipWhitespace()
            case ASCII.closeBrace:
                position += 1
                return .object(members)
            default:
                throw syntaxError("expected ',' or '}' in object")
            }
        }
    }

    private mutating func parseArray(depth: Int) throws -> JSONValue {
        try checkDepth(depth)
        position += 1
        var elements: [JSONValue] = []
        skipWhitespace()
        if try peek() == ASCII.closeBracket {
            position += 1
            return .array(elements)
        }
        while true {
            elements.append(try parseValue(depth: depth))
            skipWhitespace()
            switch try peek() {
            case ASCII.comma:
                position += 1
                skipWhitespace()
            case ASCII.closeBracket:
                position += 1
                return .array(elements)
            default:
                throw syntaxError("expected ',' or ']' in array")
            }
        }
    }

    /// Parses a string starting at its opening quote. Runs without escapes are decoded in one go.
    private mutating func parseString() throws -> String {
        let openingQuote = position
        position += 1
        var decoded: [UInt8] = []
        var runStart = position
        while true {
            guard position < bytes.count else {
                throw JSONSyntaxError(offset: openingQuote, problem: "unterminated string")
            }
            let byte = bytes[position]
            if byte == ASCII.quote {
                decoded.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[runStart..<position]))
                position += 1
                guard let string = String(validating: decoded, as: UTF8.self) else {
                    throw JSONSyntaxError(offset: openingQuote, problem: "invalid UTF-8 in string")
                }
                return string
            } else if byte == ASCII.backslash {
                decoded.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[runStart..<position]))
                try parseEscape(into: &decoded)
                runStart = position
            } else if byte < 0x20 {
                throw syntaxError("unescaped control character in string")
            } else {
                position += 1
            }
        }
    }

    /// Parses one escape sequence starting at its backslash and appends its UTF-8 encoding.
    private mutating func parseEscape(into decoded: inout [UInt8]) throws {
        position += 1
        guard position < bytes.count else { throw syntaxError("unterminated escape sequence") }
        let letter = bytes[position]
        position += 1
        switch letter {
        case ASCII.quote, ASCII.backslash, ASCII.slash: decoded.append(letter)
        case UInt8(ascii: "b"): decoded.append(0x08)
        case UInt8(ascii: "f"): decoded.append(0x0C)
        case UInt8(ascii: "n"): decoded.append(0x0A)
        case UInt8(ascii: "r"): decoded.append(0x0D)
        case UInt8(ascii: "t"): decoded.append(0x09)
        case UInt8(ascii: "u"):
            let scalar = try parseUnicodeEscape()
            UTF8.encode(scalar) { decoded.append($0) }
        default:
            position -= 1
            throw syntaxError("invalid escape sequence")
        }
    }

    /// Parses the hex digits of a `\u` escape (the `\u` already consumed), joining surrogate pairs.
    private mutating func parseUnicodeEscape() throws -> Unicode.Scalar {
        let first = try parseHexQuad()
        switch first {
        case 0xD800...0xDBFF:
            guard position + 1 < bytes.count, bytes[position] == ASCII.backslash,
                  bytes[position + 1] == UInt8(ascii: "u")
            else { throw syntaxError("lone leading surrogate in \\u escape") }
            position += 2
            let second = try parseHexQuad()
            guard (0xDC00...0xDFFF).contains(second) else {
                throw syntaxError("invalid trailing surrogate in \\u escape")
            }
            let combined = 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
            return Unicode.Scalar(combined)!
        case 0xDC00...0xDFFF:
            throw syntaxError("lone trailing surrogate in \\u escape")
        default:
            return Unicode.Scalar(first)!
        }
    }

    private mutating func parseHexQuad() throws -> UInt32 {
        guard position + 4 <= bytes.count else { throw syntaxError("truncated \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[position]
            let digit: UInt8
            switch byte {
            case ASCII.zero...ASCII.nine: digit = byte - ASCII.zero
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw syntaxError("invalid hex digit in \\u escape")
            }
            value = value << 4 | UInt32(digit)
            position += 1
        }
        return value
    }

    /// Parses a number with the RFC 8259 grammar and returns its literal text.
    private mutating func parseNumber() throws -> String {
        let start = position
        if bytes[position] == ASCII.minus { position += 1 }
        guard position < bytes.count, isDigit(bytes[position]) else {
            throw syntaxError("expected a digit")
        }
        if bytes[position] == ASCII.zero {
            position += 1
        } else {
            skipDigits()
        }
        if position < bytes.count, bytes[position] == UInt8(ascii: ".") {
            position += 1
            guard position < bytes.count, isDigit(bytes[position]) else {
                throw syntaxError("expected a digit after the decimal point")
            }
            skipDigits()
        }
        if position < bytes.count, bytes[position] | 0x20 == UInt8(ascii: "e") {
            position += 1
            if position < bytes.count, bytes[position] == ASCII.plus || bytes[position] == ASCII.minus {
                position += 1
            }
            guard position < bytes.count, isDigit(bytes[position]) else {
                throw syntaxError("expected a digit in the exponent")
            }
            skipDigits()
        }
        return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
    }

    private mutating func expectLiteral(_ literal: String) throws {
        let expected = literal.utf8
        guard position + expected.count <= bytes.count,
              bytes[position..<(position + expected.count)].elementsEqual(expected)
        else { throw syntaxError("unexpected \(describeCurrentByte())") }
        position += expected.count
    }

    private mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x09, 0x0A, 0x0D: position += 1
            default: return
            }
        }
    }

    private mutating func skipDigits() {
        while position < bytes.count, isDigit(bytes[position]) { position += 1 }
    }

    private func isDigit(_ byte: UInt8) -> Bool { byte >= ASCII.zero && byte <= ASCII.nine }

    private func peek() throws -> UInt8 {
        guard position < bytes.count else { throw syntaxError("unexpected end of JSON") }
        return bytes[position]
    }

    private func checkDepth(_ depth: Int) throws {
        guard depth <= JSONParser.maximumDepth else {
            throw syntaxError("nesting deeper than \(JSONParser.maximumDepth) levels")
        }
    }

    private func describeCurrentByte() -> String {
        guard position < bytes.count else { return "end of JSON" }
        let byte = bytes[position]
        if byte >= 0x21 && byte < 0x7F { return "character '\(Character(Unicode.Scalar(byte)))'" }
        return "byte 0x" + String(byte, radix: 16, uppercase: true)
    }

    private func syntaxError(_ problem: String) -> JSONSyntaxError {
        JSONSyntaxError(offset: position, problem: problem)
    }
}

/// The ASCII bytes the JSON grammar is made of.
private enum ASCII {
    static let openBrace = UInt8(ascii: "{")
    static let closeBrace = UInt8(ascii: "}")
    static let openBracket = UInt8(ascii: "[")
    static let closeBracket = UInt8(ascii: "]")
    static let quote = UInt8(ascii: "\"")
    static let backslash = UInt8(ascii: "\\")
    static let slash = UInt8(ascii: "/")
    static let colon = UInt8(ascii: ":")
    static let comma = UInt8(ascii: ",")
    static let minus = UInt8(ascii: "-")
    static let plus = UInt8(ascii: "+")
    static let zero = UInt8(ascii: "0")
    static let nine = UInt8(ascii: "9")
    static let letterT = UInt8(ascii: "t")
    static let letterF = UInt8(ascii: "f")
    static let letterN = UInt8(ascii: "n")
}
