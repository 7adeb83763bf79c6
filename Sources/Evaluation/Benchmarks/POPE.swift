import Foundation

/// POPE (Li et al. 2023): yes/no object-existence questions on COCO val2014 images, in three
/// negative-sampling splits.
///
/// On disk (RUCAIBox/POPE `output/coco`, the LLaVA-1.5 `playground/data/eval/pope` layout):
///
///     <directory>/coco_pope_random.json        JSON Lines, in <directory> or <directory>/coco
///     <directory>/coco_pope_popular.json
///     <directory>/coco_pope_adversarial.json
///     <directory>/val2014/COCO_val2014_000000310196.jpg ...
///
/// Each line: `{"question_id": 1, "image": "COCO_val2014_….jpg", "text": "Is there a snowboard in
/// the image?", "label": "yes"}` ("question"/"answer" are accepted for "text"/"label"). Any subset
/// of the three files may be present. Question ids restart in every file, so items are named
/// "<split>/<question_id>".
///
/// Prompt: the lmms-eval `pope` task and LLaVA-1.5's `llava_pope_test.jsonl`:
/// question + "\nAnswer the question using a single word or phrase." Parser: `YesNoParsing.pope`.
/// Metrics (LLaVA `eval_pope.py`) per split, pooled over all splits ("all") and averaged over the
/// splits ("mean"): accuracy, precision, recall, F1 and the ratio of "yes" predictions. The headline
/// is "mean/f1", LLaVA-1.5's POPE number.
public struct POPE: Benchmark {
    /// The splits, in the order they are loaded.
    public static let splits = ["adversarial", "popular", "random"]

    public let name = "pope"

    /// Creates the benchmark.
    public init() {}

    public func load(from directory: URL) throws -> [EvaluationItem] {
        var items: [EvaluationItem] = []
        for split in POPE.splits {
            guard let file = annotationFile(for: split, in: directory) else { continue }
            for record in try DataFile.jsonLines(file, expected: "POPE questions") {
                let id = try record.identifier("question_id")
                let label = try record.string(anyOf: ["label", "answer"]).lowercased()
                    .trimmingCharacters(in: .whitespaces)
                guard label == "yes" || label == "no" else {
                    throw record.malformed("label '\(label)' is neither yes nor no")
                }
                let question = try record.string(anyOf: ["text", "question"])
                    .trimmingCharacters(in: .whitespacesAndNewlines)
                items.append(EvaluationItem(
                    questionID: "\(split)/\(id)",
                    imagePaths: [directory.appendingPathComponent("val2014")
                        .appendingPathComponent(try record.string("image"))],
                    prompt: question + "\nAnswer the question using a single word or phrase.",
                    answer: label,
                    grouping: [Grouping.split: split]))
            }
        }
        guard !items.isEmpty else {
            throw EvaluationError.missingFile(
                directory.appendingPathComponent("coco_pope_random.json"),
                expected: "at least one of coco_pope_{random,popular,adversarial}.json in the folder or its coco/ subfolder")
        }
        try requireUniqueIDs(items, in: directory)
        return items
    }

    public func parse(rawAnswer: String, for item: EvaluationItem) -> ParsedAnswer {
        .answer(YesNoParsing.pope(rawAnswer))
    }

    public func score(_ predictions: [ScoredPrediction]) -> Metrics {
        var values: [String: Double] = [:]
        var counts: [String: Int] = [:]
        var perSplit: [[String: Double]] = []
        let bySplit = Dictionary(grouping: predictions, by: { $0.item.group(Grouping.split) })
        for (split, group) in bySplit {
            let splitValues = POPE.binaryMetrics(group)
            perSplit.append(splitValues)
            counts[split] = group.count
            for (metric, value) in splitValues { values["\(split)/\(metric)"] = value }
        }
        counts["all"] = predictions.count
        for (metric, value) in POPE.binaryMetrics(predictions) {
            values["all/\(metric)"] = value
            values["mean/\(metric)"] = mean(perSplit.compactMap { $0[metric] })
        }
        return Metrics(benchmark: name, primary: "mean/f1", values: values, counts: counts)
    }

    /// Accuracy, precision, recall, F1 and yes-ratio (percent) with "yes" as the positive class,
    /// as LLaVA `eval_pope.py`; a ratio with a zero denominator is 0, as in lmms-eval.
    static func binaryMetrics(_ predictions: [ScoredPrediction]) -> [String: Double] {
        var truePositives = 0, falsePositives = 0, trueNegatives = 0, falseNegatives = 0
        for prediction in predictions {
            let saidYes = prediction.parsed.text == "yes"
            switch (saidYes, prediction.item.answer == "yes") {
            case (true, true): truePositives += 1
            case (true, false): falsePositives += 1
            case (false, false): trueNegatives += 1
            case (false, true): falseNegatives += 1
            }
        }
        let precision = percent(truePositives, of: truePositives + falsePositives)
        let recall = percent(truePositives, of: truePositives + falseNegatives)
        return [
            "accuracy": percent(truePositives + trueNegatives, of: predictions.count),
            "precision": precision,
            "recall": recall,
            "f1": precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall),
            "yes_ratio": percent(truePositives + falsePositives, of: predictions.count),
        ]
    }

    private func annotationFile(for split: String, in directory: URL) -> URL? {
        let name = "coco_pope_\(split).json"
        return [directory, directory.appendingPathComponent("coco")]
            .map { $0.appendingPathComponent(name) }
            .first { FileManager.default.fileExists(atPath: $0.path) }
    }
}
