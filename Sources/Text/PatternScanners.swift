/// Hand-written equivalents of the pre-tokenizer regexes that real tokenizers use, matching the
/// leftmost-first, backtracking semantics of Oniguruma exactly but running in one linear pass.
enum PatternScanners {
    /// The GPT-2 pattern, also used by a `ByteLevel` pre-tokenizer with `use_regex: true`.
    static let gpt2Pattern = #"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"#

    /// The Qwen2 pattern; Llama 3 uses the same one with `\p{N}{1,3}` in place of `\p{N}`.
    static let qwen2Pattern =
        #"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"#
    static let llama3Pattern =
        #"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"#

    private static let letter: UInt8 = 1
    private static let number: UInt8 = 2
    private static let space: UInt8 = 4
    private static let lineBreak: UInt8 = 8

    /// One class bit set per scalar, computed once so the scanners only test bits.
    private static func classify(_ scalars: [Unicode.Scalar]) -> [UInt8] {
        scalars.map { scalar in
            if UnicodeClasses.isLetter(scalar) { return letter }
            if UnicodeClasses.isNumber(scalar) { return number }
            if UnicodeClasses.isWhitespace(scalar) {
                return UnicodeClasses.isLineBreak(scalar) ? space | lineBreak : space
            }
            return 0
        }
    }

    /// Matches of `'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+`.
    static func gpt2Matches(in scalars: [Unicode.Scalar]) -> [Range<Int>] {
        let classes = classify(scalars)
        let count = scalars.count
        var matches: [Range<Int>] = []
        var start = 0
        while start < count {
            let end: Int
            if let length = contractionLength(scalars, at: start, caseInsensitive: false) {
                end = start + length
            } else if let runEnd = optionalSpaceThenRun(scalars, classes, at: start, where: { $0 == letter })
                        ?? optionalSpaceThenRun(scalars, classes, at: start, where: { $0 == number })
                        ?? optionalSpaceThenRun(scalars, classes, at: start, where: { $0 == 0 }) {
                end = runEnd
            } else {
                end = whitespaceMatchEnd(classes, at: start)
            }
            matches.append(start..<end)
            start = end
        }
        return matches
    }

    /// Matches of the Qwen2 pattern (`maximumDigits` 1) or the Llama 3 pattern (`maximumDigits` 3):
    /// `(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,max}|
    ///  ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+`.
    static func contractionWordDigitMatches(in scalars: [Unicode.Scalar], maximumDigits: Int) -> [Range<Int>] {
        let classes = classify(scalars)
        let count = scalars.count
        var matches: [Range<Int>] = []
        var start = 0
        while start < count {
            let end: Int
            let current = classes[start]
            if let length = contractionLength(scalars, at: start, caseInsensitive: true) {
                end = start + length
            } else if current == letter {
                end = runEnd(classes, from: start + 1) { $0 == letter }
            } else if current & (lineBreak | number) == 0, start + 1 < count, classes[start + 1] == letter {
                // `[^\r\n\p{L}\p{N}]?` takes this scalar (it may be a space or other whitespace).
                end = runEnd(classes, from: start + 2) { $0 == letter }
            } else if current == number {
                var index = start + 1
                while index < count, index - start < maximumDigits, classes[index] == number { index += 1 }
                end = index
            } else if let symbolsEnd = optionalSpaceThenRun(scalars, classes, at: start, where: { $0 == 0 }) {
                end = runEnd(classes, from: symbolsEnd) { $0 & lineBreak != 0 }
            } else {
                end = lineBreakMatchEnd(classes, at: start) ?? whitespaceMatchEnd(classes, at: start)
            }
            matches.append(start..<end)
            start = end
        }
        return matches
    }

    /// `'s|'t|'re|'ve|'m|'ll|'d`, optionally case-insensitive as Oniguruma folds case (which
    /// includes U+017F LATIN SMALL LETTER LONG S for `s`).
    private static func contractionLength(_ scalars: [Unicode.Scalar], at start: Int, caseInsensitive: Bool) -> Int? {
        guard scalars[start] == "'", start + 1 < scalars.count else { return nil }
        func letter(at index: Int) -> Unicode.Scalar? {
            guard index < scalars.count else { return nil }
            let scalar = scalars[index]
            guard caseInsensitive else { return scalar }
            if scalar == "\u{17F}" { return "s" }
            if scalar.value >= 0x41 && scalar.value <= 0x5A { return Unicode.Scalar(scalar.value + 0x20) }
            return scalar
        }
        switch letter(at: start + 1) {
        case "s", "t", "m", "d":
            return 2
        case "r", "v":
            return letter(at: start + 2) == "e" ? 3 : nil
        case "l":
            return letter(at: start + 2) == "l" ? 3 : nil
        default:
            return nil
        }
    }

    /// ` ?X+` for a class test X: the end of the match at `start`, or nil.
    private static func optionalSpaceThenRun(_ scalars: [Unicode.Scalar], _ classes: [UInt8], at start: Int,
                                             where isMember: (UInt8) -> Bool) -> Int? {
        var first = start
        if scalars[start] == " ", start + 1 < classes.count, isMember(classes[start + 1]) {
            first = start + 1
        }
        guard isMember(classes[first]) else { return nil }
        return runEnd(classes, from: first + 1, where: isMember)
    }

    private static func runEnd(_ classes: [UInt8], from start: Int, where isMember: (UInt8) -> Bool) -> Int {
        var index = start
        while index < classes.count, isMember(classes[index]) { index += 1 }
        return index
    }

    /// `\s*[\r\n]+`: backtracking leaves the match ending just after the last line break of the
    /// whitespace run that starts here.
    private static func lineBreakMatchEnd(_ classes: [UInt8], at start: Int) -> Int? {
        let end = runEnd(classes, from: start) { $0 & space != 0 }
        var index = end - 1
        while index >= start {
            if classes[index] & lineBreak != 0 { return index + 1 }
            index -= 1
        }
        return nil
    }

    /// `\s+(?!\S)|\s+`: a whitespace run that reaches the end, or all of it but its last scalar
    /// (which then leads the next word), or a single whitespace scalar. Anything else (which the
    /// full patterns never leave over) is taken one scalar at a time.
    private static func whitespaceMatchEnd(_ classes: [UInt8], at start: Int) -> Int {
        let end = runEnd(classes, from: start) { $0 & space != 0 }
        if end == start { return start + 1 }
        if end == classes.count || end - start == 1 { return end }
        return end - 1
    }
}
