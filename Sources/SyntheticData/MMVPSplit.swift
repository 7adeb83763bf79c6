import Foundation

/// MMVP: pairs of images that differ in one detail, one two-option question per image, in the
/// layout of tsb0601/MMVP (`Questions.csv` + `MMVP Images/<Index>.jpg`).
///
/// The loader and MMVP's own scripts fix the image names to `<Index>.jpg`, but the files hold
/// PNG data: a one-detail difference must survive exactly, and the `Vision` decoder (like PIL)
/// recognises the format by its signature, not by the name.
public struct MMVPSplit: Sendable {
    /// The pairs; pair k holds the questions with Index 2k+1 and 2k+2.
    public let pairs: [ScenePair]

    init(pairCount: Int, side: Int, seed: UInt64) throws {
        pairs = try (0..<pairCount).map { index in
            var generator = SeededGenerator(seed: seed, stream: "mmvp", index: index)
            let change = PairChange.allCases[index % PairChange.allCases.count]
            return try PairedQuestions.make(change, side: side, sample: "MMVP pair \(index + 1)", using: &generator)
        }
    }
}

extension MMVPSplit: WritableSplit {
    var folder: String { "mmvp" }

    var images: [(path: String, scene: Scene)] {
        pairs.enumerated().flatMap { offset, pair in
            pair.scenes.enumerated().map { ("MMVP Images/\(2 * offset + $0.offset + 1).jpg", $0.element) }
        }
    }

    /// `Questions.csv`: Index, Question, Options "(a) … (b) …", Correct Answer "(a)" or "(b)".
    func annotationFiles() throws -> [(path: String, contents: Data)] {
        let rows = pairs.enumerated().flatMap { offset, pair in
            pair.questions.enumerated().map { position, question in
                [String(2 * offset + position + 1), pair.question,
                 "(a) \(pair.options[0]) (b) \(pair.options[1])",
                 question.correctChoice == 0 ? "(a)" : "(b)"]
            }
        }
        let header = ["Index", "Question", "Options", "Correct Answer"]
        return [("Questions.csv", DataFileFormat.csv(header: header, rows: rows))]
    }
}
