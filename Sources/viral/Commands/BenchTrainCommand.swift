import ArgumentParser
import Foundation
import Tensor
import Training

extension BenchCommand {
    /// `viral bench train`: one VIRAL training step timed on a `shared/bench` config.
    struct Train: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Time a VIRAL training step (frozen tower + teacher, decoder, projectors, AdamW) on a benchmark config.",
            discussion: "Prints the same ms_per_step and tokens_per_s lines as shared/bench/torch_reference.py, "
                + "plus matrix-multiply GFLOP/s and peak RSS.")

        @Option(help: "A benchmark config (e.g. ../shared/bench/train-small.json).")
        var config: String

        @Option(help: "Timed steps (the median is reported).")
        var steps: Int = 5

        @Option(help: "Untimed warm-up steps.")
        var warmup: Int = 2

        @Option(help: "Threads for kernels and OpenBLAS (default: the config's \"threads\").")
        var threads: Int?

        @Option(help: "Seed of the random weights and batch.")
        var seed: UInt64 = 0

        @Flag(help: "Also time a baseline step (L_LM only) beside a VIRAL step with cached teacher features.")
        var compareBaseline = false

        @Flag(help: "Compute logits at every position as torch_reference.py does (by default only where a label counts; the loss and gradients are the same).")
        var allLogits = false

        mutating func validate() throws {
            guard steps > 0, warmup >= 0 else { throw ValidationError("--steps must be positive and --warmup not negative") }
            if let threads, threads < 1 { throw ValidationError("--threads must be positive") }
        }

        mutating func run() throws {
            keepFreedMemory()
            let configuration = try TrainingBenchmarkConfiguration(contentsOf: URL(fileURLWithPath: config))
            Parallel.threads = threads ?? configuration.threads
            let benchmark = TrainingBenchmark(configuration: configuration, seed: seed, computingAllLogits: allLogits)
            let result = try benchmark.measure(warmup: warmup, steps: steps)
            let memory = PeakMemory.residentBytes().map { String(format: "%.0f", Double($0) / 1_048_576) } ?? "unknown"
            print("config \(configuration.name) viral threads \(Parallel.threads) steps \(steps) warmup \(warmup) "
                  + "logits \(allLogits ? "all" : "counted") loss \(String(format: "%.4f", result.losses.last ?? .nan))")
            print(String(format: "gflop_per_step %.1f (torch_reference.py, logits at every position: %.1f)",
                         result.flopsPerStep / 1e9, result.referenceFlopsPerStep / 1e9))
            print(String(format: "gflop_per_s %.1f", result.gigaflopsPerSecond))
            print("peak_rss_mb \(memory)")
            print(String(format: "ms_per_step %.1f", result.medianSeconds * 1000))
            print(String(format: "tokens_per_s %.1f", result.tokensPerSecond))
            if compareBaseline {
                let (baseline, viral) = try AlignmentOverheadBenchmark(benchmark: benchmark).measure(warmup: warmup, steps: steps)
                print(String(format: "baseline_ms_per_step %.1f", baseline * 1000))
                print(String(format: "viral_cached_teacher_ms_per_step %.1f", viral * 1000))
                print(String(format: "alignment_overhead_percent %.1f", (viral / baseline - 1) * 100))
            }
        }
    }
}
