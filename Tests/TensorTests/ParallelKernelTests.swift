import Dispatch
import Foundation
@testable import Tensor
import XCTest

/// Kernels that split work across threads give the single-threaded results.
final class ParallelKernelTests: XCTestCase {
    /// Every part runs exactly once: for many parts, for calls nested inside a part (they run
    /// serially), and for two threads submitting jobs at the same time.
    func testPoolRunsEveryPartOnce() {
        let saved = Parallel.threads
        defer { Parallel.threads = saved }
        Parallel.threads = 2
        for parts in [1, 2, 3, 1000] {
            let counts = UnsafeMutableBufferPointer<Int>.allocate(capacity: parts)
            counts.initialize(repeating: 0)
            defer { counts.deallocate() }
            for _ in 0..<50 { Parallel.run(parts) { counts[$0] += 1 } }
            XCTAssertEqual(Set(counts), [50], "\(parts) parts")
        }
        let nested = UnsafeMutableBufferPointer<Int>.allocate(capacity: 4 * 8)
        nested.initialize(repeating: 0)
        defer { nested.deallocate() }
        Parallel.run(4) { outer in Parallel.run(8) { inner in nested[outer * 8 + inner] += 1 } }
        XCTAssertEqual(Set(nested), [1])
        let submitted = UnsafeMutableBufferPointer<Int>.allocate(capacity: 2 * 64)
        submitted.initialize(repeating: 0)
        defer { submitted.deallocate() }
        DispatchQueue.concurrentPerform(iterations: 2) { submitter in
            for _ in 0..<200 { Parallel.run(64) { submitted[submitter * 64 + $0] += 1 } }
        }
        XCTAssertEqual(Set(submitted), [200])
    }

    /// Row- and column-split products (every transpose combination, alpha and beta) against a
    /// naive product in Double. Tolerance 1e-4 relative to the magnitude of a term sum (F32
    /// accumulation over k = 128 terms of size ~1).
    func testSplitGEMMMatchesNaiveProduct() {
        for (m, n, k) in [(256, 96, 128), (64, 320, 128)] {
            XCTAssertGreaterThan(m * n * k, 2 * GEMM.minimumParallelWork, "the product must be large enough to split")
            for transposeA in [false, true] {
                for transposeB in [false, true] {
                    let a = GradientCheck.random(transposeA ? [k, m] : [m, k], seed: 1)
                    let b = GradientCheck.random(transposeB ? [n, k] : [k, n], seed: 2)
                    let initial = GradientCheck.random([m, n], seed: 3)
                    let c = initial.copy()
                    GEMM.run(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, a: a.data,
                             lda: transposeA ? m : k, b: b.data, ldb: transposeB ? k : n, c: c.data, ldc: n,
                             beta: 0.5, alpha: 2, threads: 2)
                    for i in stride(from: 0, to: m, by: 7) {
                        for j in stride(from: 0, to: n, by: 5) {
                            var sum: Double = 0
                            for p in 0..<k {
                                let x = transposeA ? a.data[p * m + i] : a.data[i * k + p]
                                let y = transposeB ? b.data[j * k + p] : b.data[p * n + j]
                                sum += Double(x) * Double(y)
                            }
                            let expected = 2 * sum + 0.5 * Double(initial.data[i * n + j])
                            XCTAssertEqual(Double(c.data[i * n + j]), expected, accuracy: 1e-4 * Double(k).squareRoot(),
                                           "m \(m) n \(n) transposes \(transposeA) \(transposeB) at (\(i), \(j))")
                        }
                    }
                }
            }
        }
    }

    /// Attention forward and backward with heads spread over two threads equal one thread's
    /// (each item writes its own slices, so the results must agree to the last bit).
    func testAttentionOnTwoThreadsEqualsOneThread() {
        func run() -> [[Float]] {
            let q = GradientCheck.random([2, 64, 4 * 16], seed: 4)
            let k = GradientCheck.random([2, 64, 2 * 16], seed: 5)
            let v = GradientCheck.random([2, 64, 2 * 16], seed: 6)
            for t in [q, k, v] { t.requiresGrad = true }
            let mask = AttentionMask(causal: true, keyIsVisible: [Array(repeating: true, count: 64),
                                                                  Array(repeating: true, count: 50) + Array(repeating: false, count: 14)])
            let (out, _) = Tensor.attention(query: q, key: k, value: v, heads: 4, kvHeads: 2, mask: mask)
            out.backward(seed: GradientCheck.random(out.shape, seed: 7))
            return [out.scalars, q.grad!.scalars, k.grad!.scalars, v.grad!.scalars]
        }
        let saved = Parallel.threads
        defer { Parallel.threads = saved }
        Parallel.threads = 1
        let serial = run()
        Parallel.threads = 2
        let parallel = run()
        for (name, (s, p)) in zip(["output", "dQ", "dK", "dV"], zip(serial, parallel)) {
            XCTAssertEqual(s, p, name)
        }
    }
}
