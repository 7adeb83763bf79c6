import Tensor
import XCTest

/// Every differentiable op against finite differences (tolerances in `GradientCheck`).
final class GradientTests: XCTestCase {
    func r(_ shape: [Int], _ seed: UInt64) -> Tensor { GradientCheck.random(shape, seed: seed) }

    func testArithmeticWithBroadcasting() {
        GradientCheck.check([r([2, 3, 4], 1), r([2, 3, 4], 2)]) { $0[0] + $0[1] }
        GradientCheck.check([r([2, 3, 4], 1), r([4], 2)]) { $0[0] - $0[1] }
        GradientCheck.check([r([2, 3, 4], 1), r([3, 1], 2)]) { $0[0] * $0[1] }
        GradientCheck.check([r([2, 1, 4], 1), r([3, 4], 2)]) { $0[0] * $0[1] }
        let positive = r([3, 4], 4)
        for i in 0..<positive.count { positive.data[i] = 1.5 + abs(positive.data[i]) }
        GradientCheck.check([r([2, 3, 4], 3), positive]) { $0[0] / $0[1] }
        GradientCheck.check([r([3, 5], 5)]) { $0[0] * 2.5 + 1 }
        GradientCheck.check([r([3, 5], 5)]) { -$0[0] - 0.5 }
    }

    func testElementwiseFunctions() {
        let x = r([4, 6], 7)
        GradientCheck.check([x]) { $0[0].exp() }
        GradientCheck.check([x]) { $0[0].tanh() }
        GradientCheck.check([x]) { $0[0].sigmoid() }
        GradientCheck.check([x]) { $0[0].silu() }
        GradientCheck.check([x]) { $0[0].gelu() }
        GradientCheck.check([x]) { $0[0].geluTanh() }
        GradientCheck.check([x]) { $0[0].quickGelu() }
        GradientCheck.check([x]) { $0[0].square() }
        GradientCheck.check([x, r([4, 6], 8)]) { $0[0].siluMul($0[1]) }
        let positive = r([4, 6], 9)
        for i in 0..<positive.count { positive.data[i] = 0.5 + abs(positive.data[i]) }
        GradientCheck.check([positive]) { $0[0].log() }
        GradientCheck.check([positive]) { $0[0].sqrt() }
        GradientCheck.check([positive]) { $0[0].rsqrt() }
    }

    func testReductions() {
        GradientCheck.check([r([2, 3, 4], 10)]) { $0[0].sum(axis: 1) }
        GradientCheck.check([r([2, 3, 4], 10)]) { $0[0].sum(axes: [0, 2]) }
        GradientCheck.check([r([2, 3, 4], 10)]) { $0[0].mean(axes: [-1], keepingDimensions: true) }
        GradientCheck.check([r([2, 3, 4], 10)]) { $0[0].mean() }
    }

    func testShapeOps() {
        GradientCheck.check([r([2, 3, 4], 11)]) { $0[0].reshaped([6, 4]) }
        GradientCheck.check([r([2, 3, 4], 11)]) { $0[0].permuted([2, 0, 1]) }
        GradientCheck.check([r([2, 3, 4], 11)]) { $0[0].transposed(0, 1) }
        GradientCheck.check([r([2, 5, 3], 12)]) { $0[0].slice(axis: 1, 1..<4) }
        GradientCheck.check([r([2, 2, 3], 13), r([2, 4, 3], 14)]) { Tensor.concatenate($0, axis: 1) }
        GradientCheck.check([r([5, 3], 15)]) { $0[0].gatherRows([4, 0, 4, 2]) }
        GradientCheck.check([r([6, 3], 16), r([2, 3], 17)]) { $0[0].scatteringRows($0[1], at: [1, 4]) }
    }

    func testMatrixProducts() {
        GradientCheck.check([r([3, 4], 20), r([4, 5], 21)]) { $0[0].matmul($0[1]) }
        GradientCheck.check([r([4, 3], 20), r([5, 4], 21)]) { $0[0].matmul($0[1], transposeSelf: true, transposeOther: true) }
        GradientCheck.check([r([2, 3, 4], 22), r([2, 4, 5], 23)]) { $0[0].matmul($0[1]) }
        GradientCheck.check([r([2, 4, 3], 22), r([2, 5, 4], 23)]) { $0[0].matmul($0[1], transposeSelf: true, transposeOther: true) }
        GradientCheck.check([r([2, 3, 4], 24), r([5, 4], 25)]) { $0[0].matmul($0[1], transposeOther: true) }
        GradientCheck.check([r([2, 4, 3], 24), r([4, 5], 25)]) { $0[0].matmul($0[1], transposeSelf: true) }
        GradientCheck.check([r([2, 3, 4], 26), r([5, 4], 27), r([5], 28)]) { $0[0].linear($0[1], bias: $0[2]) }
        GradientCheck.check([r([3, 4], 26), r([5, 4], 27)]) { $0[0].linear($0[1]) }
    }

