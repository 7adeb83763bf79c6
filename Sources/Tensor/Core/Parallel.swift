import CBLAS
import CThreadPool
import Foundation

/// Threading for every kernel, GEMM included.
///
/// OpenBLAS runs single-threaded inside our threads: `GEMM.run` splits large products across
/// `threads` itself, and ops with many small products (attention heads) run them side by side.
/// One pool of threads (`CThreadPool`) then does all the work: the cores are never shared with
/// OpenBLAS's own workers, and the pool's workers wait for the next job spinning for a moment
/// instead of sleeping, because a step runs thousands of jobs microseconds apart.
public enum Parallel {
    nonisolated(unsafe) private static var configuredThreads: Int = {
        openblas_set_num_threads(1)
        let fromEnvironment = ProcessInfo.processInfo.environment["VIRAL_THREADS"].flatMap(Int.init)
        let threads = max(1, fromEnvironment ?? ProcessInfo.processInfo.activeProcessorCount)
        viral_pool_set_threads(Int32(threads))
        return threads
    }()

    /// The number of threads kernels use (`VIRAL_THREADS`, else all cores).
    public static var threads: Int {
        get { configuredThreads }
        set {
            configuredThreads = max(1, newValue)
            viral_pool_set_threads(Int32(configuredThreads))
        }
    }

    /// Runs `body(part)` for every part in `0..<parts`, spread over `threads` threads (the
    /// caller's included); returns when all have run. Inside a part, further calls run serially.
    public static func run(_ parts: Int, _ body: (Int) -> Void) {
        _ = threads  // starts the configuration above
        withoutActuallyEscaping(body) { body in
            var job = body
            withUnsafeMutablePointer(to: &job) { pointer in
                viral_pool_run(parts, pointer) { context, part in
                    context!.assumingMemoryBound(to: ((Int) -> Void).self).pointee(part)
                }
            }
        }
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
        run(chunks) { chunk in
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
