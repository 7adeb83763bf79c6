import CGEMMReference
import Foundation
import Tensor

/// Measures the engine's kernels at transformer sizes and prints achieved throughput.
struct OpsBenchmark {
    let repeats: Int

    func run() {
        print("threads \(Parallel.threads)")
        print("GEMM (C = A·B, row-major)          swift GFLOP/s   C cblas GFLOP/s   swift/C")
        for (m, n, k, transposeB) in [(1024, 1024, 1024, false), (1040, 1408, 512, true),
                                      (1040, 512, 1408, true), (2048, 4096, 4096, true)] {
            gemm(m: m, n: n, k: k, transposeB: transposeB)
        }
        print("\nattention forward+backward (B, T, heads, head dim)        GFLOP/s")
        for (b, t, h, d) in [(4, 260, 8, 64), (1, 640, 32, 128)] { attention(batch: b, tokens: t, heads: h, headDim: d) }
        print("\nRMS norm forward+backward (rows × width)                   GB/s")
        for (rows, width) in [(1040, 512), (640, 4096)] { rmsNorm(rows: rows, width: width) }
        print("\nlinear with BF16 weights (rows · in → out)   GB/s of weights     GFLOP/s")
        for (rows, k, n) in [(1, 4096, 11008), (1, 11008, 4096), (4, 4096, 11008), (609, 4096, 4096)] {
            bfloat16Linear(rows: rows, inFeatures: k, outFeatures: n)
        }
        guard MatmulPrecision.hasBFloat16DotProducts else { return }
        print("\nthe same, --matmul-precision medium (inputs rounded to BF16, AVX512-BF16)")
        let precision = MatmulPrecision.current
        MatmulPrecision.current = .medium
        defer { MatmulPrecision.current = precision }
        for (rows, k, n) in [(609, 4096, 4096), (609, 4096, 11008), (609, 11008, 4096)] {
            bfloat16Linear(rows: rows, inFeatures: k, outFeatures: n)
        }
    }

    /// Decoding (few rows) streams the weights from memory: GB/s says how close it gets to the
    /// memory bandwidth. Prefill (many rows) is compute-bound: GFLOP/s.
    private func bfloat16Linear(rows: Int, inFeatures: Int, outFeatures: Int) {
        var generator = RandomGenerator(seed: 4)
        let count = inFeatures * outFeatures
        let buffer = BFloat16Buffer(count: count)
        for i in 0..<count { buffer.values[i] = UInt16(truncatingIfNeeded: generator.nextNormal().bitPattern >> 16) }
        let weight = Tensor(placeholder: [outFeatures, inFeatures])
        weight.acceptsHalfPrecision = true
        weight.replaceStorage(with: TensorStorage(borrowing: buffer.values.baseAddress!, count: count, element: .bfloat16,
                                                  owner: buffer))
        let x = Tensor.randomNormal([rows, inFeatures], using: &generator)
        let seconds = Stopwatch.best(repeats: repeats) { _ = noGrad { x.linear(weight) } }
        let label = "\(rows) · \(inFeatures) → \(outFeatures)"
        print(label.padding(toLength: 45, withPad: " ", startingAt: 0)
              + String(format: "%10.1f %15.1f", Double(count * 2) / seconds / 1e9, 2 * Double(rows * count) / seconds / 1e9))
    }

    private func gemm(m: Int, n: Int, k: Int, transposeB: Bool) {
        var generator = RandomGenerator(seed: 1)
        let a = Tensor.randomNormal([m, k], using: &generator)
        let b = Tensor.randomNormal(transposeB ? [n, k] : [k, n], using: &generator)
        let seconds = Stopwatch.best(repeats: repeats) {
            _ = noGrad { a.matmul(b, transposeOther: transposeB) }
        }
        let reference = gemm_reference_seconds(Int32(m), Int32(n), Int32(k), transposeB ? 1 : 0, Int32(repeats),
                                               Int32(Parallel.threads))
        let flops = 2 * Double(m) * Double(n) * Double(k)
        let label = "\(m)×\(k) · \(k)×\(n)\(transposeB ? " (Bᵀ)" : "")"
        print(label.padding(toLength: 35, withPad: " ", startingAt: 0)
              + String(format: "%10.1f %17.1f %12.2f", flops / seconds / 1e9, flops / reference / 1e9, reference / seconds))
    }

    private func attention(batch: Int, tokens: Int, heads: Int, headDim: Int) {
        var generator = RandomGenerator(seed: 2)
        let width = heads * headDim
        let q = Tensor.randomNormal([batch, tokens, width], using: &generator)
        let k = Tensor.randomNormal([batch, tokens, width], using: &generator)
        let v = Tensor.randomNormal([batch, tokens, width], using: &generator)
        for t in [q, k, v] { t.requiresGrad = true }
        let seconds = Stopwatch.best(repeats: repeats) {
            let (out, _) = Tensor.attention(query: q, key: k, value: v, heads: heads, kvHeads: heads, mask: .causal)
            out.backward(seed: Tensor(repeating: 1, shape: out.shape))
        }
        // Forward 2 GEMMs, backward 4, each 2·T·T·d per head (causal masking not subtracted).
        let flops = 6 * 2 * Double(batch * heads) * Double(tokens * tokens * headDim)
        let label = "(\(batch), \(tokens), \(heads), \(headDim))"
        print(label.padding(toLength: 55, withPad: " ", startingAt: 0) + String(format: "%10.1f", flops / seconds / 1e9))
    }

    private func rmsNorm(rows: Int, width: Int) {
        var generator = RandomGenerator(seed: 3)
        let x = Tensor.randomNormal([rows, width], using: &generator)
        let w = Tensor.randomNormal([width], using: &generator)
        x.requiresGrad = true
        w.requiresGrad = true
        let seconds = Stopwatch.best(repeats: repeats) {
            let y = x.rmsNorm(weight: w, eps: 1e-5)
            y.backward(seed: Tensor(repeating: 1, shape: y.shape))
        }
        // Forward reads x and writes y; backward reads x, dy and writes dx (each rows·width floats).
        let bytes = 5 * Double(rows * width) * 4
        let label = "\(rows) × \(width)"
        print(label.padding(toLength: 55, withPad: " ", startingAt: 0) + String(format: "%10.1f", bytes / seconds / 1e9))
    }
}

/// BF16 values owned for a borrowed tensor storage.
private final class BFloat16Buffer {
    let values: UnsafeMutableBufferPointer<UInt16>
    init(count: Int) { values = .allocate(capacity: count) }
    deinit { values.deallocate() }
}
