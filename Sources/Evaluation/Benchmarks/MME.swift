import Foundation

/// MME (Fu et al. 2023): yes/no questions in 10 perception and 4 cognition categories, two
/// questions per image (one with answer yes, one with answer no).
///
/// On disk, either the official release (`MME_Benchmark_release_version`, from BradyFU/MME), with
/// the category folders in `<directory>` or in `<directory>/MME_Benchmark`:
///
///     artwork/images/10002.jpg + artwork/questions_answers_YN/10002.txt   (artwork, celebrity,
///                                                                          landmark, posters, scene)
///     existence/000000006040.jpg + existence/000000006040.txt             (the other categories)
///
/// where every .txt line is "<question>\t<Yes|No>"; or `<directory>/mme.jsonl`, converted from the
/// Parquet release `lmms-lab/MME` with
///
///     import json, os
///     from datasets import load_dataset
///     os.makedirs("images", exist_ok=True)
///     with open("mme.jsonl", "w") as out:
///         for row in load_dataset("lmms-lab/MME", split="test"):
///             path = os.path.join("images", row["question_id"])   # e.g. images/code_reasoning/0020.png
///             os.makedirs(os.path.dirname(path), exist_ok=True)
///             if not os.path.exists(path):
///                 row["image"].save(path)
///             out.write(json.dumps({"question_id": row["question_id"], "question": row["question"],
///                                   "answer": row["answer"], "category": row["category"],
///                                   "image": path}) + "\n")
///
/// Items are named "<category>/<image file>#<1 or 2>".
///
/// Prompt, parser and metrics: lmms-eval `lmms_eval/tasks/mme` — the question without
/// " Please answer yes or no." + "\nAnswer the question using a single word or phrase.";
/// `YesNoParsing.mme`; per category "accuracy" (over questions), "accuracy_plus" (over images,
/// both questions right) and "score" = accuracy + accuracy_plus (MME `eval_tool/calculation.py`);
/// "perception" (the headline) and "cognition" sum the scores of their categories present.
public struct MME: Benchmark {
    /// The ten perception categories, in MME's order.
    public static let perceptionCategories = [
        "existence", "count", "position", "color", "posters", "celebrity", "scene", "landmark", "artwork", "OCR",
    ]
    /// The four cognition categories, in MME's order.
    public static let cognitionCategories = [
        "commonsense_reasoning", "numerical_calculation", "text_translation", "code_reasoning",
    ]

    public let name = "mme"

    /// Creates the benchmark.
    public init() {}

    public func load(from directory: URL) throws -> [EvaluationItem] {
        let jsonLines = directory.appendingPathComponent("mme.jsonl")
        let items = FileManager.default.fileExists(atPath: jsonLines.path)
            ? try loadJSONLines(jsonLines, imagesIn: directory)
            : try loadCategoryFolders(in: directory)
        try requireUniqueIDs(items, in: directory)
        return items
    }

    private func loadJSONLines(_ file: URL, imagesIn directory: URL) throws -> [EvaluationItem] {
        var questionsPerImage: [String: Int] = [:]
        return try DataFile.jsonLines(file, expected: "MME questions").map { record in
            let image = try record.string("question_id")
            questionsPerImage[image, default: 0] += 1
            return try makeItem(
                image: image, number: questionsPerImage[image]!,
                imagePath: directory.appendingPathComponent(try record.string("image")),
                question: try record.string("question"), answer: try record.string("answer"),
                category: try record.string("category"), record: record.malformed)
        }
    }

