import Foundation

/// The outcome of scoring a predictions file without a model.
public struct RescoreResult: Sendable {
    /// The predictions found, parsed and judged again, in the benchmark's item order.
    public var predictions: [ScoredPrediction]
    /// Metrics over `predictions`.
    public var metrics: Metrics
    /// Question ids of the benchmark that the file has no prediction for (metrics leave them out).
    public var missingQuestionIDs: [String]

    /// One line for the user, e.g. "scored 3000 of 3000 questions" or
    /// "scored 8 of 10 questions; 2 missing: random/4, random/9".
    public var summary: String {
        let total = predictions.count + missingQuestionIDs.count
        var text = "scored \(predictions.count) of \(total) questions"
        if !missingQuestionIDs.isEmpty {
            let shown = missingQuestionIDs.prefix(10).joined(separator: ", ")
            let more = missingQuestionIDs.count > 10 ? ", …" : ""
            text += "; \(missingQuestionIDs.count) missing: \(shown)\(more)"
        }
        return text
    }
}

/// Scores a predictions file — JSON Lines with at least `question_id` (string or integer) and
/// `answer` (the raw model answer) per line, e.g. one written by `Evaluator` — against the
/// benchmark data in `dataDirectory`, re-parsing every answer.
///
/// Throws if a line is malformed, a question id appears twice or is not in the benchmark, or the
/// file holds no predictions; question ids without a prediction are reported in the result.
public func rescore(benchmark: any Benchmark, dataDirectory: URL, predictionsFile: URL) throws -> RescoreResult {
    try rescore(benchmark: benchmark, items: benchmark.load(from: dataDirectory), predictionsFile: predictionsFile)
}

/// `rescore(benchmark:dataDirectory:predictionsFile:)` with the benchmark's items already loaded.
public func rescore(benchmark: any Benchmark, items: [EvaluationItem], predictionsFile: URL) throws -> RescoreResult {
    var answers: [String: String] = [:]
    var unknown: [String] = []
    var firstUnknownRecord = ""
    let known = Set(items.map(\.questionID))
    for record in try DataFile.jsonLines(predictionsFile, expected: "a predictions file (JSON Lines)") {
        let id = try record.identifier("question_id")
        let answer = try record.string("answer")
        guard known.contains(id) else {
            if unknown.isEmpty { firstUnknownRecord = record.location }
            unknown.append(id)
            continue
        }
        guard answers.updateValue(answer, forKey: id) == nil else {
            throw EvaluationError.duplicateQuestionID(id, file: predictionsFile, record: record.location)
        }
    }
    guard unknown.isEmpty else {
        throw EvaluationError.unknownQuestionIDs(unknown, file: predictionsFile, firstRecord: firstUnknownRecord)
    }
    guard !answers.isEmpty else { throw EvaluationError.noPredictions(file: predictionsFile) }
    var scored: [ScoredPrediction] = []
    var missing: [String] = []
    for item in items {
        if let answer = answers[item.questionID] {
            scored.append(benchmark.judge(rawAnswer: answer, for: item))
        } else {
            missing.append(item.questionID)
        }
    }
    return RescoreResult(predictions: scored, metrics: benchmark.score(scored), missingQuestionIDs: missing)
}
