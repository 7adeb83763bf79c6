import Foundation

/// Option-letter parsers of the reference evaluations. All return an uppercase letter from
/// `letters`, or nil when the answer names none of them.
public enum ChoiceParsing {
    /// Cambrian's `extract_mcq_answer` (cambrian-mllm/cambrian `eval/eval/coco/coco_test.py`,
    /// the official CV-Bench scorer): lowercase and trim; keep the text after "answer is",
    /// "answer is:" or "answer:"; trim again and strip trailing ".", leading "(" and trailing ")";
    /// the first character is the answer.
    public static func cambrian(_ rawAnswer: String, letters: String) -> String? {
        var text = rawAnswer.lowercased().trimmingCharacters(in: .whitespacesAndNewlines)
        for keyword in ["answer is", "answer is:", "answer:"] where text.contains(keyword) {
            text = text.components(separatedBy: keyword).last!
        }
        text = text.trimmingCharacters(in: .whitespacesAndNewlines)
        while text.hasSuffix(".") { text.removeLast() }
        while text.hasPrefix("(") { text.removeFirst() }
        while text.hasSuffix(")") { text.removeLast() }
        return text.first.flatMap { option(in: letters, matching: $0) }
    }

    /// lmms-eval's MMVP `_extract_answer_letter` (`lmms_eval/tasks/mmvp/utils.py`): the first of
    /// these case-insensitive patterns that matches the trimmed answer gives the letter — the
    /// letter alone, the letter at the start, "answer is X", "option X", any "X" or "(X)" followed
    /// by a space or the end — and failing those the first character.
    /// Note the last pattern also takes the article in "there is a dog" for option A, as lmms-eval does.
    public static func mmvp(_ rawAnswer: String) -> String? {
        let text = rawAnswer.trimmingCharacters(in: .whitespacesAndNewlines)
        let range = NSRange(text.startIndex..., in: text)
        for pattern in mmvpPatterns {
            if let match = pattern.firstMatch(in: text, range: range),
               let letter = Range(match.range(at: 1), in: text) {
                return text[letter].uppercased()
            }
        }
        return text.first.flatMap { option(in: "AB", matching: $0) }
    }

    private static let mmvpPatterns: [NSRegularExpression] = [
        #"^\s*\(?([AB])\)?\.?\s*$"#,
        #"^\s*\(?([AB])\)?[\.\s]"#,
        #"answer\s+is\s+\(?([AB])\)?"#,
        #"option\s+\(?([AB])\)?"#,
        #"\(?([AB])\)?(?:\s|$)"#,
    ].map { try! NSRegularExpression(pattern: $0, options: [.caseInsensitive]) }

    /// MMStar's `exact_match` (lmms-eval `lmms_eval/tasks/mmstar/utils.py`, "brought from MMStar"):
    /// after lowercasing, trimming and turning newlines into spaces, the answer letter is the
    /// first character, or the second after "(", or the one after "option " or "the answer is ".
    /// The first of these that is one of `letters` is returned; since "(", "o" and "t" are not
    /// option letters this judges exactly like `exact_match`.
    public static func mmstar(_ rawAnswer: String, letters: String) -> String? {
        let text = Array(rawAnswer.lowercased().trimmingCharacters(in: .whitespacesAndNewlines)
            .replacingOccurrences(of: "\n", with: " "))
        func character(at offset: Int) -> Character? { offset < text.count ? text[offset] : nil }
        var candidates: [Character?] = [character(at: 0)]
        if text.first == "(" { candidates.append(character(at: 1)) }
        if text.starts(with: "option ") { candidates.append(character(at: 7)) }
        if text.starts(with: "the answer is ") { candidates.append(character(at: 14)) }
        for case let candidate? in candidates {
            if let letter = option(in: letters, matching: candidate) { return letter }
        }
        return nil
    }

    /// The option letters for `count` choices: "AB", "ABCD", ...
    public static func letters(count: Int) -> String {
        String("ABCDEFGHIJKLMNOPQRSTUVWXYZ".prefix(count))
    }

    /// `character` uppercased if it is one of `letters`.
    private static func option(in letters: String, matching character: Character) -> String? {
        let upper = character.uppercased()
        return letters.contains(upper) ? upper : nil
    }
}
