import Foundation

/// Produces a model's raw answer to a benchmark item; the model side of `viral eval` implements it.
public protocol AnswerGenerator {
    /// The model's answer to `item.prompt` about `item.imagePaths`.
    func answer(to item: EvaluationItem) throws -> String
}

/// Where a run is, reported after every item.
public struct EvaluationProgress: Sendable {
    /// Items answered so far.
    public var completed: Int
    /// Items in the run.
    public var total: Int
    /// Items answered correctly so far.
    public var correct: Int
    /// The item just answered.
    public var latest: ScoredPrediction
}

/// The outcome of a run.
public struct EvaluationResult: Sendable {
    /// Every item's prediction, in item order.
    public var predictions: [ScoredPrediction]
    /// The benchmark's metrics over them.
    public var metrics: Metrics
}

/// Runs an answer generator over a benchmark's items and writes predictions and metrics.
public struct Evaluator {
    /// The benchmark that parses and scores.
    public var benchmark: any Benchmark
    /// The model.
    public var generator: any AnswerGenerator

    /// Creates an evaluator.
    public init(benchmark: any Benchmark, generator: any AnswerGenerator) {
        self.benchmark = benchmark
        self.generator = generator
    }

    /// Answers every item in order, appending each prediction to `predictionsFile` (JSON Lines, see
    /// `Prediction`; written as `<file>.partial` and renamed at the end) and reporting `progress`;
    /// then scores them and, if `metricsFile` is given, writes the metrics there as JSON.
    public func run(
        on items: [EvaluationItem], predictionsFile: URL, metricsFile: URL? = nil,
        progress: (EvaluationProgress) -> Void = { _ in }
    ) throws -> EvaluationResult {
        let writer = try PredictionWriter(destination: predictionsFile)
        var predictions: [ScoredPrediction] = []
        predictions.reserveCapacity(items.count)
        var correct = 0
        for item in items {
            let rawAnswer: String
            do {
                rawAnswer = try generator.answer(to: item)
            } catch {
                throw EvaluationError.generationFailed(questionID: item.questionID, reason: "\(error)")
            }
            let prediction = benchmark.judge(rawAnswer: rawAnswer, for: item)
            try writer.append(prediction)
            predictions.append(prediction)
            if prediction.isCorrect { correct += 1 }
            progress(EvaluationProgress(
                completed: predictions.count, total: items.count, correct: correct, latest: prediction))
        }
        try writer.finish()
        let metrics = benchmark.score(predictions)
        if let metricsFile { try metrics.write(to: metricsFile) }
        return EvaluationResult(predictions: predictions, metrics: metrics)
    }
}
