import ArgumentParser
import Tensor

/// `viral bench …`: speed measurements printed beside their references.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure speed beside a reference.",
        subcommands: [Ops.self, Train.self, Generate.self, Checkpoint.self]
    )

    struct Ops: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "GEMM, attention and RMS norm kernels: GFLOP/s and GB/s, GEMM beside cblas_sgemm from C.")

        @OptionGroup var threadOptions: ThreadOptions

        @Option(help: "Timed repetitions per measurement (the best is reported).")
        var repeats: Int = 5

        mutating func run() throws {
            threadOptions.apply()
            OpsBenchmark(repeats: max(1, repeats)).run()
        }
    }
}
