import CStreamedProducts
import Tensor
import XCTest

/// The streamed products of decoding-sized inputs against sums in Double, and `linear` /
/// `embedding` with BF16 and F16 weight storage against the F32 ops on the same values widened:
/// decoding-sized inputs (streamed rows), prefill-sized ones (widened matrix + sgemm), and sizes
/// that leave tails in every loop.
final class StreamedProductsTests: XCTestCase {
    /// Owns 16-bit values for a borrowed storage.
    final class Buffer {
        var values: [UInt16]
        init(_ values: [UInt16]) { self.values = values }
    }

    /// A 16-bit weight tensor of random values, and the same values as an F32 tensor.
    func weights(_ shape: [Int], element: TensorStorage.Element, seed: UInt64) -> (half: Tensor, float: Tensor, owner: Buffer) {
        var generator = RandomGenerator(seed: seed)
        let widened = Tensor.randomNormal(shape, std: 0.5, using: &generator)
        let owner: Buffer
        if element == .bfloat16 {
            owner = Buffer(widened.scalars.map { UInt16(truncatingIfNeeded: $0.bitPattern >> 16) })
            for i in 0..<widened.count { widened.data[i] = Float(bitPattern: UInt32(owner.values[i]) << 16) }
        } else {
            // Some values below F16's normal range, to reach the subnormal conversion.
            if widened.count > 3 { widened.data[1] = 3e-6; widened.data[2] = -1e-7 }
            owner = Buffer(widened.scalars.map { Float16($0).bitPattern })
            for i in 0..<widened.count { widened.data[i] = Float(Float16(bitPattern: owner.values[i])) }
        }
        let mapped = Tensor(placeholder: shape)
        mapped.acceptsHalfPrecision = true
        owner.values.withUnsafeBufferPointer { buffer in
            mapped.replaceStorage(with: TensorStorage(borrowing: buffer.baseAddress!, count: buffer.count,
                                                      element: element, owner: owner))
        }
        return (mapped, widened, owner)
    }

    func assertClose(_ actual: Tensor, _ expected: Tensor, _ name: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(actual.shape, expected.shape, name, file: file, line: line)
        var worst: Float = 0, scale: Float = 1e-6
        for i in 0..<min(actual.count, expected.count) {
            worst = max(worst, abs(actual.data[i] - expected.data[i]))
            scale = max(scale, abs(expected.data[i]))
        }
        XCTAssertLessThanOrEqual(worst / scale, 1e-5, "\(name): max error \(worst) at scale \(scale)", file: file, line: line)
    }

    func testFloat32StreamedRowsMatchDoubleSums() {
        var generator = RandomGenerator(seed: 11)
        for (rows, inFeatures, outFeatures) in [(1, 16, 4), (1, 37, 5), (3, 64, 130), (4, 100, 9), (7, 33, 70), (8, 129, 3)] {
            let x = Tensor.randomNormal([rows, inFeatures], using: &generator)
            let w = Tensor.randomNormal([outFeatures, inFeatures], using: &generator)
            let bias = Tensor.randomNormal([outFeatures], using: &generator)
            let y = noGrad { x.linear(w, bias: bias) }
            var worst = 0.0
            for i in 0..<rows {
                for j in 0..<outFeatures {
                    var sum = Double(bias.data[j])
                    for k in 0..<inFeatures { sum += Double(x.data[i * inFeatures + k]) * Double(w.data[j * inFeatures + k]) }
                    worst = max(worst, abs(Double(y.data[i * outFeatures + j]) - sum))
                }
            }
            XCTAssertLessThan(worst, 1e-4, "rows \(rows), in \(inFeatures), out \(outFeatures)")
        }
    }

