import ArgumentParser
import Tensor

/// `--threads`, for every command that computes: how many threads the kernels and OpenBLAS use.
struct ThreadOptions: ParsableArguments {
    @Option(help: "Threads for kernels and OpenBLAS (default: VIRAL_THREADS, else all cores).")
    var threads: Int?

    func validate() throws {
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1 (got \(threads))") }
    }

    /// Sets the thread count when the flag was given (else it stays VIRAL_THREADS or all cores).
    func apply() {
        if let threads { Parallel.threads = threads }
    }
}
