import Foundation

/// One line of a predictions file (JSON Lines):
/// `{"answer": …, "correct": …, "parsed": … or null, "prompt": …, "question_id": …, "reference": …}`.
public struct Prediction: Codable, Equatable, Sendable {
    /// The item's question id.
    public var questionID: String
    /// The prompt the model was given (without the chat template).
    public var prompt: String
    /// The model's raw answer.
    public var answer: String
    /// What the parser read, or nil when it recognised nothing.
    public var parsed: String?
    /// Whether the parsed answer matches the answer key.
    public var correct: Bool
    /// The answer key.
    public var reference: String

    private enum CodingKeys: String, CodingKey {
        case questionID = "question_id", prompt, answer, parsed, correct, reference
    }

    /// The record of a scored prediction.
    public init(_ scored: ScoredPrediction) {
        questionID = scored.item.questionID
        prompt = scored.item.prompt
        answer = scored.rawAnswer
        parsed = scored.parsed.text
        correct = scored.isCorrect
        reference = scored.item.answer
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(questionID, forKey: .questionID)
        try container.encode(prompt, forKey: .prompt)
        try container.encode(answer, forKey: .answer)
        try container.encode(parsed, forKey: .parsed)  // written as null when nothing was recognised
        try container.encode(correct, forKey: .correct)
        try container.encode(reference, forKey: .reference)
    }

    /// The record as one line of JSON with sorted keys, ending in "\n".
    public func jsonLine() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self) + Data("\n".utf8)
    }
}

/// Writes scored predictions as a JSON Lines file, atomically.
public func writePredictions(_ predictions: [ScoredPrediction], to url: URL) throws {
    let writer = try PredictionWriter(destination: url)
    for prediction in predictions { try writer.append(prediction) }
    try writer.finish()
}

/// Appends predictions to `<destination>.partial` as they come and renames it to the destination
/// when done, so an interrupted run never leaves a truncated file under the final name (the partial
/// file stays for inspection or re-scoring).
final class PredictionWriter {
    let destination: URL
    let partial: URL
    private let handle: FileHandle

    init(destination: URL) throws {
        self.destination = destination
        partial = destination.appendingPathExtension("partial")
        guard FileManager.default.createFile(atPath: partial.path, contents: nil),
              let handle = FileHandle(forWritingAtPath: partial.path) else {
            throw EvaluationError.writeFailed(partial, reason: "cannot create the file")
        }
        self.handle = handle
    }

    func append(_ prediction: ScoredPrediction) throws {
        do {
            try handle.write(contentsOf: Prediction(prediction).jsonLine())
        } catch {
            throw EvaluationError.writeFailed(partial, reason: error.localizedDescription)
        }
    }

    func finish() throws {
        do {
            try handle.close()
        } catch {
            throw EvaluationError.writeFailed(partial, reason: error.localizedDescription)
        }
        guard rename(partial.path, destination.path) == 0 else {
            throw EvaluationError.writeFailed(destination, reason: String(cString: strerror(errno)))
        }
    }
}
