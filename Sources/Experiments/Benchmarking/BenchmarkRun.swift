import Evaluation
import Foundation

/// `viral eval`: a benchmark run with a model, written as predictions (JSON Lines) and metrics (JSON).
public struct BenchmarkRun {
    /// The benchmark.
    public let benchmark: any Benchmark
    /// The questions asked, in the benchmark's order.
    public private(set) var items: [EvaluationItem]

    /// The benchmark `name` read from `dataDirectory`; with `limit`, only its first `limit` questions.
    public init(benchmark name: String, dataDirectory: URL, limit: Int? = nil) throws {
        benchmark = try Benchmarks.named(name)
        if let limit, limit <= 0 { throw ExperimentError("--limit must be positive (got \(limit))") }
        let all = try benchmark.load(from: dataDirectory)
        items = limit.map { Array(all.prefix($0)) } ?? all
    }

    /// At most `count` of the questions (none when `count` is not positive), spread evenly over the
    /// benchmark's order (question ⌊i · n / count⌋ for i < count), so that a subset still covers
    /// every split and task of a file that lists them one after another (POPE's first 60
    /// questions are all from its random split).
    public func evenlySpaced(_ count: Int) -> BenchmarkRun {
        guard count < items.count else { return self }
        var subset = self
        subset.items = (0..<max(count, 0)).map { items[$0 * items.count / count] }
        return subset
    }

    /// The same questions with question i shown the image of question i + n/2 (mod n): a model
    /// that reads the images loses accuracy on them; one that answers from the text alone does not.
    public func withImagesSwapped() -> BenchmarkRun {
        var swapped = self
        let images = items.map(\.imagePaths)
        for index in swapped.items.indices {
            swapped.items[index].imagePaths = images[(index + images.count / 2) % images.count]
        }
        return swapped
    }

    /// Most new tokens per answer by default. lmms-eval asks for 128 (POPE), 16 (MME, MMVP) and
    /// 1024 (CV-Bench, MMStar; What's Up is not in lmms-eval). Every prompt asks for one word or
    /// letter and greedy decoding stops at the end-of-turn token, so a cap only matters for
    /// answers that ramble; we keep lmms-eval's value up to 128.
    public static func defaultMaxNewTokens(for benchmark: any Benchmark) -> Int {
        switch benchmark.name {
        case MME().name, MMVP().name: return 16
        default: return 128
        }
    }

    /// File names in the output folder: `<benchmark>[.patch-shuffle-<seed>].{predictions.jsonl,metrics.json}`.
    public func outputFiles(in directory: URL, patchShuffle: PatchShuffle?) -> (predictions: URL, metrics: URL) {
        let stem = benchmark.name + (patchShuffle.map { ".patch-shuffle-\($0.seed)" } ?? "")
        return (directory.appendingPathComponent("\(stem).predictions.jsonl"),
                directory.appendingPathComponent("\(stem).metrics.json"))
    }

    /// Answers every question with `generator`, writes the predictions and metrics into
    /// `outputDirectory` (created if needed) and returns the result.
    public func run(with generator: ModelAnswerGenerator, outputDirectory: URL,
                    progress: (EvaluationProgress) -> Void = { _ in }) throws -> EvaluationResult {
        do {
            try FileManager.default.createDirectory(at: outputDirectory, withIntermediateDirectories: true)
        } catch {
            throw ExperimentError("cannot create the output folder \(outputDirectory.path): \(error.localizedDescription)")
        }
        let files = outputFiles(in: outputDirectory, patchShuffle: generator.patchShuffle)
        return try Evaluator(benchmark: benchmark, generator: generator)
            .run(on: items, predictionsFile: files.predictions, metricsFile: files.metrics, progress: progress)
    }

    /// Scores a predictions file again, without a model, against these questions.
    public func rescore(_ predictionsFile: URL) throws -> RescoreResult {
        try Evaluation.rescore(benchmark: benchmark, items: items, predictionsFile: predictionsFile)
    }

    /// One progress line: "[12/100] 83.3% correct  adversarial/12: Yes".
    public static func progressLine(_ progress: EvaluationProgress) -> String {
        let accuracy = 100 * Double(progress.correct) / Double(max(progress.completed, 1))
        let answer = progress.latest.rawAnswer.replacingOccurrences(of: "\n", with: " ").prefix(60)
        return String(format: "[%d/%d] %.1f%% correct  ", progress.completed, progress.total, accuracy)
            + "\(progress.latest.item.questionID): \(answer)"
    }
}
