import Foundation

/// What's Up (Kamath, Hessel, Chang, EMNLP 2023): spatial-relation caption choice. Every image
/// comes with caption options of which the first is correct.
///
/// On disk (amitakamath/whatsup_vlms `data/`, its Google-Drive release); any subset may be present:
///
///     controlled_images_dataset.json + controlled_images/   Controlled-A: on/under/left/right, 4 options
///     controlled_clevr_dataset.json  + controlled_clevr/    Controlled-B: in-front/behind/left/right
///     coco_qa_one_obj.json, coco_qa_two_obj.json + val2017/ COCO-spatial, 2 options
///     vg_qa_one_obj.json,   vg_qa_two_obj.json   + vg_images/ GQA-spatial, 2 options
///
/// Controlled files hold `[{"image_path": "data/controlled_images/beer-bottle_on_armchair.jpeg",
/// "caption_options": ["A beer bottle on a armchair", …]}]` (the image is looked up by file name in
/// the subset's image folder); the others hold `[[image_id, true caption, false caption], …]` with
/// images `val2017/<id, 12 digits>.jpg` and `vg_images/<id>.jpg`.
///
/// The paper scores contrastive models by caption likelihood; a generative MLLM is asked here to
/// choose among the captions, shown as lettered options in an order shuffled deterministically per
/// question (the correct caption is always first in the files): "Which caption describes the
/// image correctly?\nA. …\nB. …\nAnswer with the option's letter from the given choices directly."
/// — the LLaVA-1.5 multiple-choice instruction. Parser: `ChoiceParsing.cambrian`, falling back to an
/// answer that repeats one caption verbatim.
///
/// Metrics (whatsup_vlms `dataset_zoo/aro_datasets.py`, `evaluate_scores`): per subset "accuracy";
/// for Controlled-A/B also "pair_accuracy" (left+right both correct, on+under or in-front+behind both
/// correct, over object pairs × axes) and "set_accuracy" (all four images of an object pair
/// correct). Macro-averages as the paper's Table 1: "controlled/…" over A and B, "coco/accuracy" and
/// "gqa/accuracy" over one- and two-object; the headline "average" is the mean accuracy over the
/// subsets present.
public struct WhatsUp: Benchmark {
    public let name = "whatsup"

    /// Creates the benchmark.
    public init() {}

    /// How a subset's annotation file is laid out.
    private enum Layout {
        /// `[{"image_path": …, "caption_options": [4 captions]}]`, Controlled-A and -B.
        case controlled
        /// `[[image_id, true caption, false caption]]`, with the image file name of an id.
        case captionPairs(imageName: @Sendable (String) -> String)
    }

    /// One published subset.
    private struct Subset {
        let name: String
        let file: String
        let imageFolder: String
        let layout: Layout
    }

    private static let subsets = [
        Subset(name: "controlled_a", file: "controlled_images_dataset.json",
               imageFolder: "controlled_images", layout: .controlled),
        Subset(name: "controlled_b", file: "controlled_clevr_dataset.json",
               imageFolder: "controlled_clevr", layout: .controlled),
        Subset(name: "coco_one", file: "coco_qa_one_obj.json",
               imageFolder: "val2017", layout: .captionPairs(imageName: { cocoImageName($0) })),
        Subset(name: "coco_two", file: "coco_qa_two_obj.json",
               imageFolder: "val2017", layout: .captionPairs(imageName: { cocoImageName($0) })),
        Subset(name: "gqa_one", file: "vg_qa_one_obj.json",
               imageFolder: "vg_images", layout: .captionPairs(imageName: { "\($0).jpg" })),
        Subset(name: "gqa_two", file: "vg_qa_two_obj.json",
               imageFolder: "vg_images", layout: .captionPairs(imageName: { "\($0).jpg" })),
    ]

    /// COCO val2017 file names are the image id padded to 12 digits.
    private static func cocoImageName(_ id: String) -> String {
        String(repeating: "0", count: max(0, 12 - id.count)) + id + ".jpg"
    }

    public func load(from directory: URL) throws -> [EvaluationItem] {
        var items: [EvaluationItem] = []
        for subset in WhatsUp.subsets {
            let file = directory.appendingPathComponent(subset.file)
            guard FileManager.default.fileExists(atPath: file.path) else { continue }
            let images = directory.appendingPathComponent(subset.imageFolder)
            for (index, element) in try DataFile.jsonArray(file, expected: "What's Up annotations").enumerated() {
                let location = "element [\(index)]"
                switch subset.layout {
                case .controlled:
                    guard let fields = element as? [String: Any] else {
                        throw EvaluationError.malformedRecord(file: file, record: location, reason: "not a JSON object")
                    }
                    items.append(try controlledItem(
                        JSONRecord(fields: fields, file: file, location: location), subset: subset.name, images: images))
                case let .captionPairs(imageName):
                    guard let row = element as? [Any], row.count == 3, let imageID = identifierText(row[0]),
                          let trueCaption = row[1] as? String, let falseCaption = row[2] as? String else {
                        throw EvaluationError.malformedRecord(
                            file: file, record: location, reason: "not [image_id, true caption, false caption]")
                    }
                    items.append(makeItem(
                        id: "\(subset.name)/\(index)", image: images.appendingPathComponent(imageName(imageID)),
                        captions: [trueCaption, falseCaption], grouping: [Grouping.subset: subset.name]))
                }
            }
        }
        guard !items.isEmpty else {
            throw EvaluationError.missingFile(
                directory.appendingPathComponent(WhatsUp.subsets[0].file),
                expected: "at least one What's Up annotation file: "
                    + WhatsUp.subsets.map(\.file).joined(separator: ", "))
        }
        try requireUniqueIDs(items, in: directory)
        return items
    }

