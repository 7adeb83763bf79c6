import Foundation

/// What a `Split` pre-tokenizer or a `Replace` normalizer/decoder searches for.
enum SplitPattern {
    /// A literal string (`{"String": ...}` in the file).
    case literal([Unicode.Scalar])
    /// The GPT-2 regex, run by a hand-written scanner.
    case gpt2
    /// The Qwen2 (`maximumDigits` 1) or Llama 3 (`maximumDigits` 3) regex, run by a scanner.
    case contractionWordDigit(maximumDigits: Int)
    /// Any other regex, run by `NSRegularExpression` (ICU syntax, close to Oniguruma's for the
    /// constructs tokenizers use).
    case regex(NSRegularExpression)

    /// Reads `{"String": "..."}` or `{"Regex": "..."}`.
    init(_ node: JSONNode) throws {
        if let literal = node.optional("String") {
            self = .literal(Array(try literal.string().unicodeScalars))
            return
        }
        guard let regexNode = node.optional("Regex") else {
            throw node.invalid("must hold a \"String\" or a \"Regex\"")
        }
        let pattern = try regexNode.string()
        switch pattern {
        case PatternScanners.gpt2Pattern:
            self = .gpt2
        case PatternScanners.qwen2Pattern:
            self = .contractionWordDigit(maximumDigits: 1)
        case PatternScanners.llama3Pattern:
            self = .contractionWordDigit(maximumDigits: 3)
        default:
            do {
                self = .regex(try NSRegularExpression(pattern: pattern))
            } catch {
                throw TokenizerError.invalidPattern(file: node.file, field: regexNode.path, pattern: pattern,
                                                    reason: "\(error)")
            }
        }
    }

    /// The non-overlapping matches in `scalars`, left to right, as scalar index ranges.
    func matches(in scalars: [Unicode.Scalar]) -> [Range<Int>] {
        switch self {
        case .literal(let needle):
            return Self.literalMatches(of: needle, in: scalars)
        case .gpt2:
            return PatternScanners.gpt2Matches(in: scalars)
        case .contractionWordDigit(let maximumDigits):
            return PatternScanners.contractionWordDigitMatches(in: scalars, maximumDigits: maximumDigits)
        case .regex(let expression):
            return Self.regexMatches(of: expression, in: scalars)
        }
    }

    /// Replaces every match with `replacement`.
    func replacingMatches(in scalars: [Unicode.Scalar], with replacement: [Unicode.Scalar]) -> [Unicode.Scalar] {
        let found = matches(in: scalars)
        guard !found.isEmpty else { return scalars }
        var result: [Unicode.Scalar] = []
        result.reserveCapacity(scalars.count)
        var position = 0
        for range in found {
            result.append(contentsOf: scalars[position..<range.lowerBound])
            result.append(contentsOf: replacement)
            position = range.upperBound
        }
        result.append(contentsOf: scalars[position...])
        return result
    }

    private static func literalMatches(of needle: [Unicode.Scalar], in scalars: [Unicode.Scalar]) -> [Range<Int>] {
        guard !needle.isEmpty, needle.count <= scalars.count else { return [] }
        var matches: [Range<Int>] = []
        var start = 0
        while start + needle.count <= scalars.count {
            if scalars[start] == needle[0] && scalars[start..<start + needle.count].elementsEqual(needle) {
                matches.append(start..<start + needle.count)
                start += needle.count
            } else {
                start += 1
            }
        }
        return matches
    }

    private static func regexMatches(of expression: NSRegularExpression, in scalars: [Unicode.Scalar]) -> [Range<Int>] {
        // NSRegularExpression reports UTF-16 offsets; map them back to scalar indices.
        var scalarIndexOfUTF16Offset: [Int] = []
        scalarIndexOfUTF16Offset.reserveCapacity(scalars.count + 1)
        for (index, scalar) in scalars.enumerated() {
            scalarIndexOfUTF16Offset.append(index)
            if scalar.value > 0xFFFF { scalarIndexOfUTF16Offset.append(index) }
        }
        scalarIndexOfUTF16Offset.append(scalars.count)
        let text = String(String.UnicodeScalarView(scalars))
        let found = expression.matches(in: text, range: NSRange(location: 0, length: (text as NSString).length))
        return found.map { match in
            scalarIndexOfUTF16Offset[match.range.location]..<scalarIndexOfUTF16Offset[NSMaxRange(match.range)]
        }
    }
}

/// How a `Split` pre-tokenizer treats the delimiters it finds (`SplitDelimiterBehavior`).
enum SplitBehavior: String {
    case removed = "Removed"
    case isolated = "Isolated"
    case mergedWithPrevious = "MergedWithPrevious"
    case mergedWithNext = "MergedWithNext"
    case contiguous = "Contiguous"

    /// Cuts `0..<count` at `matches` and returns the non-empty pieces this behavior keeps, exactly
    /// as `NormalizedString::split` of the `tokenizers` library does.
    func pieces(count: Int, matches: [Range<Int>], invert: Bool = false) -> [Range<Int>] {
        // Every span of the input, each flagged as a match or not.
        var spans: [(range: Range<Int>, isMatch: Bool)] = []
        var position = 0
        for match in matches {
            if position < match.lowerBound { spans.append((position..<match.lowerBound, invert)) }
            spans.append((match, !invert))
            position = match.upperBound
        }
        if position < count { spans.append((position..<count, invert)) }

        var kept: [Range<Int>] = []
        switch self {
        case .removed:
            kept = spans.filter { !$0.isMatch }.map(\.range)
        case .isolated:
            kept = spans.map(\.range)
        case .contiguous:
            var previousWasMatch = false
            for span in spans {
                if span.isMatch == previousWasMatch, let last = kept.last {
                    kept[kept.count - 1] = last.lowerBound..<span.range.upperBound
                } else {
                    kept.append(span.range)
                }
                previousWasMatch = span.isMatch
            }
        case .mergedWithPrevious:
            var previousWasMatch = false
            for span in spans {
                if span.isMatch && !previousWasMatch, let last = kept.last {
                    kept[kept.count - 1] = last.lowerBound..<span.range.upperBound
                } else {
                    kept.append(span.range)
                }
                previousWasMatch = span.isMatch
            }
        case .mergedWithNext:
            var previousWasMatch = false
            for span in spans.reversed() {
                if span.isMatch && !previousWasMatch, let last = kept.last {
                    kept[kept.count - 1] = span.range.lowerBound..<last.upperBound
                } else {
                    kept.append(span.range)
                }
                previousWasMatch = span.isMatch
            }
            kept.reverse()
        }
        return kept.filter { !$0.isEmpty }
    }
}
