/// One entry of `added_tokens` in a `tokenizer.json`.
public struct AddedToken: Equatable, Sendable {
    /// The token id.
    public let id: Int
    /// The exact text of the token.
    public let content: String
    /// Whether the token is special (skipped by `decode(_:skipSpecialTokens: true)`).
    public let isSpecial: Bool
    /// Whether the token is matched in the normalized text rather than the raw input.
    public let isNormalized: Bool
    /// Whether whitespace on the token's left is absorbed into it.
    public let stripsLeft: Bool
    /// Whether whitespace on the token's right is absorbed into it.
    public let stripsRight: Bool
    /// Whether the token only matches when not inside a word.
    public let isSingleWord: Bool
}

/// A piece of input after the added tokens have been cut out of it.
enum InputSegment {
    case token(Int)
    case text(TextPiece)
}

/// The added tokens and how they are cut out of the input before normalization, following
/// `AddedVocabulary::extract_and_normalize` of the `tokenizers` library: first the tokens with
/// `normalized: false` are matched in the raw text, then each remaining piece is normalized and
/// the tokens with `normalized: true` are matched in it (against their normalized form).
struct AddedVocabulary {
    let tokens: [AddedToken]
    private let rawMatcher: TokenMatcher
    private let normalizedMatcher: TokenMatcher

    init(tokens: [AddedToken], normalizer: Normalizer?) {
        self.tokens = tokens
        rawMatcher = TokenMatcher(tokens.filter { !$0.isNormalized }.map { ($0, Array($0.content.unicodeScalars)) })
        normalizedMatcher = TokenMatcher(tokens.filter(\.isNormalized).map { token in
            let scalars = Array(token.content.unicodeScalars)
            return (token, normalizer?.normalize(scalars) ?? scalars)
        })
    }

    /// Cuts `text` into added tokens and normalized text pieces.
    func segments(of text: String, normalizer: Normalizer?) -> [InputSegment] {
        var segments: [InputSegment] = []
        for rawSegment in rawMatcher.split(Array(text.unicodeScalars), startsAtOrigin: true) {
            guard case .text(let piece) = rawSegment else {
                segments.append(rawSegment)
                continue
            }
            let normalized = normalizer?.normalize(piece.scalars) ?? piece.scalars
            guard !normalized.isEmpty else { continue }
            segments.append(contentsOf: normalizedMatcher.split(normalized, startsAtOrigin: piece.startsAtOrigin))
        }
        return segments
    }
}

/// Finds added tokens in text: leftmost-longest matches (as the library's Aho-Corasick automaton
/// with `MatchKind::LeftmostLongest`), then its `single_word`, `lstrip` and `rstrip` rules.
private struct TokenMatcher {
    private struct Pattern {
        let token: AddedToken
        let scalars: [Unicode.Scalar]
    }

    /// Patterns by first scalar, longest first.
    private let patternsByFirstScalar: [Unicode.Scalar: [Pattern]]

    init(_ patterns: [(AddedToken, [Unicode.Scalar])]) {
        var byFirst: [Unicode.Scalar: [Pattern]] = [:]
        for (token, scalars) in patterns {
            guard let first = scalars.first else { continue }
            byFirst[first, default: []].append(Pattern(token: token, scalars: scalars))
        }
        patternsByFirstScalar = byFirst.mapValues { $0.sorted { $0.scalars.count > $1.scalars.count } }
    }

    /// The longest pattern occurring at `position`.
    private func longestMatch(in text: [Unicode.Scalar], at position: Int) -> Pattern? {
        guard let candidates = patternsByFirstScalar[text[position]] else { return nil }
        return candidates.first { pattern in
            position + pattern.scalars.count <= text.count
                && text[position..<position + pattern.scalars.count].elementsEqual(pattern.scalars)
        }
    }

    /// Non-overlapping leftmost-longest matches, scanning on after each match.
    private func rawMatches(in text: [Unicode.Scalar]) -> [(pattern: Pattern, range: Range<Int>)] {
        var matches: [(Pattern, Range<Int>)] = []
        var position = 0
        while position < text.count {
            if let pattern = longestMatch(in: text, at: position) {
                matches.append((pattern, position..<position + pattern.scalars.count))
                position += pattern.scalars.count
            } else {
                position += 1
            }
        }
        return matches
    }

    /// Cuts `text` at the accepted matches (`AddedVocabulary::find_matches`).
    func split(_ text: [Unicode.Scalar], startsAtOrigin: Bool) -> [InputSegment] {
        if patternsByFirstScalar.isEmpty {
            return [.text(TextPiece(scalars: text, startsAtOrigin: startsAtOrigin))]
        }
        var segments: [InputSegment] = []
        var consumed = 0
        func appendText(_ range: Range<Int>) {
            segments.append(.text(TextPiece(scalars: Array(text[range]),
                                            startsAtOrigin: startsAtOrigin && range.lowerBound == 0)))
        }
        for (pattern, range) in rawMatches(in: text) {
            var start = range.lowerBound
            var stop = range.upperBound
            let token = pattern.token
            if token.isSingleWord {
                let spaceBefore = start == 0 || !UnicodeClasses.isWordCharacter(text[start - 1])
                let spaceAfter = stop == text.count || !UnicodeClasses.isWordCharacter(text[stop])
                guard spaceBefore && spaceAfter else { continue }
            }
            if token.stripsLeft {
                var newStart = start
                while newStart > 0, UnicodeClasses.isWhitespace(text[newStart - 1]) { newStart -= 1 }
                // Spaces an earlier match already took are not taken again.
                start = max(newStart, consumed)
            }
            if token.stripsRight {
                while stop < text.count, UnicodeClasses.isWhitespace(text[stop]) { stop += 1 }
            }
            if consumed < start { appendText(consumed..<start) }
            segments.append(.token(token.id))
            consumed = stop
        }
        if consumed < text.count { appendText(consumed..<text.count) }
        return segments
    }
}
