import Foundation

/// CV-Bench 2D (Tong et al. 2024, Cambrian-1): multiple-choice Count and Relation questions on
/// ADE20K and COCO images.
///
/// On disk: the Hugging Face dataset repository `nyu-visionx/CV-Bench` publishes the annotations
/// as JSON Lines beside the images, so no conversion is needed
/// (`huggingface-cli download nyu-visionx/CV-Bench --repo-type dataset --local-dir <directory>`):
///
///     <directory>/test_2d.jsonl     (or test.jsonl, of which the "type": "2D" records are used)
///     <directory>/img/2D/count/ade20k_10.png ...
///
/// Each line: `{"idx": 787, "type": "2D", "task": "Count", "question": "…", "choices": ["0", "3",
/// "2", "1"], "answer": "(D)", "prompt": "How many … Select from the following choices.\n(A) 0\n…",
/// "filename": "img/2D/count/coco_287.png", "source": "COCO", …}`. From the Parquet files alone
/// the same layout is written by
///
///     import json, os
///     from datasets import load_dataset
///     with open("test_2d.jsonl", "w") as out:
///         for row in load_dataset("nyu-visionx/CV-Bench", "2D", split="test"):
///             os.makedirs(os.path.dirname(row["filename"]), exist_ok=True)
///             row["image"].save(row["filename"])
///             out.write(json.dumps({k: v for k, v in row.items() if k != "image"}) + "\n")
///
/// Prompt: the record's `prompt` + "\nAnswer with the option's letter from the given choices
/// directly." (Cambrian's evaluation, `eval/eval/ade/ade_eval.py`; lmms-eval instead prefixes
/// "Note: You only need to respond with A, B, C, D without providing any additional information.").
/// Parser: `ChoiceParsing.cambrian`, the official scorer's. Metrics: accuracy over all questions,
/// per task ("task/Count", "task/Relation"), per source ("source/ADE20K", "source/COCO"), and the
/// official 2D accuracy "cv_bench_2d" = mean of the ADE20K and COCO accuracies (CV-Bench README),
/// the headline.
public struct CVBench2D: Benchmark {
    public let name = "cvbench2d"

    /// Creates the benchmark.
    public init() {}

    public func load(from directory: URL) throws -> [EvaluationItem] {
        let twoD = directory.appendingPathComponent("test_2d.jsonl")
        let combined = directory.appendingPathComponent("test.jsonl")
        let file = FileManager.default.fileExists(atPath: twoD.path)
            || !FileManager.default.fileExists(atPath: combined.path) ? twoD : combined
        var items: [EvaluationItem] = []
        for record in try DataFile.jsonLines(file, expected: "CV-Bench annotations (test_2d.jsonl or test.jsonl)") {
            guard try record.string("type") == "2D" else { continue }
            let choices = try record.strings("choices")
            let answer = try record.string("answer").trimmingCharacters(in: CharacterSet(charactersIn: "() "))
            guard answer.count == 1, ChoiceParsing.letters(count: choices.count).contains(answer) else {
                throw record.malformed("answer '\(answer)' is not one of the \(choices.count) option letters")
            }
            items.append(EvaluationItem(
                questionID: try record.identifier("idx"),
                imagePaths: [directory.appendingPathComponent(try record.string("filename"))],
                prompt: try record.string("prompt") + "\nAnswer with the option's letter from the given choices directly.",
                answer: answer,
                choices: choices,
                grouping: [Grouping.category: try record.string("task"), Grouping.source: try record.string("source")]))
        }
        try requireUniqueIDs(items, in: file)
        return items
    }

    public func parse(rawAnswer: String, for item: EvaluationItem) -> ParsedAnswer {
        ChoiceParsing.cambrian(rawAnswer, letters: ChoiceParsing.letters(count: item.choices.count))
            .map(ParsedAnswer.answer) ?? .unrecognized
    }

    public func score(_ predictions: [ScoredPrediction]) -> Metrics {
        var values = ["accuracy": percent(predictions.filter(\.isCorrect).count, of: predictions.count)]
        var counts = ["all": predictions.count]
        for (key, prefix) in [(Grouping.category, "task"), (Grouping.source, "source")] {
            for (group, result) in accuracyByGroup(predictions, key: key) {
                values["\(prefix)/\(group)"] = result.accuracy
                counts["\(prefix)/\(group)"] = result.count
            }
        }
        // The official average needs the ADE20K and COCO sources; data from elsewhere (e.g. the
        // synthetic suite) is headlined by the mean of its task accuracies instead.
        if let official = mean(["source/ADE20K", "source/COCO"].compactMap { values[$0] }) {
            values["cv_bench_2d"] = official
            return Metrics(benchmark: name, primary: "cv_bench_2d", values: values, counts: counts)
        }
        values["task_average"] = mean(values.filter { $0.key.hasPrefix("task/") }.map(\.value))
        return Metrics(benchmark: name, primary: "task_average", values: values, counts: counts)
    }
}
