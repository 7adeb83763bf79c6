import Dispatch

/// A raw pointer that may cross into `concurrentPerform` workers. Each worker writes a disjoint
/// part of the memory it points to, which is what makes sharing it safe.
struct SharedPointer<Element>: @unchecked Sendable {
    let base: UnsafeMutablePointer<Element>
}

/// A read-only raw pointer shared with `concurrentPerform` workers.
struct SharedReadPointer<Element>: @unchecked Sendable {
    let base: UnsafePointer<Element>
}

/// Runs `body(0..<count)` on all cores; Dispatch balances the iterations between threads.
func parallelFor(_ count: Int, _ body: (Int) -> Void) {
    if count <= 1 {
        for i in 0..<count { body(i) }
        return
    }
    DispatchQueue.concurrentPerform(iterations: count, execute: body)
}
