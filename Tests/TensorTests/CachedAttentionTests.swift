import Tensor
import XCTest

/// Attention over a KV cache's rows (F32, BF16, F16) against `Tensor.attention` on the same keys
/// and values as stored (rounded to the cache's format, then widened): the streamed decoding path
/// (≤ 8 queries) and the widened prefill path, with grouped KV heads, a head width that leaves a
/// tail after the vector blocks, a cache longer than the valid positions, and causal and padding
/// masks.
final class CachedAttentionTests: XCTestCase {
    func testCachedRowsGiveTheAttentionOfTheirStoredValues() {
        let (batch, heads, kvHeads, headDim, capacity) = (2, 4, 2, 24, 40)
        let kvWidth = kvHeads * headDim
        var generator = RandomGenerator(seed: 21)
        for element in [TensorStorage.Element.float32, .bfloat16, .float16] {
            for (queries, keyCount) in [(1, 1), (1, 17), (3, 20), (8, 30), (9, 9), (12, 33)] {
                let keys = CachedRows(count: batch * capacity * kvWidth, element: element)
                let values = CachedRows(count: batch * capacity * kvWidth, element: element)
                let k = Tensor.randomNormal([batch, keyCount, kvWidth], using: &generator)
                let v = Tensor.randomNormal([batch, keyCount, kvWidth], using: &generator)
                for b in 0..<batch {
                    keys.store(k.data + b * keyCount * kvWidth, count: keyCount * kvWidth, at: b * capacity * kvWidth)
                    values.store(v.data + b * keyCount * kvWidth, count: keyCount * kvWidth, at: b * capacity * kvWidth)
                }
                let storedK = stored(k, as: element), storedV = stored(v, as: element)
                let q = Tensor.randomNormal([batch, queries, heads * headDim], using: &generator)
                // Row 0 is left-padded by two positions when the prompt is long enough.
                let hidden = keyCount > queries + 2 ? 2 : 0
                let visible = [Array(repeating: false, count: hidden) + Array(repeating: true, count: keyCount - hidden),
                               Array(repeating: true, count: keyCount)]
                for mask in [AttentionMask(causal: true), AttentionMask(causal: true, keyIsVisible: visible), .none] {
                    let expected = noGrad {
                        Tensor.attention(query: q, key: storedK, value: storedV, heads: heads, kvHeads: kvHeads, mask: mask,
                                         keepingWeights: true)
                    }
                    let geometry = AttentionGeometry(batch: batch, queries: queries, keys: keyCount, heads: heads,
                                                     kvHeads: kvHeads, headDim: headDim, keyBatchStride: capacity * kvWidth)
                    let probabilities = Tensor(zeros: [batch, heads, queries, keyCount])
                    let output = Tensor(zeros: [batch, queries, heads * headDim])
                    geometry.forward(query: q.data, keys: keys, values: values, mask: mask,
                                     scale: 1 / Float(headDim).squareRoot(), probabilities: probabilities.data,
                                     output: output.data)
                    let name = "\(element), \(queries) queries, \(keyCount) keys, mask \(mask)"
                    assertClose(output, expected.output, name + " output")
                    assertClose(probabilities, expected.weights!, name + " probabilities")
                }
            }
        }
    }

    func testStoringRoundsToTheCacheFormat() {
        // Ties go to even: 1 + 2⁻⁸ → 1 and 1 + 3·2⁻⁸ → 1 + 2⁻⁶ in BF16; 1 + 2⁻¹¹ → 1 in F16.
        let source = Tensor([1.00390625, 1.01171875, -3.5, 0.00048828125], shape: [4])
        XCTAssertEqual(stored(source, as: .bfloat16).scalars, [1.0, 1.015625, -3.5, 0.00048828125])
        XCTAssertEqual(stored(Tensor([1.00048828125, 70000, -2.5], shape: [3]), as: .float16).scalars, [1.0, .infinity, -2.5])
        XCTAssertEqual(stored(source, as: .float32).scalars, source.scalars)
    }

    /// `tensor`'s values rounded to `element` and widened back, as a cache of that format holds them.
    func stored(_ tensor: Tensor, as element: TensorStorage.Element) -> Tensor {
        let rows = CachedRows(count: tensor.count, element: element)
        rows.store(tensor.data, count: tensor.count, at: 0)
        let result = Tensor(zeros: tensor.shape)
        rows.widen(from: 0, count: tensor.count, into: result.data)
        return result
    }
}