    /// Each instruction set's kernel (AVX-512, AVX2 + F16C, portable), each weight format, against
    /// sums in Double of the stored values; F16 weights include subnormals. Sets the CPU lacks are
    /// skipped.
    func testEveryKernelMatchesDoubleSums() {
        var generator = RandomGenerator(seed: 13)
        let (rows, inFeatures, outFeatures) = (6, 45, 11)  // tails in every loop, two x-row blocks
        let x = Tensor.randomNormal([rows, inFeatures], using: &generator).scalars
        let weights = Tensor.randomNormal([outFeatures, inFeatures], using: &generator).scalars
        let bfloat16 = weights.map { UInt16(truncatingIfNeeded: $0.bitPattern >> 16) }
        var float16 = weights.map { Float16($0).bitPattern }
        float16[1] = Float16(3e-6).bitPattern
        float16[2] = Float16(-1e-7).bitPattern
        let stored: [(viral_weight_format, [Float])] = [
            (VIRAL_FLOAT32, weights),
            (VIRAL_BFLOAT16, bfloat16.map { Float(bitPattern: UInt32($0) << 16) }),
            (VIRAL_FLOAT16, float16.map { Float(Float16(bitPattern: $0)) }),
        ]
        for set in [VIRAL_AVX512, VIRAL_AVX2, VIRAL_PORTABLE] {
            for (format, values) in stored {
                var y = [Float](repeating: 0, count: rows * outFeatures)
                let ran = x.withUnsafeBufferPointer { xs in
                    y.withUnsafeMutableBufferPointer { ys in
                        func run(_ w: UnsafeRawPointer) -> Int32 {
                            viral_rows_dot_with(set, format, xs.baseAddress!, rows, w, inFeatures, 0, outFeatures,
                                                ys.baseAddress!, outFeatures)
                        }
                        switch format {
                        case VIRAL_FLOAT32: return weights.withUnsafeBytes { run($0.baseAddress!) }
                        case VIRAL_BFLOAT16: return bfloat16.withUnsafeBytes { run($0.baseAddress!) }
                        default: return float16.withUnsafeBytes { run($0.baseAddress!) }
                        }
                    }
                }
                guard ran == 1 else { continue }
                var worst = 0.0
                for i in 0..<rows {
                    for j in 0..<outFeatures {
                        var sum = 0.0
                        for k in 0..<inFeatures { sum += Double(x[i * inFeatures + k]) * Double(values[j * inFeatures + k]) }
                        worst = max(worst, abs(Double(y[i * outFeatures + j]) - sum))
                    }
                }
                XCTAssertLessThan(worst, 1e-4, "instruction set \(set.rawValue), format \(format.rawValue)")
            }
        }
    }

    func testLinearMatchesWidenedWeights() {
        var generator = RandomGenerator(seed: 7)
        for element in [TensorStorage.Element.bfloat16, .float16] {
            for (rows, inFeatures, outFeatures) in [(1, 64, 96), (2, 37, 130), (3, 37, 130), (5, 100, 257), (8, 100, 257),
                                                    (9, 48, 300), (40, 129, 129)] {
                let (half, float, owner) = weights([outFeatures, inFeatures], element: element, seed: UInt64(rows))
                let x = Tensor.randomNormal([1, rows, inFeatures], using: &generator)
                let bias = Tensor.randomNormal([outFeatures], using: &generator)
                let name = "\(element): rows \(rows), in \(inFeatures), out \(outFeatures)"
                noGrad {
                    assertClose(x.linear(half, bias: bias), x.linear(float, bias: bias), name + " with bias")
                    assertClose(x.linear(half), x.linear(float), name)
                }
                withExtendedLifetime(owner) {}
            }
        }
    }

    func testEmbeddingWidensRows() {
        for element in [TensorStorage.Element.bfloat16, .float16] {
            let (half, float, owner) = weights([50, 24], element: element, seed: 3)
            let ids = [4, 0, 49, 4, 17]
            XCTAssertEqual(half.embedding(ids).scalars, float.embedding(ids).scalars, "\(element)")
            withExtendedLifetime(owner) {}
        }
    }

    func testArgmaxOfRowsTakesTheFirstMaximum() {
        let scores = Tensor([1, 3, 3, 0, -2, -1, -1, -5], shape: [2, 1, 4])
        XCTAssertEqual(scores.argmaxOfRows(), [1, 1])
    }

    func testPlaceholderGeneratorReservesZerosWithoutDrawing() {
        var generator = RandomGenerator.placeholder
        XCTAssertTrue(generator.isPlaceholder)
        XCTAssertFalse(RandomGenerator(seed: 0).isPlaceholder)
        let tensor = Tensor.randomNormal([1000, 1000], using: &generator)
        XCTAssertEqual(tensor.shape, [1000, 1000])
        XCTAssertEqual(tensor.data[0], 0)
        XCTAssertEqual(tensor.data[999_999], 0)
    }
}
