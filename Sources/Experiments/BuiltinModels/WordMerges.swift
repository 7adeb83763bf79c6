/// Byte-pair-encoding merges learned from a word list until every word is a single token.
///
/// Text is cut into words as the built-in tokenizer's normalizer leaves it: spaces become "▁",
/// and a word is a run of letters, digits and apostrophes with the "▁" before it, if any
/// ("▁circles", "▁user's", "How" after a newline); every other character stands alone. Merges
/// are learned inside words only, so no merge joins a word to a neighbouring character and the
/// tokenizer (which runs BPE over the whole normalized text) splits a text word by word.
enum WordMerges {
    /// The character that stands for a space (SentencePiece's "▁").
    static let spaceMarker: Unicode.Scalar = "\u{2581}"

    /// The text as the tokenizer's normalizer rewrites it: "▁" prepended, spaces replaced by "▁".
    static func normalized(_ text: String) -> String {
        "\u{2581}" + text.replacingOccurrences(of: " ", with: "\u{2581}")
    }

    /// The words of a normalized text, in order (characters outside words are left out).
    static func words(ofNormalized text: String) -> [String] {
        let scalars = Array(text.unicodeScalars)
        var words: [String] = []
        var index = 0
        while index < scalars.count {
            let start = index
            if scalars[index] == spaceMarker { index += 1 }
            let letters = index
            while index < scalars.count, isWordScalar(scalars[index]) { index += 1 }
            if index > letters {
                words.append(String(String.UnicodeScalarView(scalars[start..<index])))
            } else {
                // A lone "▁" or a punctuation mark: not a word; move past one character.
                index = start + 1
            }
        }
        return words
    }

    /// Letters, digits and the apostrophe form words.
    static func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.isAlphabetic || scalar.properties.numericType != nil || scalar == "'"
    }

    /// Merges, in rank order, that turn each of `words` into one token. Each step merges the
    /// most frequent adjacent pair (counted over words weighted by their frequency; ties go to the
    /// pair that sorts first by Unicode scalars), everywhere, left to right — standard BPE
    /// training, whose merges, applied by rank, reproduce each training word's final token.
    static func learn(from wordCounts: [String: Int]) -> [(left: String, right: String)] {
        var words = wordCounts.map { (symbols: $0.key.unicodeScalars.map { String($0) }, count: $0.value) }
            .sorted { $0.symbols.joined().unicodeScalars.lexicographicallyPrecedes($1.symbols.joined().unicodeScalars) }
        var merges: [(left: String, right: String)] = []
        while true {
            var pairCounts: [Pair: Int] = [:]
            for word in words where word.symbols.count > 1 {
                for i in 0..<(word.symbols.count - 1) {
                    pairCounts[Pair(left: word.symbols[i], right: word.symbols[i + 1]), default: 0] += word.count
                }
            }
            guard let best = pairCounts.min(by: { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key })?.key
            else { return merges }
            merges.append((best.left, best.right))
            for w in words.indices where words[w].symbols.count > 1 {
                words[w].symbols = merged(words[w].symbols, best)
            }
        }
    }

    /// `symbols` with every non-overlapping occurrence of `pair` joined, left to right.
    private static func merged(_ symbols: [String], _ pair: Pair) -> [String] {
        var result: [String] = []
        result.reserveCapacity(symbols.count)
        var i = 0
        while i < symbols.count {
            if i + 1 < symbols.count, symbols[i] == pair.left, symbols[i + 1] == pair.right {
                result.append(pair.left + pair.right)
                i += 2
            } else {
                result.append(symbols[i])
                i += 1
            }
        }
        return result
    }

    /// Two adjacent symbols, ordered by their Unicode scalars (a platform-independent order).
    private struct Pair: Hashable, Comparable {
        let left: String
        let right: String

        static func < (a: Pair, b: Pair) -> Bool {
            if a.left != b.left { return a.left.unicodeScalars.lexicographicallyPrecedes(b.left.unicodeScalars) }
            return a.right.unicodeScalars.lexicographicallyPrecedes(b.right.unicodeScalars)
        }
    }
}
