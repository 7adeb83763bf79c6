/// The `decoder` of a `tokenizer.json`: turns token strings back into text. Each step maps the
/// list of token strings to a new list (`decode_chain` in the library); the result is joined.
indirect enum Decoder {
    case sequence([Decoder])
    case replace(SplitPattern, [Unicode.Scalar])
    /// Turns runs of `<0xNN>` tokens back into the UTF-8 text they encode.
    case byteFallback
    /// Joins all tokens into one.
    case fuse
    /// Removes up to `start` leading and `stop` trailing `content` characters from each token.
    case strip(content: Unicode.Scalar, start: Int, stop: Int)
    /// Maps byte-level characters back to bytes and decodes them as UTF-8.
    case byteLevel
    /// Turns the replacement character back into spaces (dropping it in the first token unless
    /// the scheme is `never`).
    case metaspace(replacement: Unicode.Scalar, scheme: PrependScheme)

    /// Reads a decoder object.
    init(_ node: JSONNode) throws {
        let type = try node.required("type").string()
        switch type {
        case "Sequence":
            self = .sequence(try node.required("decoders").array().map(Decoder.init))
        case "Replace":
            self = .replace(try SplitPattern(node.required("pattern")),
                            Array(try node.required("content").string().unicodeScalars))
        case "ByteFallback":
            self = .byteFallback
        case "Fuse":
            self = .fuse
        case "Strip":
            let contentNode = try node.required("content")
            let content = Array(try contentNode.string().unicodeScalars)
            guard content.count == 1 else { throw contentNode.invalid("must be a single character") }
            self = .strip(content: content[0], start: try node.required("start").int(),
                          stop: try node.required("stop").int())
        case "ByteLevel":
            self = .byteLevel
        case "Metaspace":
            self = .metaspace(replacement: try PreTokenizer.metaspaceReplacement(node),
                              scheme: try PreTokenizer.metaspacePrependScheme(node))
        default:
            throw TokenizerError.unsupportedComponent(file: node.file, component: "decoder", type: type)
        }
    }

    /// Decodes token strings into text.
    func decode(_ tokens: [String]) -> String {
        decodeChain(tokens).joined()
    }

    private func decodeChain(_ tokens: [String]) -> [String] {
        switch self {
        case .sequence(let steps):
            return steps.reduce(tokens) { $1.decodeChain($0) }
        case .replace(let pattern, let content):
            return tokens.map { token in
                let scalars = Array(token.unicodeScalars)
                return String(String.UnicodeScalarView(pattern.replacingMatches(in: scalars, with: content)))
            }
        case .byteFallback:
            return Self.decodeByteFallback(tokens)
        case .fuse:
            return [tokens.joined()]
        case .strip(let content, let start, let stop):
            return tokens.map { token in
                let scalars = Array(token.unicodeScalars)
                var lower = 0
                while lower < min(start, scalars.count), scalars[lower] == content { lower += 1 }
                var upper = scalars.count
                var removed = 0
                while removed < stop, upper > lower, scalars[upper - 1] == content {
                    upper -= 1
                    removed += 1
                }
                return String(String.UnicodeScalarView(scalars[lower..<upper]))
            }
        case .byteLevel:
            var bytes: [UInt8] = []
            for token in tokens {
                let mapped = token.unicodeScalars.map { ByteLevelAlphabet.byteOfCharacter[$0] }
                if mapped.allSatisfy({ $0 != nil }) {
                    bytes.append(contentsOf: mapped.map { $0! })
                } else {
                    // A token outside the byte alphabet (an added token, say) is taken as written.
                    bytes.append(contentsOf: token.utf8)
                }
            }
            // Invalid UTF-8 becomes U+FFFD per maximal invalid subsequence, as Rust's `from_utf8_lossy`.
            return [String(decoding: bytes, as: UTF8.self)]
        case .metaspace(let replacement, let scheme):
            return tokens.enumerated().map { index, token in
                var result = String.UnicodeScalarView()
                for scalar in token.unicodeScalars {
                    if scalar != replacement {
                        result.append(scalar)
                    } else if index != 0 || scheme == .never {
                        result.append(" ")
                    }
                }
                return String(result)
            }
        }
    }

    /// `ByteFallback::decode_chain`: consecutive `<0xNN>` tokens are gathered; valid UTF-8 becomes
    /// its text, otherwise each byte becomes one U+FFFD.
    private static func decodeByteFallback(_ tokens: [String]) -> [String] {
        var result: [String] = []
        var pendingBytes: [UInt8] = []
        func flush() {
            guard !pendingBytes.isEmpty else { return }
            if let text = String(validating: pendingBytes, as: UTF8.self) {
                result.append(text)
            } else {
                result.append(contentsOf: repeatElement("\u{FFFD}", count: pendingBytes.count))
            }
            pendingBytes.removeAll()
        }
        for token in tokens {
            if let byte = byteValue(of: token) {
                pendingBytes.append(byte)
            } else {
                flush()
                result.append(token)
            }
        }
        flush()
        return result
    }

    /// The byte of a `<0xNN>` token: exactly six bytes long, hex digits parsed like Rust's
    /// `u8::from_str_radix` (which also accepts a leading `+`).
    private static func byteValue(of token: String) -> UInt8? {
        let bytes = Array(token.utf8)
        guard bytes.count == 6, bytes[0] == UInt8(ascii: "<"), bytes[1] == UInt8(ascii: "0"),
              bytes[2] == UInt8(ascii: "x"), bytes[5] == UInt8(ascii: ">") else { return nil }
        var digits = String(decoding: bytes[3..<5], as: UTF8.self)
        if digits.hasPrefix("+") { digits.removeFirst() }
        guard !digits.isEmpty, digits.allSatisfy(\.isHexDigit) else { return nil }
        return UInt8(digits, radix: 16)
    }
}
