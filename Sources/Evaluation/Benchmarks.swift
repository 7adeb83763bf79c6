/// The registry of benchmarks by name.
///
/// Prompts, parsers and metrics follow lmms-eval and the benchmarks' authors (each benchmark's
/// documentation names its sources). The VIRAL authors' own scripts (cvlab-kaist/VIRAL
/// `evaluation/`) differ: they sample at temperature 0.1–0.2, ask for reasoning before the letter,
/// use looser keyword parsers and evaluate What's Up through AdaptVis's one-word COCO prompts, so
/// their published numbers are not exactly reproducible with either protocol.
public enum Benchmarks {
    /// Every registered benchmark, in the order of the VIRAL paper's table.
    public static let all: [any Benchmark] = [CVBench2D(), MMVP(), WhatsUp(), POPE(), MME(), MMStar()]

    /// The registered names.
    public static var names: [String] { all.map(\.name) }

    /// The benchmark with this name. Case, "-", "_" and spaces are ignored, so "CV-Bench-2D",
    /// "cv_bench_2d" and "cvbench2d" name the same benchmark.
    public static func named(_ name: String) throws -> any Benchmark {
        let key = normalized(name)
        guard let benchmark = all.first(where: { normalized($0.name) == key }) else {
            throw EvaluationError.unknownBenchmark(name, known: names)
        }
        return benchmark
    }

    private static func normalized(_ name: String) -> String {
        String(name.lowercased().filter { $0.isLetter || $0.isNumber })
    }
}
