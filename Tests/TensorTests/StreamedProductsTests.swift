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

    /// `values` stored in each weight format (F16 with two subnormals), and the stored values widened.
    func storedFormats(_ values: [Float]) -> [(format: viral_weight_format, bytes: [UInt8], widened: [Float])] {
        let bfloat16 = values.map { UInt16(truncatingIfNeeded: $0.bitPattern >> 16) }
        var float16 = values.map { Float16($0).bitPattern }
        float16[1] = Float16(3e-6).bitPattern
        float16[2] = Float16(-1e-7).bitPattern
        func bytes<T>(_ array: [T]) -> [UInt8] { array.withUnsafeBytes { Array($0) } }
        return [
            (VIRAL_FLOAT32, bytes(values), values),
            (VIRAL_BFLOAT16, bytes(bfloat16), bfloat16.map { Float(bitPattern: UInt32($0) << 16) }),
            (VIRAL_FLOAT16, bytes(float16), float16.map { Float(Float16(bitPattern: $0)) }),
        ]
    }

    /// Runs `kernel` with each instruction set (AVX-512, AVX2 + F16C, portable; sets the CPU lacks
    /// are skipped) on `values` stored in each format, and compares its result [rows, columns] (row
    /// stride `ld`) with `expected(stored values, row, column)`, a sum in Double.
    func checkEveryKernel(on values: [Float], rows: Int, columns: Int, tolerance: Double,
                          kernel: (viral_instruction_set, viral_weight_format, [UInt8]) -> (ran: Bool, result: [Float], ld: Int),
                          expected: (_ stored: [Float], _ row: Int, _ column: Int) -> Double) {
        for (format, bytes, stored) in storedFormats(values) {
            for set in [VIRAL_AVX512, VIRAL_AVX2, VIRAL_PORTABLE] {
                let (ran, result, ld) = kernel(set, format, bytes)
                guard ran else { continue }
                var worst = 0.0
                for i in 0..<rows {
                    for j in 0..<columns { worst = max(worst, abs(Double(result[i * ld + j]) - expected(stored, i, j))) }
                }
                XCTAssertLessThan(worst, tolerance, "instruction set \(set.rawValue), format \(format.rawValue)")
            }
        }
    }

    /// Every rows-dot kernel against sums in Double of the stored values, with rows of x and w
    /// further apart than their length.
    func testEveryRowsDotKernelMatchesDoubleSums() {
        var generator = RandomGenerator(seed: 13)
        let (rows, inFeatures, outFeatures) = (6, 45, 11)  // tails in every loop, two x-row blocks
        let (ldx, ldw) = (inFeatures + 3, inFeatures + 7)
        let x = Tensor.randomNormal([rows, ldx], using: &generator).scalars
        checkEveryKernel(on: Tensor.randomNormal([outFeatures, ldw], using: &generator).scalars, rows: rows,
                         columns: outFeatures, tolerance: 1e-4) { set, format, w in
            var y = [Float](repeating: 0, count: rows * outFeatures)
            let ran = viral_rows_dot_with(set, format, x, ldx, rows, w, ldw, inFeatures, 0, outFeatures, &y, outFeatures)
            return (ran == 1, y, outFeatures)
        } expected: { w, i, j in
            (0..<inFeatures).reduce(0.0) { $0 + Double(x[i * ldx + $1]) * Double(w[j * ldw + $1]) }
        }
    }

    /// The weighted row sums of attention's p·V, every kernel, against Double sums; the width
    /// leaves a tail after the 64- and 16-column blocks, and rows sit further apart than their
    /// length.
    func testEveryRowsCombineKernelMatchesDoubleSums() {
        var generator = RandomGenerator(seed: 17)
        let (rows, count, width) = (6, 13, 64 + 16 + 8 + 3)
        let (ldp, ldv, ldo) = (count + 2, width + 5, width + 1)
        let p = Tensor.randomUniform([rows, ldp], using: &generator).scalars
        checkEveryKernel(on: Tensor.randomNormal([count, ldv], using: &generator).scalars, rows: rows, columns: width,
                         tolerance: 1e-5) { set, format, v in
            var out = [Float](repeating: .nan, count: rows * ldo)
            let ran = viral_rows_combine_with(set, format, p, ldp, rows, v, ldv, count, width, &out, ldo)
            return (ran == 1, out, ldo)
        } expected: { v, i, c in
            (0..<count).reduce(0.0) { $0 + Double(p[i * ldp + $1]) * Double(v[$1 * ldv + c]) }
        }
    }

    /// Narrowing rounds to nearest, ties to even, as PyTorch: BF16 against the rounding of
    /// `c10::detail::round_to_nearest_even` (NaN → 0x7FC0), F16 against Swift's `Float16`.
    func testNarrowingRoundsToNearestEven() {
        var generator = RandomGenerator(seed: 5)
        var values = Tensor.randomNormal([1000], std: 10, using: &generator).scalars
        values += [0, -0, .infinity, -.infinity, .nan, 1e30, -70000, 65520, 65519, 6e-8, 2e-8, 3e-5,
                   Float(bitPattern: 0x3F80_8000), Float(bitPattern: 0x3F81_8000), Float(bitPattern: 0x3F80_8001),
                   .greatestFiniteMagnitude, .leastNonzeroMagnitude]
        var bfloat16 = [UInt16](repeating: 0, count: values.count), float16 = bfloat16
        viral_narrow(VIRAL_BFLOAT16, values, &bfloat16, values.count)
        viral_narrow(VIRAL_FLOAT16, values, &float16, values.count)
        for (i, value) in values.enumerated() {
            let bits = value.bitPattern
            let expected = value.isNaN ? 0x7FC0 : UInt16(truncatingIfNeeded: (bits &+ 0x7FFF &+ ((bits >> 16) & 1)) >> 16)
            XCTAssertEqual(bfloat16[i], expected, "bfloat16 of \(value)")
            if value.isNaN {
                XCTAssertTrue(Float16(bitPattern: float16[i]).isNaN, "float16 of NaN")
            } else {
                XCTAssertEqual(float16[i], Float16(value).bitPattern, "float16 of \(value)")
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

/// `MatmulPrecision.medium`: prompt-length products with BF16 weights round the inputs to BF16
/// and sum with AVX512-BF16. Checked against sums in Double of the rounded inputs and the weights,
/// with sizes that leave tails in every block (rows past the 12-row kernel and the 240-row block,
/// odd depths, depths past the 256-deep panel, columns past the 32-column panel and the 128-column
/// block), and through `linear` against the F32 op on the same rounded values.
final class BFloat16ProductTests: XCTestCase {
    func testProductsOfRoundedInputsMatchDoubleSums() throws {
        try XCTSkipUnless(MatmulPrecision.hasBFloat16DotProducts, "the CPU has no AVX512-BF16")
        var generator = RandomGenerator(seed: 23)
        for (rows, depth, columns) in [(9, 7, 5), (13, 64, 33), (25, 300, 200), (250, 517, 40), (12, 256, 128)] {
            let x = Tensor.randomNormal([rows, depth], using: &generator).scalars
            let w = Tensor.randomNormal([columns, depth], using: &generator).scalars.map(bfloat16)
            let width = viral_bfloat16_packed_width(depth)
            var packed = [UInt16](repeating: 0xFFFF, count: rows * width)
            viral_bfloat16_pack_rows(x, depth, rows, depth, &packed)
            var y = (0..<(rows * columns)).map { Float($0 % 7) }
            let start = y
            viral_bfloat16_gemm(packed, rows, depth, w, depth, 0, columns, &y, columns)
            var worst = 0.0, scale = 0.0
            for i in 0..<rows {
                for j in 0..<columns {
                    var sum = Double(start[i * columns + j])
                    for k in 0..<depth { sum += Double(widen(bfloat16(x[i * depth + k]))) * Double(widen(w[j * depth + k])) }
                    worst = max(worst, abs(Double(y[i * columns + j]) - sum))
                    scale = max(scale, abs(sum))
                }
            }
            XCTAssertLessThan(worst / scale, 1e-5, "rows \(rows), depth \(depth), columns \(columns)")
        }
    }

    func testMediumPrecisionLinearRoundsItsInputs() throws {
        try XCTSkipUnless(MatmulPrecision.hasBFloat16DotProducts, "the CPU has no AVX512-BF16")
        var generator = RandomGenerator(seed: 29)
        let values = Tensor.randomNormal([300, 70], std: 0.5, using: &generator).scalars.map(bfloat16)
        let weight = Tensor(placeholder: [300, 70])
        weight.acceptsHalfPrecision = true
        let owner = StreamedProductsTests.Buffer(values)
        owner.values.withUnsafeBufferPointer { buffer in
            weight.replaceStorage(with: TensorStorage(borrowing: buffer.baseAddress!, count: buffer.count,
                                                      element: .bfloat16, owner: owner))
        }
        let widened = Tensor(values.map(widen), shape: [300, 70])
        let x = Tensor.randomNormal([2, 20, 70], using: &generator)
        let rounded = Tensor(x.scalars.map { widen(bfloat16($0)) }, shape: x.shape)
        let bias = Tensor.randomNormal([300], using: &generator)
        MatmulPrecision.current = .medium
        defer { MatmulPrecision.current = .highest }
        noGrad {
            assertClose(x.linear(weight, bias: bias), rounded.linear(widened, bias: bias), "medium precision")
            // Decoding-sized inputs keep streaming in F32.
            let row = x.slice(axis: 1, 0..<1)
            assertClose(row.linear(weight, bias: bias), row.linear(widened, bias: bias), "one row")
        }
        withExtendedLifetime(owner) {}
    }

    private func bfloat16(_ value: Float) -> UInt16 {
        let bits = value.bitPattern
        return UInt16(truncatingIfNeeded: (bits &+ 0x7FFF &+ ((bits >> 16) & 1)) >> 16)
    }

    private func widen(_ bits: UInt16) -> Float { Float(bitPattern: UInt32(bits) << 16) }
}
