import Foundation

/// One CV-Bench 2D question.
public struct CVBenchItem: Hashable, Sendable {
    /// 1-based record index ("idx").
    public var index: Int
    /// "Count" or "Relation".
    public var task: String
    /// The image path inside the split folder, e.g. "img/2D/count/synth_1.png".
    public var fileName: String
    public var scene: Scene
    /// A `.countChoice` or `.relationChoice` question.
    public var question: Question
}

/// CV-Bench 2D: Count and Relation questions in alternation, in the Hugging Face JSON Lines layout.
///
/// The records name their source "Synthetic". CV-Bench's headline metric averages the ADE20K
/// and COCO accuracies, which these records do not have: read "accuracy" and the per-task
/// accuracies instead.
public struct CVBenchSplit: Sendable {
    /// The source name written in every record.
    public static let source = "Synthetic"

    public let items: [CVBenchItem]

    init(count: Int, side: Int, seed: UInt64) throws {
        items = try (0..<count).map { offset in
            var generator = SeededGenerator(seed: seed, stream: "cvbench", index: offset)
            let index = offset + 1
            let isCount = offset % 2 == 0
            let sample = "CV-Bench item \(index)"
            let made = isCount
                ? try CountingQuestions.make(.countChoice, side: side, sample: sample, using: &generator)
                : try RelationQuestions.choice(side: side, sample: sample, using: &generator)
            return CVBenchItem(
                index: index, task: isCount ? "Count" : "Relation",
                fileName: "img/2D/\(isCount ? "count" : "relation")/synth_\(index).png",
                scene: made.scene, question: made.question)
        }
    }

    /// CV-Bench's short `question` field for a query ("How many … are in the image?",
    /// "Where is … located with respect to …?").
    static func shortQuestion(_ query: Query) -> String {
        switch query {
        case let .count(filter): return CountingQuestions.cvBenchQuestion(filter)
        case let .relation(subject, reference): return PromptText.relationQuestion(subject, reference)
        default: preconditionFailure("CV-Bench items are counting or relation questions")
        }
    }
}

extension CVBenchSplit: WritableSplit {
    var folder: String { "cvbench" }

    var images: [(path: String, scene: Scene)] {
        items.map { ($0.fileName, $0.scene) }
    }

    /// `test_2d.jsonl` with the fields of `nyu-visionx/CV-Bench`.
    func annotationFiles() throws -> [(path: String, contents: Data)] {
        let records: [[String: Any]] = items.map { item in
            [
                "idx": item.index, "type": "2D", "task": item.task,
                "question": CVBenchSplit.shortQuestion(item.question.query),
                "choices": item.question.choices,
                "answer": "(\(item.question.response))",
                "prompt": item.question.prompt,
                "filename": item.fileName,
                "source": CVBenchSplit.source,
                "source_dataset": SyntheticDataset.generatorName,
                "source_filename": item.fileName,
            ]
        }
        return [("test_2d.jsonl", try DataFileFormat.jsonLines(records))]
    }
}
