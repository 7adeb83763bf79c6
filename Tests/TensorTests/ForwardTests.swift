import Foundation
import Tensor
import XCTest

/// Forward values against direct formulas (computed here in Double).
final class ForwardTests: XCTestCase {
    func testBroadcastShapes() {
        XCTAssertEqual(Shape.broadcast([2, 3, 4], [4]), [2, 3, 4])
        XCTAssertEqual(Shape.broadcast([2, 1, 4], [3, 1]), [2, 3, 4])
        XCTAssertNil(Shape.broadcast([2, 3], [4]))
        let a = Tensor([1, 2, 3, 4, 5, 6], shape: [2, 3])
        XCTAssertEqual((a + Tensor([10, 20, 30], shape: [3])).scalars, [11, 22, 33, 14, 25, 36])
        XCTAssertEqual((a * Tensor([2, 3], shape: [2, 1])).scalars, [2, 4, 6, 12, 15, 18])
    }

    func testGeluMatchesErfFormula() {
        let x = GradientCheck.random([200], seed: 1, scale: 3)
        let y = x.gelu()
        for i in 0..<x.count {
            let v = Double(x.data[i])
            XCTAssertEqual(Double(y.data[i]), 0.5 * v * (1 + Foundation.erf(v / 2.0.squareRoot())), accuracy: 1e-6)
        }
    }

    func testMatmulMatchesNaiveProduct() {
        let a = GradientCheck.random([2, 3, 5], seed: 2), b = GradientCheck.random([2, 5, 4], seed: 3)
        let c = a.matmul(b)
        for n in 0..<2 { for i in 0..<3 { for j in 0..<4 {
            var sum: Double = 0
            for k in 0..<5 { sum += Double(a.data[n * 15 + i * 5 + k]) * Double(b.data[n * 20 + k * 4 + j]) }
            XCTAssertEqual(Double(c.data[n * 12 + i * 4 + j]), sum, accuracy: 1e-5)
        } } }
    }

    func testLayerNormAndRMSNorm() {
        let x = GradientCheck.random([3, 6], seed: 4)
        let w = GradientCheck.random([6], seed: 5), b = GradientCheck.random([6], seed: 6)
        let ln = x.layerNorm(weight: w, bias: b, eps: 1e-5), rms = x.rmsNorm(weight: w, eps: 1e-6)
        for r in 0..<3 {
            let row = (0..<6).map { Double(x.data[r * 6 + $0]) }
            let mean = row.reduce(0, +) / 6
            let variance = row.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 6
            let meanSquare = row.map { $0 * $0 }.reduce(0, +) / 6
            for i in 0..<6 {
                let expectedLN = (row[i] - mean) / (variance + 1e-5).squareRoot() * Double(w.data[i]) + Double(b.data[i])
                XCTAssertEqual(Double(ln.data[r * 6 + i]), expectedLN, accuracy: 1e-5)
                XCTAssertEqual(Double(rms.data[r * 6 + i]), row[i] / (meanSquare + 1e-6).squareRoot() * Double(w.data[i]), accuracy: 1e-5)
            }
        }
    }

    func testCrossEntropyIgnoresMaskedRows() {
        let logits = Tensor([1, 2, 3, 0, 0, 0, 5, 1, 0], shape: [3, 3])
        let loss = logits.crossEntropy(targets: [2, -100, 0]).item
        let row0 = log(exp(1.0) + exp(2.0) + exp(3.0)) - 3, row2 = log(exp(5.0) + exp(1.0) + 1) - 5
        XCTAssertEqual(Double(loss), (row0 + row2) / 2, accuracy: 1e-6)
        XCTAssertEqual(logits.crossEntropy(targets: [-100, -100, -100]).item, 0)
    }

    func testAttentionMatchesNaiveSoftmaxWithGroupedHeadsAndMask() {
        let (b, t, heads, kvHeads, d) = (2, 3, 4, 2, 2)
        let q = GradientCheck.random([b, t, heads * d], seed: 7)
        let k = GradientCheck.random([b, t, kvHeads * d], seed: 8)
        let v = GradientCheck.random([b, t, kvHeads * d], seed: 9)
        let visible = [[true, true, true], [true, false, true]]
        let (out, weights) = Tensor.attention(query: q, key: k, value: v, heads: heads, kvHeads: kvHeads,
                                              mask: AttentionMask(causal: true, keyIsVisible: visible), keepingWeights: true)
        for n in 0..<b { for h in 0..<heads { for i in 0..<t {
            let kvh = h / (heads / kvHeads)
            var scores = [Double](repeating: -.infinity, count: t)
            for j in 0...i where visible[n][j] {
                var s: Double = 0
                for e in 0..<d { s += Double(q.data[(n * t + i) * heads * d + h * d + e]) * Double(k.data[(n * t + j) * kvHeads * d + kvh * d + e]) }
                scores[j] = s / Double(d).squareRoot()
            }
            let m = scores.max()!
            let e = scores.map { exp($0 - m) }
            let z = e.reduce(0, +)
            for j in 0..<t { XCTAssertEqual(Double(weights!.data[((n * heads + h) * t + i) * t + j]), e[j] / z, accuracy: 1e-6) }
            for c in 0..<d {
                var o: Double = 0
                for j in 0..<t { o += e[j] / z * Double(v.data[(n * t + j) * kvHeads * d + kvh * d + c]) }
                XCTAssertEqual(Double(out.data[(n * t + i) * heads * d + h * d + c]), o, accuracy: 1e-5)
            }
        } } }
    }

    func testRandomGeneratorIsReproducible() {
        var a = RandomGenerator(seed: 42), b = RandomGenerator(seed: 42), c = RandomGenerator(seed: 43)
        let x = (0..<5).map { _ in a.next() }
        XCTAssertEqual(x, (0..<5).map { _ in b.next() })
        XCTAssertNotEqual(x, (0..<5).map { _ in c.next() })
        var g = RandomGenerator(seed: 1)
        let samples = (0..<20000).map { _ in Double(g.nextNormal()) }
        let mean = samples.reduce(0, +) / 20000
        let variance = samples.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 20000
        XCTAssertEqual(mean, 0, accuracy: 0.03)
        XCTAssertEqual(variance, 1, accuracy: 0.05)
    }
}