    /// A Controlled-A/B item, grouped by its object pair (set) and relation axis (pair).
    private func controlledItem(_ record: JSONRecord, subset: String, images: URL) throws -> EvaluationItem {
        let imageName = URL(fileURLWithPath: try record.string("image_path")).lastPathComponent
        let captions = try record.strings("caption_options")
        guard captions.count == 4 else {
            throw record.malformed("caption_options has \(captions.count) captions, expected 4")
        }
        // Names are "<object>_<relation>[_of]_<object>.jpeg"; aro_datasets.py keys an object pair
        // by the first and last part and the relation by the second.
        let stem = (imageName as NSString).deletingPathExtension
        let parts = stem.components(separatedBy: "_")
        guard parts.count >= 3 else {
            throw record.malformed("image name '\(imageName)' is not <object>_<relation>_<object>")
        }
        let objects = "\(subset)/\(parts[0])|\(parts[parts.count - 1])"
        let axis = parts[1] == "left" || parts[1] == "right" ? "left-right" : "other"
        return makeItem(
            id: "\(subset)/\(stem)", image: images.appendingPathComponent(imageName), captions: captions,
            grouping: [Grouping.subset: subset, Grouping.set: objects, Grouping.pair: "\(objects)/\(axis)"])
    }

    /// An item whose captions (correct one first) are shown in a per-question shuffled order.
    private func makeItem(id: String, image: URL, captions: [String], grouping: [String: String]) -> EvaluationItem {
        let order = deterministicPermutation(count: captions.count, key: id)
        let letters = Array(ChoiceParsing.letters(count: captions.count))
        let shown = order.map { captions[$0] }
        let options = zip(letters, shown).map { "\($0). \($1)" }.joined(separator: "\n")
        return EvaluationItem(
            questionID: id, imagePaths: [image],
            prompt: "Which caption describes the image correctly?\n\(options)"
                + "\nAnswer with the option's letter from the given choices directly.",
            answer: String(letters[order.firstIndex(of: 0)!]),
            choices: shown, grouping: grouping)
    }

    public func parse(rawAnswer: String, for item: EvaluationItem) -> ParsedAnswer {
        let letters = ChoiceParsing.letters(count: item.choices.count)
        if let letter = ChoiceParsing.cambrian(rawAnswer, letters: letters) { return .answer(letter) }
        let answer = WhatsUp.normalized(rawAnswer)
        if let index = item.choices.firstIndex(where: { WhatsUp.normalized($0) == answer }) {
            return .answer(String(Array(letters)[index]))
        }
        return .unrecognized
    }

    private static func normalized(_ caption: String) -> String {
        var text = caption.lowercased().trimmingCharacters(in: .whitespacesAndNewlines)
        while text.hasSuffix(".") { text.removeLast() }
        return text
    }

    public func score(_ predictions: [ScoredPrediction]) -> Metrics {
        var values: [String: Double] = [:]
        var counts: [String: Int] = [:]
        for (subset, group) in Dictionary(grouping: predictions, by: { $0.item.group(Grouping.subset) }) {
            values["\(subset)/accuracy"] = percent(group.filter(\.isCorrect).count, of: group.count)
            counts[subset] = group.count
            guard subset.hasPrefix("controlled") else { continue }
            let pairs = Dictionary(grouping: group, by: { $0.item.group(Grouping.pair) }).values
            let sets = Dictionary(grouping: group, by: { $0.item.group(Grouping.set) }).values
            values["\(subset)/pair_accuracy"] = percent(
                pairs.filter { $0.count == 2 && $0.allSatisfy(\.isCorrect) }.count, of: pairs.count)
            values["\(subset)/set_accuracy"] = percent(
                sets.filter { $0.count == 4 && $0.allSatisfy(\.isCorrect) }.count, of: sets.count)
            counts["\(subset)/pairs"] = pairs.count
            counts["\(subset)/sets"] = sets.count
        }
        let macroAverages = [
            ("controlled", ["accuracy", "pair_accuracy", "set_accuracy"]),
            ("coco", ["accuracy"]),
            ("gqa", ["accuracy"]),
        ]
        for (family, metrics) in macroAverages {
            let members = WhatsUp.subsets.map(\.name).filter { $0.hasPrefix(family) }
            for metric in metrics {
                values["\(family)/\(metric)"] = mean(members.compactMap { values["\($0)/\(metric)"] })
            }
        }
        values["average"] = mean(WhatsUp.subsets.compactMap { values["\($0.name)/accuracy"] })
        return Metrics(benchmark: name, primary: "average", values: values, counts: counts)
    }
}
