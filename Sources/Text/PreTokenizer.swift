/// A piece of normalized text on its way to the model.
struct TextPiece {
    var scalars: [Unicode.Scalar]
    /// Whether the piece begins at the very start of the input text (what Metaspace's
    /// `prepend_scheme: first` checks as "original offset 0").
    var startsAtOrigin: Bool
}

/// How a `Metaspace` pre-tokenizer decides to put its replacement character in front of a piece.
enum PrependScheme: String {
    case always, never, first
}

/// The `pre_tokenizer` of a `tokenizer.json`: cuts normalized text into words for the model.
indirect enum PreTokenizer {
    case sequence([PreTokenizer])
    case split(SplitPattern, SplitBehavior, invert: Bool)
    /// Maps text to byte-level characters, optionally after a space prefix and the GPT-2 split.
    case byteLevel(addPrefixSpace: Bool, useRegex: Bool)
    /// Replaces spaces with `replacement`, prepends it per `scheme`, optionally splits before it.
    case metaspace(replacement: Unicode.Scalar, scheme: PrependScheme, split: Bool)

    /// Reads a pre-tokenizer object.
    init(_ node: JSONNode) throws {
        let type = try node.required("type").string()
        switch type {
        case "Sequence":
            self = .sequence(try node.required("pretokenizers").array().map(PreTokenizer.init))
        case "Split":
            let behaviorNode = try node.required("behavior")
            guard let behavior = SplitBehavior(rawValue: try behaviorNode.string()) else {
                throw behaviorNode.invalid("is not a known split behavior")
            }
            self = .split(try SplitPattern(node.required("pattern")), behavior,
                          invert: try node.bool("invert", default: false))
        case "ByteLevel":
            self = .byteLevel(addPrefixSpace: try node.bool("add_prefix_space", default: true),
                              useRegex: try node.bool("use_regex", default: true))
        case "Metaspace":
            self = try PreTokenizer.metaspace(node)
        default:
            throw TokenizerError.unsupportedComponent(file: node.file, component: "pre_tokenizer", type: type)
        }
    }

    /// Reads a `Metaspace` in its current form (`prepend_scheme`, `split`) or its older one
    /// (`add_prefix_space`, which meant `always` or `never`).
    private static func metaspace(_ node: JSONNode) throws -> PreTokenizer {
        .metaspace(replacement: try metaspaceReplacement(node),
                   scheme: try metaspacePrependScheme(node),
                   split: try node.bool("split", default: true))
    }

    static func metaspaceReplacement(_ node: JSONNode) throws -> Unicode.Scalar {
        let replacementNode = try node.required("replacement")
        let scalars = Array(try replacementNode.string().unicodeScalars)
        guard scalars.count == 1 else { throw replacementNode.invalid("must be a single character") }
        return scalars[0]
    }

    /// `prepend_scheme` (default `always`), where an `add_prefix_space: false` means `never`.
    static func metaspacePrependScheme(_ node: JSONNode) throws -> PrependScheme {
        var scheme = PrependScheme.always
        if let schemeNode = node.optional("prepend_scheme") {
            guard let declared = PrependScheme(rawValue: try schemeNode.string()) else {
                throw schemeNode.invalid("must be \"first\", \"always\" or \"never\"")
            }
            scheme = declared
        }
        if try !node.bool("add_prefix_space", default: true) {
            guard scheme == .never || node.optional("prepend_scheme") == nil else {
                throw node.invalid("has add_prefix_space false but prepend_scheme \"\(scheme.rawValue)\"")
            }
            scheme = .never
        }
        return scheme
    }

    /// Applies this pre-tokenizer to every piece, dropping empty results.
    func apply(_ pieces: [TextPiece]) -> [TextPiece] {
        pieces.flatMap(apply(to:)).filter { !$0.scalars.isEmpty }
    }

    private func apply(to piece: TextPiece) -> [TextPiece] {
        switch self {
        case .sequence(let steps):
            return steps.reduce([piece]) { $1.apply($0) }
        case .split(let pattern, let behavior, let invert):
            let matches = pattern.matches(in: piece.scalars)
            return Self.cut(piece, behavior.pieces(count: piece.scalars.count, matches: matches, invert: invert))
        case .byteLevel(let addPrefixSpace, let useRegex):
            var source = piece
            if addPrefixSpace && source.scalars.first != " " { source.scalars.insert(" ", at: 0) }
            let words = useRegex
                ? Self.cut(source, SplitBehavior.isolated.pieces(count: source.scalars.count,
                                                                 matches: PatternScanners.gpt2Matches(in: source.scalars)))
                : [source]
            return words.map { TextPiece(scalars: ByteLevelAlphabet.encode($0.scalars), startsAtOrigin: $0.startsAtOrigin) }
        case .metaspace(let replacement, let scheme, let split):
            var scalars = piece.scalars.map { $0 == " " ? replacement : $0 }
            let prepends: Bool
            switch scheme {
            case .always: prepends = true
            case .first: prepends = piece.startsAtOrigin
            case .never: prepends = false
            }
            if prepends && !scalars.isEmpty && scalars.first != replacement { scalars.insert(replacement, at: 0) }
            let rewritten = TextPiece(scalars: scalars, startsAtOrigin: piece.startsAtOrigin)
            guard split else { return [rewritten] }
            let delimiters = scalars.indices.filter { scalars[$0] == replacement }.map { $0..<$0 + 1 }
            return Self.cut(rewritten, SplitBehavior.mergedWithNext.pieces(count: scalars.count, matches: delimiters))
        }
    }

    /// The sub-pieces of `piece` at `ranges`; only one starting at 0 keeps `startsAtOrigin`.
    private static func cut(_ piece: TextPiece, _ ranges: [Range<Int>]) -> [TextPiece] {
        ranges.map { range in
            TextPiece(scalars: Array(piece.scalars[range]),
                      startsAtOrigin: piece.startsAtOrigin && range.lowerBound == 0)
        }
    }
}
