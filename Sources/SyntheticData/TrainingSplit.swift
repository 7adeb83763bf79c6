import Foundation

/// One training conversation about an image: a question in a benchmark's format with its short
/// answer, two yes/no existence checks (`ExistenceDrill.checks`), then the scene's description
/// (`SceneDescription`).
public struct TrainingRecord: Hashable, Sendable {
    /// Unique id, e.g. "synth-000001".
    public var id: String
    /// The image path relative to the output folder, e.g. "images/synth-000001.png".
    public var imagePath: String
    public var scene: Scene
    public var question: Question
    /// The existence checks asked after the question.
    public var checks: [ExistenceDrill.Item]

    /// The record as LLaVA conversation turns: the image and its question, the checks, then
    /// `drill` (a drill's further questions), then the scene's description.
    func conversation(adding drill: [ExistenceDrill.Item] = []) -> [[String: String]] {
        [["from": "human", "value": "<image>\n" + question.text], ["from": "gpt", "value": question.response]]
            + (checks + drill).flatMap(\.turns)
            + [["from": "human", "value": SceneDescription.prompt], ["from": "gpt", "value": SceneDescription.text(of: scene)]]
    }
}

/// The training split: LLaVA conversation records mixing every question kind.
public struct TrainingSplit: Sendable {
    /// The records, in file order.
    public let records: [TrainingRecord]

    /// The kinds in the order units cycle through them; a pair unit yields two records (both
    /// images of an MMVP-style pair), every other unit one.
    static let kindCycle = QuestionKind.allCases

    /// Plans `count` records from the "train" seed stream.
    init(count: Int, side: Int, seed: UInt64) throws {
        var records: [TrainingRecord] = []
        var unit = 0
        while records.count < count {
            var generator = SeededGenerator(seed: seed, stream: "train", index: unit)
            let kind = TrainingSplit.kindCycle[unit % TrainingSplit.kindCycle.count]
            let sample = "training unit \(unit)"
            var items: [(scene: Scene, question: Question)]
            switch kind {
            case .count, .countChoice:
                items = [try CountingQuestions.make(kind, side: side, sample: sample, using: &generator)]
            case .relationChoice:
                items = [try RelationQuestions.choice(side: side, sample: sample, using: &generator)]
            case .relationCaption:
                items = [try RelationQuestions.caption(side: side, sample: sample, using: &generator)]
            case .existence:
                items = [try ExistenceQuestions.make(side: side, sample: sample, using: &generator)]
            case .color, .shape:
                items = [try AttributeQuestions.make(kind, side: side, sample: sample, using: &generator)]
            case .pairChoice:
                let changes = PairChange.allCases
                let change = changes[(unit / TrainingSplit.kindCycle.count) % changes.count]
                let pair = try PairedQuestions.make(change, side: side, sample: sample, using: &generator)
                items = Array(zip(pair.scenes, pair.questions))
            }
            for (scene, question) in items.prefix(count - records.count) {
                let id = String(format: "synth-%06d", records.count + 1)
                // A stream of their own, so that adding the checks left every scene and question as it was.
                var checkGenerator = SeededGenerator(seed: seed, stream: "train checks", index: records.count)
                let checks = ExistenceDrill.checks(about: scene, using: &checkGenerator)
                records.append(TrainingRecord(id: id, imagePath: "images/\(id).png", scene: scene, question: question,
                                              checks: checks))
            }
            unit += 1
        }
        self.records = records
    }

    /// Records per question kind.
    var kindCounts: [String: Int] {
        Dictionary(grouping: records, by: { $0.question.kind.rawValue }).mapValues(\.count)
    }
}

extension TrainingSplit: WritableSplit {
    var folder: String { "." }

    var images: [(path: String, scene: Scene)] {
        records.map { ($0.imagePath, $0.scene) }
    }

    /// `train.json`: `[{id, image, conversations: [{from: "human", value: "<image>\n…"},
    /// {from: "gpt", value: answer}, {from: "human", value: check}, {from: "gpt", value: "Yes"/"No"}, …,
    /// {from: "human", value: "Describe the image."}, {from: "gpt", value: description}]}]`, the
    /// LLaVA-1.5 instruction-tuning format, multi-turn as LLaVA's conversations are. The
    /// benchmark-style question comes first, right after the image, where evaluation asks it; the
    /// checks come before the description, which would tell their answers.
    ///
    /// Why the description: each answer is a token or two, so a one-question conversation gives a
    /// decoder trained from random weights one small lesson per image, and it learns the answers'
    /// text priors long before it learns to look. The description makes every object's colour,
    /// kind and place a supervised token.
    ///
    /// Why the checks: the one benchmark question per image is mostly answerable from its words
    /// (a prior). Without them, the demo's 400 steps left the drilled built-in LLaVA at 50–57 %
    /// on the demo's POPE random split in every run (2026-12-06); with them — and the built-in
    /// models warm-started on them too — at 61–75 % in three seeds (2026-12-07). Two checks per
    /// image, one "Yes" and one "No", keep asking for the image.
    func annotationFiles() throws -> [(path: String, contents: Data)] {
        let objects: [[String: Any]] = records.map { record in
            ["id": record.id, "image": record.imagePath, "conversations": record.conversation()]
        }
        return [("train.json", try DataFileFormat.json(objects))]
    }
}
