import Foundation

/// MMVP (Tong et al. 2024, "Eyes wide shut?"): 150 pairs of "CLIP-blind" images, one two-option
/// question per image; a pair counts only when both of its questions are answered correctly.
///
/// On disk (tsb0601/MMVP, Hugging Face `MMVP/MMVP`):
///
///     <directory>/Questions.csv          columns Index, Question, Options, Correct Answer
///     <directory>/MMVP Images/1.jpg ...  image <Index>.jpg
///
/// e.g. `1,Are the butterfly's feet visible?,(a) Yes (b) No,(a)`. Rows 2k−1 and 2k form pair k.
///
/// Prompt and parser: lmms-eval `lmms_eval/tasks/mmvp` — the question, the options as
/// "A. …\nB. …", then "\nAnswer with the option's letter from the given choices directly.";
/// `ChoiceParsing.mmvp`. Metrics: question "accuracy" and "pair_accuracy" (the headline) over pairs
/// whose two questions were both scored.
public struct MMVP: Benchmark {
    public let name = "mmvp"
    /// Whether to apply lmms-eval's corrections of four swapped answer keys (Index 99, 100, 279,
    /// 280; tsb0601/MMVP issue 30). Off by default, to score the benchmark as published.
    public var correctsKnownAnswerErrors: Bool

    /// Creates the benchmark.
    public init(correctsKnownAnswerErrors: Bool = false) {
        self.correctsKnownAnswerErrors = correctsKnownAnswerErrors
    }

    /// lmms-eval `GROUND_TRUTH_CORRECTIONS`, keyed by the 1-based Index.
    private static let corrections = [99: "B", 100: "A", 279: "B", 280: "A"]

    public func load(from directory: URL) throws -> [EvaluationItem] {
        let table = try CSVTable(contentsOf: directory.appendingPathComponent("Questions.csv"),
                                 expected: "MMVP questions (Questions.csv)")
        let images = directory.appendingPathComponent("MMVP Images")
        var items: [EvaluationItem] = []
        for row in table.rows {
            let malformed = { (reason: String) in
                EvaluationError.malformedRecord(file: table.file, record: "line \(row.line)", reason: reason)
            }
            let indexText = try table.field("Index", in: row).trimmingCharacters(in: .whitespaces)
            guard let index = Int(indexText), index > 0 else { throw malformed("Index '\(indexText)' is not a positive integer") }
            let options = MMVP.options(in: try table.field("Options", in: row))
            guard options.count == 2 else { throw malformed("Options do not hold two options '(a) … (b) …'") }
            var answer = MMVP.letter(ofKey: try table.field("Correct Answer", in: row))
            guard answer == "A" || answer == "B" else { throw malformed("Correct Answer is not (a) or (b)") }
            if correctsKnownAnswerErrors, let corrected = MMVP.corrections[index] { answer = corrected }
            let question = try table.field("Question", in: row)
            items.append(EvaluationItem(
                questionID: String(index),
                imagePaths: [images.appendingPathComponent("\(index).jpg")],
                prompt: "\(question)\nA. \(options[0])\nB. \(options[1])"
                    + "\nAnswer with the option's letter from the given choices directly.",
                answer: answer,
                choices: options,
                grouping: [Grouping.pair: String((index - 1) / 2)]))
        }
        try requireUniqueIDs(items, in: table.file)
        return items
    }

    public func parse(rawAnswer: String, for item: EvaluationItem) -> ParsedAnswer {
        ChoiceParsing.mmvp(rawAnswer).map(ParsedAnswer.answer) ?? .unrecognized
    }

    public func score(_ predictions: [ScoredPrediction]) -> Metrics {
        let completePairs = Dictionary(grouping: predictions, by: { $0.item.group(Grouping.pair) })
            .values.filter { $0.count == 2 }
        let correctPairs = completePairs.filter { $0.allSatisfy(\.isCorrect) }.count
        return Metrics(
            benchmark: name, primary: "pair_accuracy",
            values: [
                "accuracy": percent(predictions.filter(\.isCorrect).count, of: predictions.count),
                "pair_accuracy": percent(correctPairs, of: completePairs.count),
            ],
            counts: ["questions": predictions.count, "pairs": completePairs.count])
    }

    /// The option texts of "(a) Yes (b) No", as lmms-eval `_parse_options`.
    static func options(in text: String) -> [String] {
        let range = NSRange(text.startIndex..., in: text)
        return optionPattern.matches(in: text, range: range).compactMap { match in
            Range(match.range(at: 1), in: text).map { text[$0].trimmingCharacters(in: .whitespacesAndNewlines) }
        }
    }

    private static let optionPattern = try! NSRegularExpression(
        pattern: #"\([a-z]\)\s*([^(]+?)(?=\s*\([a-z]\)|$)"#, options: [.caseInsensitive])

    /// "(a)" → "A", as lmms-eval `_normalize_answer`.
    private static func letter(ofKey key: String) -> String {
        let key = key.trimmingCharacters(in: .whitespaces).lowercased()
        if key.contains("(a)") || key == "a" { return "A" }
        if key.contains("(b)") || key == "b" { return "B" }
        return key.uppercased()
    }
}
