import Foundation
@testable import Tensor
import XCTest

/// The vectorised row reductions against in-order sums in Double, for lengths around the
/// 16-lane blocks (tolerance 1e-5 relative to the sum of magnitudes: F32 rounding of ≤ 100 terms).
final class RowReductionTests: XCTestCase {
    func testReductionsMatchDoubleSums() {
        for n in [0, 1, 15, 16, 17, 33, 100] {
            let x = GradientCheck.random([max(n, 1)], seed: UInt64(n) + 1)
            let y = GradientCheck.random([max(n, 1)], seed: UInt64(n) + 101)
            let z = GradientCheck.random([max(n, 1)], seed: UInt64(n) + 201)
            let (a, b, c) = ((0..<n).map { Double(x.data[$0]) }, (0..<n).map { Double(y.data[$0]) }, (0..<n).map { Double(z.data[$0]) })
            let scale = 1e-5 * (a.map(abs).reduce(0, +) + 1)
            XCTAssertEqual(Double(RowReduction.sum(x.data, n)), a.reduce(0, +), accuracy: scale, "sum n \(n)")
            XCTAssertEqual(Double(RowReduction.dot(x.data, y.data, n)), zip(a, b).map { $0 * $1 }.reduce(0, +),
                           accuracy: scale * 4, "dot n \(n)")
            XCTAssertEqual(Double(RowReduction.dot(x.data, y.data, z.data, n)),
                           (0..<n).map { a[$0] * b[$0] * c[$0] }.reduce(0, +), accuracy: scale * 16, "dot3 n \(n)")
            let mean = n == 0 ? 0 : a.reduce(0, +) / Double(n)
            XCTAssertEqual(Double(RowReduction.sumOfSquaredDeviations(x.data, n, from: Float(mean))),
                           a.map { ($0 - mean) * ($0 - mean) }.reduce(0, +), accuracy: scale * 4, "deviations n \(n)")
            XCTAssertEqual(RowReduction.maximum(x.data, n), n == 0 ? -.infinity : Float(a.max()!), "max n \(n)")
            XCTAssertEqual(Double(RowReduction.sumOfExponentials(x.data, n, minus: 0.5)),
                           a.map { Foundation.exp($0 - 0.5) }.reduce(0, +), accuracy: 1e-5 * Double(n + 1), "exp n \(n)")
        }
    }

    func testMaximumOfLongRowsAndInfinities() {
        let row = GradientCheck.random([600], seed: 9)
        row.data[517] = 40
        XCTAssertEqual(RowReduction.maximum(row.data, 600), 40)
        let masked = Tensor(repeating: -.infinity, shape: [40])
        XCTAssertEqual(RowReduction.maximum(masked.data, 40), -.infinity)
        masked.data[33] = -3
        XCTAssertEqual(RowReduction.maximum(masked.data, 40), -3)
    }
}
