import Dispatch

/// Wall-clock timing of a repeated piece of work.
enum Stopwatch {
    /// The best of `repeats` timed runs of `body`, in seconds, after one untimed warm-up run.
    static func best(repeats: Int, _ body: () -> Void) -> Double {
        body()
        var best = Double.infinity
        for _ in 0..<repeats {
            let start = DispatchTime.now().uptimeNanoseconds
            body()
            best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9)
        }
        return best
    }
}
