import ArgumentParser
import Tensor

/// `viral bench …`: speed measurements printed beside their references.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure speed beside a reference.",
        subcommands: [Ops.self, Train.self]
    )

    struct Ops: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "GEMM, attention and RMS norm kernels: GFLOP/s and GB/s, GEMM beside cblas_sgemm from C.")

        @Option(help: "Threads for kernels and OpenBLAS (default: VIRAL_THREADS or all cores).")
        var threads: Int?

        @Option(help: "Timed repetitions per measurement (the best is reported).")
        var repeats: Int = 5

        mutating func run() throws {
            if let threads { Parallel.threads = threads }
            OpsBenchmark(repeats: max(1, repeats)).run()
        }
    }
}
