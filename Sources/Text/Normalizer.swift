import Foundation

/// The `normalizer` of a `tokenizer.json`: rewrites each piece of text between added tokens
/// before it is pre-tokenized.
indirect enum Normalizer {
    case sequence([Normalizer])
    /// Puts a string in front of any non-empty text (Llama's legacy `▁`).
    case prepend([Unicode.Scalar])
    case replace(SplitPattern, [Unicode.Scalar])
    case nfc, nfd, nfkc, nfkd
    case lowercase
    /// Removes leading and/or trailing whitespace.
    case strip(left: Bool, right: Bool)

    /// Reads a normalizer object.
    init(_ node: JSONNode) throws {
        let type = try node.required("type").string()
        switch type {
        case "Sequence":
            self = .sequence(try node.required("normalizers").array().map(Normalizer.init))
        case "Prepend":
            self = .prepend(Array(try node.required("prepend").string().unicodeScalars))
        case "Replace":
            self = .replace(try SplitPattern(node.required("pattern")),
                            Array(try node.required("content").string().unicodeScalars))
        case "NFC": self = .nfc
        case "NFD": self = .nfd
        case "NFKC": self = .nfkc
        case "NFKD": self = .nfkd
        case "Lowercase": self = .lowercase
        case "Strip":
            self = .strip(left: try node.bool("strip_left", default: true),
                          right: try node.bool("strip_right", default: true))
        default:
            throw TokenizerError.unsupportedComponent(file: node.file, component: "normalizer", type: type)
        }
    }

    func normalize(_ scalars: [Unicode.Scalar]) -> [Unicode.Scalar] {
        switch self {
        case .sequence(let normalizers):
            return normalizers.reduce(scalars) { $1.normalize($0) }
        case .prepend(let prefix):
            return scalars.isEmpty ? scalars : prefix + scalars
        case .replace(let pattern, let content):
            return pattern.replacingMatches(in: scalars, with: content)
        case .nfc:
            return Self.transform(scalars) { $0.precomposedStringWithCanonicalMapping }
        case .nfd:
            return Self.transform(scalars) { $0.decomposedStringWithCanonicalMapping }
        case .nfkc:
            return Self.transform(scalars) { $0.precomposedStringWithCompatibilityMapping }
        case .nfkd:
            return Self.transform(scalars) { $0.decomposedStringWithCompatibilityMapping }
        case .lowercase:
            // Per scalar, without context (no final-sigma rule), like Rust's `char::to_lowercase`.
            return scalars.flatMap { $0.properties.lowercaseMapping.unicodeScalars }
        case .strip(let left, let right):
            var lower = 0
            var upper = scalars.count
            if left { while lower < upper, scalars[lower].properties.isWhitespace { lower += 1 } }
            if right { while upper > lower, scalars[upper - 1].properties.isWhitespace { upper -= 1 } }
            return Array(scalars[lower..<upper])
        }
    }

    private static func transform(_ scalars: [Unicode.Scalar], _ body: (String) -> String) -> [Unicode.Scalar] {
        // ASCII is already in every normalization form.
        if scalars.allSatisfy({ $0.isASCII }) { return scalars }
        return Array(body(String(String.UnicodeScalarView(scalars))).unicodeScalars)
    }
}
