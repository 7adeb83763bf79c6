import Foundation

/// MMStar (Chen et al. 2024): 1,500 vision-indispensable multiple-choice questions in 6 core
/// categories and 18 L2 categories; the options are written in the question text.
///
/// On disk: `<directory>/mmstar.jsonl` with image files beside it. The benchmark is published as
/// Parquet (`Lin-Chen/MMStar`, split "val"); convert it once with
///
///     import json, os
///     from datasets import load_dataset
///     os.makedirs("images", exist_ok=True)
///     with open("mmstar.jsonl", "w") as out:
///         for row in load_dataset("Lin-Chen/MMStar", split="val"):
///             path = f"images/{row['index']}.png"
///             row["image"].convert("RGB").save(path)
///             out.write(json.dumps({"index": row["index"], "question": row["question"],
///                                   "answer": row["answer"], "category": row["category"],
///                                   "l2_category": row["l2_category"], "image": path}) + "\n")
///
/// Prompt, parser and metrics: lmms-eval `lmms_eval/tasks/mmstar` — the question +
/// "\nAnswer with the option's letter from the given choices directly" (sic, no full stop);
/// `ChoiceParsing.mmstar`; per L2 category accuracy ("l2_category/…"), per core category the mean
/// of its L2 accuracies ("category/…"), and the headline "average", the mean of all L2 accuracies
/// (the official evaluator's); "accuracy" is the plain accuracy over questions.
public struct MMStar: Benchmark {
    /// The option letters MMStar's parser accepts.
    static let letters = "ABCDEF"

    public let name = "mmstar"

    /// Creates the benchmark.
    public init() {}

    public func load(from directory: URL) throws -> [EvaluationItem] {
        let file = directory.appendingPathComponent("mmstar.jsonl")
        let items = try DataFile.jsonLines(file, expected: "MMStar questions converted from Lin-Chen/MMStar")
            .map { record -> EvaluationItem in
                let answer = try record.string("answer").trimmingCharacters(in: .whitespaces).uppercased()
                guard answer.count == 1, MMStar.letters.contains(answer) else {
                    throw record.malformed("answer '\(answer)' is not an option letter")
                }
                let question = try record.string("question").trimmingCharacters(in: .whitespacesAndNewlines)
                    .replacingOccurrences(of: " Please answer yes or no.", with: "")
                return EvaluationItem(
                    questionID: try record.identifier("index"),
                    imagePaths: [directory.appendingPathComponent(try record.string("image"))],
                    prompt: question + "\nAnswer with the option's letter from the given choices directly",
                    answer: answer,
                    grouping: [Grouping.category: try record.string("category"),
                               Grouping.subcategory: try record.string(anyOf: ["l2_category", "l2-category"])])
            }
        try requireUniqueIDs(items, in: file)
        return items
    }

    public func parse(rawAnswer: String, for item: EvaluationItem) -> ParsedAnswer {
        ChoiceParsing.mmstar(rawAnswer, letters: MMStar.letters).map(ParsedAnswer.answer) ?? .unrecognized
    }

    public func score(_ predictions: [ScoredPrediction]) -> Metrics {
        var values = ["accuracy": percent(predictions.filter(\.isCorrect).count, of: predictions.count)]
        var counts = ["all": predictions.count]
        let subcategories = accuracyByGroup(predictions, key: Grouping.subcategory)
        for (subcategory, result) in subcategories {
            values["l2_category/\(subcategory)"] = result.accuracy
            counts["l2_category/\(subcategory)"] = result.count
        }
        let byCategory = Dictionary(grouping: predictions, by: { $0.item.group(Grouping.category) })
        for (category, group) in byCategory {
            let members = Set(group.map { $0.item.group(Grouping.subcategory) })
            values["category/\(category)"] = mean(members.compactMap { subcategories[$0]?.accuracy })
            counts["category/\(category)"] = group.count
        }
        values["average"] = mean(subcategories.values.map(\.accuracy))
        return Metrics(benchmark: name, primary: "average", values: values, counts: counts)
    }
}