    func testNormsAndSoftmax() {
        GradientCheck.check([r([3, 8], 30), r([8], 31)]) { $0[0].rmsNorm(weight: $0[1], eps: 1e-5) }
        GradientCheck.check([r([3, 8], 32), r([8], 33), r([8], 34)]) { $0[0].layerNorm(weight: $0[1], bias: $0[2], eps: 1e-5) }
        GradientCheck.check([r([3, 7], 35)]) { $0[0].softmax() }
        GradientCheck.check([r([3, 7], 36)]) { $0[0].logSoftmax() }
        GradientCheck.check([r([3, 7], 37)]) { $0[0].l2Normalized() }
        GradientCheck.check([r([3, 7], 38), r([3, 7], 39)]) { $0[0].cosineSimilarity($0[1]) }
    }

    func testCrossEntropy() {
        GradientCheck.check([r([5, 7], 40)]) { $0[0].crossEntropy(targets: [1, -100, 6, 0, -100]) }
    }

    func testRotaryEmbedding() {
        GradientCheck.check([r([2, 3, 2 * 8], 41)]) {
            $0[0].rotaryEmbedding(heads: 2, positions: [0, 1, 2, 5, 6, 7], theta: 10000)
        }
    }

    func testAttentionWithMasksAndGroupedHeads() {
        let mask = AttentionMask(causal: true, keyIsVisible: [[true, true, true, true], [true, true, false, false]])
        GradientCheck.check([r([2, 4, 4 * 3], 50), r([2, 4, 2 * 3], 51), r([2, 4, 2 * 3], 52)]) {
            Tensor.attention(query: $0[0], key: $0[1], value: $0[2], heads: 4, kvHeads: 2, mask: mask).output
        }
        // Fewer queries than keys (a KV cache): the queries are the last positions.
        GradientCheck.check([r([1, 2, 2 * 4], 53), r([1, 5, 2 * 4], 54), r([1, 5, 2 * 4], 55)]) {
            Tensor.attention(query: $0[0], key: $0[1], value: $0[2], heads: 2, kvHeads: 2, mask: .causal).output
        }
        GradientCheck.check([r([2, 3, 2 * 4], 56), r([2, 3, 2 * 4], 57), r([2, 3, 2 * 4], 58)]) {
            Tensor.attention(query: $0[0], key: $0[1], value: $0[2], heads: 2, kvHeads: 2, mask: .none).output
        }
    }

    /// Sums and reshapes hand their output's gradient buffer to an input instead of copying it;
    /// reuse of a tensor on both sides, and residual chains, must still add every contribution.
    func testGradientBufferTakeOverWithReuse() {
        GradientCheck.check([r([3, 4], 62)]) { $0[0] + $0[0] }
        GradientCheck.check([r([3, 4], 62)]) { ($0[0] - $0[0]) + $0[0].square() }
        GradientCheck.check([r([3, 4], 63), r([3, 4], 64)]) { x in
            let h = x[0] + x[0].tanh()
            let out = (h + h.sigmoid()).reshaped([12]) + x[1].reshaped([12])
            return out.reshaped([2, 6]) * x[1].reshaped([2, 6])
        }
        GradientCheck.check([r([2, 3, 4], 65), r([4], 66)]) { x in (x[0] + x[1]).reshaped([6, 4]) + x[0].reshaped([6, 4]) }
    }

    func testGradientAccumulatesOverReuse() {
        let x = r([3], 60)
        x.requiresGrad = true
        (x * x + x).sum().backward()
        for i in 0..<3 { XCTAssertEqual(x.grad!.data[i], 2 * x.data[i] + 1, accuracy: 1e-6) }
        (x * 3).sum().backward()  // a second backward adds to the kept gradient
        for i in 0..<3 { XCTAssertEqual(x.grad!.data[i], 2 * x.data[i] + 4, accuracy: 1e-6) }
    }

    func testNoGradRecordsNothing() {
        let x = r([3], 61)
        x.requiresGrad = true
        let y = noGrad { x * 2 }
        XCTAssertFalse(y.needsGrad)
        XCTAssertTrue((x * 2).needsGrad)
    }
}
