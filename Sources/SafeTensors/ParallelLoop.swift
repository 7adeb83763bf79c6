import Dispatch
import Foundation

/// Splits element-wise work over the machine's cores when it is large enough to pay off.
enum ParallelLoop {
    /// Below this many elements a loop runs on the calling thread.
    static let minimumParallelCount = 1 << 20

    /// Calls `body` with disjoint ranges that together cover `0..<count`, concurrently when
    /// `count` exceeds `minimumParallelCount`. `body` must only touch its own range.
    static func forEachChunk(count: Int, _ body: (Range<Int>) -> Void) {
        guard count > minimumParallelCount else {
            body(0..<count)
            return
        }
        // A few chunks per core balance the load without much scheduling overhead.
        let chunkCount = ProcessInfo.processInfo.activeProcessorCount * 4
        // Chunk boundaries on multiples of 1024 elements keep each chunk's writes in its own cache lines.
        let chunkSize = ((count + chunkCount - 1) / chunkCount + 1023) & ~1023
        DispatchQueue.concurrentPerform(iterations: chunkCount) { chunk in
            let start = chunk * chunkSize
            let end = min(count, start + chunkSize)
            if start < end { body(start..<end) }
        }
    }
}
