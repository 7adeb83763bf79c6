import CBLAS
import Dispatch
import Foundation

/// Threading for every kernel, GEMM included.
///
/// OpenBLAS runs single-threaded inside our threads: `GEMM.run` splits large products across
/// `threads` itself, and ops with many small products (attention heads) run them side by side.
/// One set of threads then does all the work, so the cores are never shared with OpenBLAS's own
/// workers, which spin (`sched_yield`) for a while after each call.
public enum Parallel {
    nonisolated(unsafe) private static var configuredThreads: Int = {
        openblas_set_num_threads(1)
        let fromEnvironment = ProcessInfo.processInfo.environment["VIRAL_THREADS"].flatMap(Int.init)
        return max(1, fromEnvironment ?? ProcessInfo.processInfo.activeProcessorCount)
    }()

    /// The number of threads kernels use (`VIRAL_THREADS`, else all cores).
    public static var threads: Int {
        get { configuredThreads }
        set { configuredThreads = max(1, newValue) }
    }

    /// Splits `0..<count` into at most `threads` contiguous chunks of at least `minChunk` items
    /// and runs `body` on each, in parallel when there is more than one chunk. The default chunk
    /// suits memory-bound elementwise loops: waking a thread costs several microseconds, as
    /// long as adding ~32 K floats.
    @inlinable
    public static func forEachChunk(_ count: Int, minChunk: Int = 1 << 15, _ body: (Range<Int>) -> Void) {
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

    /// For sums over the rows of a [rows, width] matrix into one width-long vector (weight and
    /// bias gradients): splits the columns into blocks of at least 64 and runs `body` on each,
    /// so that each thread owns its part of the result.
    @inlinable
    public static func forEachColumnBlock(_ width: Int, rows: Int, _ body: (Range<Int>) -> Void) {
        forEachChunk(width, minChunk: max(64, 4096 / max(rows, 1)), body)
    }
}