    private func loadCategoryFolders(in directory: URL) throws -> [EvaluationItem] {
        let categories = MME.perceptionCategories + MME.cognitionCategories
        let nested = directory.appendingPathComponent("MME_Benchmark")
        let root = categories.contains(where: { isDirectory(directory.appendingPathComponent($0)) })
            || !isDirectory(nested) ? directory : nested
        var items: [EvaluationItem] = []
        for category in categories where isDirectory(root.appendingPathComponent(category)) {
            let folder = root.appendingPathComponent(category)
            let split = isDirectory(folder.appendingPathComponent("images"))
                && isDirectory(folder.appendingPathComponent("questions_answers_YN"))
            let questionFolder = split ? folder.appendingPathComponent("questions_answers_YN") : folder
            let imageFolder = split ? folder.appendingPathComponent("images") : folder
            for textFile in try contents(of: questionFolder).filter({ $0.pathExtension == "txt" }) {
                let stem = textFile.deletingPathExtension().lastPathComponent
                guard let imagePath = ["jpg", "png", "jpeg", "JPG", "PNG", "JPEG"]
                    .map({ imageFolder.appendingPathComponent("\(stem).\($0)") })
                    .first(where: { FileManager.default.fileExists(atPath: $0.path) })
                else {
                    throw EvaluationError.missingFile(
                        imageFolder.appendingPathComponent("\(stem).jpg"),
                        expected: "the image (.jpg or .png) of \(textFile.path)")
                }
                let lines = DataFile.lines(of: try DataFile.text(of: textFile, expected: "MME questions"))
                var number = 0
                for (index, line) in lines.enumerated() where !line.allSatisfy(\.isWhitespace) {
                    let malformed = { (reason: String) in
                        EvaluationError.malformedRecord(file: textFile, record: "line \(index + 1)", reason: reason)
                    }
                    let fields = line.components(separatedBy: "\t")
                    guard fields.count >= 2 else { throw malformed("not '<question>\\t<Yes|No>'") }
                    number += 1
                    items.append(try makeItem(
                        image: "\(category)/\(imagePath.lastPathComponent)", number: number, imagePath: imagePath,
                        question: fields[0], answer: fields[1], category: category, record: malformed))
                }
            }
        }
        guard !items.isEmpty else {
            throw EvaluationError.missingFile(
                directory.appendingPathComponent("mme.jsonl"),
                expected: "mme.jsonl or MME category folders (existence, count, …) in the folder or in MME_Benchmark/")
        }
        return items
    }

    private func makeItem(
        image: String, number: Int, imagePath: URL, question: String, answer: String, category: String,
        record malformed: (String) -> EvaluationError
    ) throws -> EvaluationItem {
        let key = answer.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
            .replacingOccurrences(of: ".", with: "")
        guard key == "yes" || key == "no" else { throw malformed("answer '\(answer)' is neither Yes nor No") }
        let text = question.trimmingCharacters(in: .whitespacesAndNewlines)
            .replacingOccurrences(of: " Please answer yes or no.", with: "")
        return EvaluationItem(
            questionID: "\(image)#\(number)", imagePaths: [imagePath],
            prompt: text + "\nAnswer the question using a single word or phrase.",
            answer: key, grouping: [Grouping.category: category, Grouping.pair: image])
    }

    public func parse(rawAnswer: String, for item: EvaluationItem) -> ParsedAnswer {
        YesNoParsing.mme(rawAnswer).map(ParsedAnswer.answer) ?? .unrecognized
    }

    public func score(_ predictions: [ScoredPrediction]) -> Metrics {
        var values: [String: Double] = [:]
        var counts: [String: Int] = [:]
        var categoryScores: [String: Double] = [:]
        for (category, group) in Dictionary(grouping: predictions, by: { $0.item.group(Grouping.category) }) {
            let images = Dictionary(grouping: group, by: { $0.item.group(Grouping.pair) }).values
            let accuracy = percent(group.filter(\.isCorrect).count, of: group.count)
            let accuracyPlus = percent(images.filter { $0.allSatisfy(\.isCorrect) }.count, of: images.count)
            values["\(category)/accuracy"] = accuracy
            values["\(category)/accuracy_plus"] = accuracyPlus
            values["\(category)/score"] = accuracy + accuracyPlus
            categoryScores[category] = accuracy + accuracyPlus
            counts[category] = group.count
            counts["\(category)/images"] = images.count
        }
        values["perception"] = MME.perceptionCategories.compactMap { categoryScores[$0] }.reduce(0, +)
        values["cognition"] = MME.cognitionCategories.compactMap { categoryScores[$0] }.reduce(0, +)
        return Metrics(benchmark: name, primary: "perception", values: values, counts: counts)
    }

    private func isDirectory(_ url: URL) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) && isDirectory.boolValue
    }

    private func contents(of folder: URL) throws -> [URL] {
        do {
            return try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
                .sorted { $0.lastPathComponent < $1.lastPathComponent }
        } catch {
            throw EvaluationError.unreadableFile(folder, reason: error.localizedDescription)
        }
    }
}
