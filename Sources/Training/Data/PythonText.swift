/// String operations with the semantics of Python's `str` methods, which work on code points.
///
/// Swift's `String` compares and searches by grapheme cluster, so a separator followed by a
/// combining mark would not be found where Python finds it. LLaVA cuts prompts with Python's
/// `split`, `replace` and `strip`; these helpers cut where LLaVA cuts. Searching works on UTF-8
/// bytes: a match of one valid UTF-8 text inside another always starts and ends on code-point
/// boundaries, so it is exactly a code-point match.
enum PythonText {
    /// `text.split(separator)`: the pieces between occurrences, empty pieces kept.
    static func split(_ text: String, separator: String) -> [String] {
        var text = text
        var separator = separator
        return text.withUTF8 { bytes in
            separator.withUTF8 { pattern in
                var pieces: [String] = []
                var pieceStart = 0
                var position = 0
                while let match = firstMatch(of: pattern, in: bytes, from: position) {
                    pieces.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[pieceStart..<match]), as: UTF8.self))
                    position = match + pattern.count
                    pieceStart = position
                }
                pieces.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[pieceStart...]), as: UTF8.self))
                return pieces
            }
        }
    }

    /// `part in text`.
    static func contains(_ text: String, _ part: String) -> Bool {
        var text = text
        var part = part
        return text.withUTF8 { bytes in part.withUTF8 { firstMatch(of: $0, in: bytes, from: 0) != nil } }
    }

    /// `text.replace(part, "")`.
    static func removingAll(_ part: String, from text: String) -> String {
        split(text, separator: part).joined()
    }

    /// `text.strip()`: leading and trailing code points for which Python's `str.isspace` holds.
    static func strip(_ text: String) -> String {
        let scalars = text.unicodeScalars
        var start = scalars.startIndex
        var end = scalars.endIndex
        while start < end, isSpace(scalars[start]) { start = scalars.index(after: start) }
        while end > start, isSpace(scalars[scalars.index(before: end)]) { end = scalars.index(before: end) }
        return String(scalars[start..<end])
    }

    /// Python's `str.isspace` for one code point (bidirectional class WS, B or S, or category Zs).
    static func isSpace(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09...0x0D, 0x1C...0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000:
            return true
        default:
            return false
        }
    }

    /// The offset of the first occurrence of `pattern` in `bytes` at or after `start`.
    private static func firstMatch(of pattern: UnsafeBufferPointer<UInt8>, in bytes: UnsafeBufferPointer<UInt8>,
                                   from start: Int) -> Int? {
        precondition(!pattern.isEmpty, "empty separator")
        guard bytes.count >= pattern.count else { return nil }
        let first = pattern[0]
        var position = start
        while position <= bytes.count - pattern.count {
            if bytes[position] == first {
                var length = 1
                while length < pattern.count && bytes[position + length] == pattern[length] { length += 1 }
                if length == pattern.count { return position }
            }
            position += 1
        }
        return nil
    }
}
