import Foundation

/// A benchmark: how its published files are read, how its answers are parsed and how it is scored.
public protocol Benchmark: Sendable {
    /// The registry name, e.g. "pope".
    var name: String { get }

    /// Reads the benchmark from the folder that holds its published files.
    /// Image files are not opened; only the annotation files must exist.
    func load(from directory: URL) throws -> [EvaluationItem]

    /// Reads the answer out of a model's raw text the way the reference evaluation does.
    func parse(rawAnswer: String, for item: EvaluationItem) -> ParsedAnswer

    /// Computes the benchmark's metrics over scored predictions.
    func score(_ predictions: [ScoredPrediction]) -> Metrics
}

extension Benchmark {
    /// Parses a raw answer and judges it against the item's answer key.
    public func judge(rawAnswer: String, for item: EvaluationItem) -> ScoredPrediction {
        let parsed = parse(rawAnswer: rawAnswer, for: item)
        return ScoredPrediction(
            item: item, rawAnswer: rawAnswer, parsed: parsed, isCorrect: parsed.text == item.answer)
    }
}
