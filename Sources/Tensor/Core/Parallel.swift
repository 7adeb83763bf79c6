import CBLAS
import Dispatch
import Foundation

/// Threading for the non-GEMM kernels, and the thread count shared with OpenBLAS.
public enum Parallel {
    nonisolated(unsafe) private static var configuredThreads: Int = {
        let fromEnvironment = ProcessInfo.processInfo.environment["VIRAL_THREADS"].flatMap(Int.init)
        let threads = max(1, fromEnvironment ?? ProcessInfo.processInfo.activeProcessorCount)
        openblas_set_num_threads(Int32(threads))
        return threads
    }()

    /// The number of threads used by kernels and by OpenBLAS (`VIRAL_THREADS`, else all cores).
    public static var threads: Int {
        get { configuredThreads }
        set {
            configuredThreads = max(1, newValue)
            openblas_set_num_threads(Int32(configuredThreads))
        }
    }

    /// Splits `0..<count` into at most `threads` contiguous chunks of at least `minChunk` items
    /// and runs `body` on each, in parallel when there is more than one chunk.
    @inlinable
    public static func forEachChunk(_ count: Int, minChunk: Int = 4096, _ body: (Range<Int>) -> Void) {
        guard count > 0 else { return }
        let chunks = min(threads, max(1, count / max(minChunk, 1)))
        if chunks == 1 { body(0..<count); return }
        let size = (count + chunks - 1) / chunks
        DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
            let start = chunk * size
            let end = min(start + size, count)
            if start < end { body(start..<end) }
        }
    }
}
