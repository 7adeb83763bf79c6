import Analysis
import XCTest

/// PCA on matrices built as mean + U·diag(s)·Vᵀ with orthonormal, zero-mean U and orthonormal V:
/// the components must be ±V's columns, the scores U·s (same sign), the variances s²/(n−1).
final class PrincipalComponentsTests: XCTestCase {
    private func orthonormalColumns(rows: Int, count: Int, zeroMean: Bool, seed: UInt64) -> [[Double]] {
        var random = TestRandom(seed: seed)
        var columns: [[Double]] = []
        while columns.count < count {
            var v = (0..<rows).map { _ in random.next() }
            if zeroMean {
                let mean = v.reduce(0, +) / Double(rows)
                v = v.map { $0 - mean }
            }
            for _ in 0..<2 {
                for u in columns {
                    let projection = zip(u, v).reduce(0) { $0 + $1.0 * $1.1 }
                    v = zip(v, u).map { $0 - projection * $1 }
                }
            }
            let norm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
            columns.append(v.map { $0 / norm })
        }
        return columns
    }

    private func checkKnownComponents(samples n: Int, features d: Int, singularValues s: [Double]) throws {
        let u = orthonormalColumns(rows: n, count: s.count, zeroMean: true, seed: 11)
        let v = orthonormalColumns(rows: d, count: s.count, zeroMean: false, seed: 29)
        let offsets = (0..<d).map { Double($0) * 0.25 - 3 }
        var values = [Double](repeating: 0, count: n * d)
        for i in 0..<n {
            for j in 0..<d {
                var value = offsets[j]
                for c in 0..<s.count { value += u[c][i] * s[c] * v[c][j] }
                values[i * d + j] = value
            }
        }
        let pca = try PrincipalComponents(Matrix(rows: n, columns: d, values: values), count: 3)
        // Exact construction: agreement is limited only by rounding (≈1e-13 at these sizes).
        let tolerance = 1e-9
        for c in 0..<3 {
            let largest = v[c].max { abs($0) < abs($1) }!
            let sign: Double = largest < 0 ? -1 : 1
            for j in 0..<d { XCTAssertEqual(pca.components[c, j], sign * v[c][j], accuracy: tolerance, "component \(c)") }
            for i in 0..<n { XCTAssertEqual(pca.scores[i, c], sign * s[c] * u[c][i], accuracy: tolerance * s[0], "score \(c)") }
            XCTAssertEqual(pca.explainedVariance[c], s[c] * s[c] / Double(n - 1), accuracy: tolerance * s[0] * s[0])
            let largestLoading = (0..<d).map { pca.components[c, $0] }.max { abs($0) < abs($1) }!
            XCTAssertGreaterThan(largestLoading, 0, "sign convention of component \(c)")
        }
    }

    func testFewSamplesManyFeaturesSmallGram() throws {
        // n ≤ d and n ≤ block size: the n × n Gram is diagonalised directly.
        try checkKnownComponents(samples: 9, features: 40, singularValues: [12, 7, 3, 1])
    }

    func testManySamplesFewFeaturesUsesFeatureGram() throws {
        // d < n: the d × d covariance route, with subspace iteration (d > block size).
        try checkKnownComponents(samples: 150, features: 24, singularValues: [20, 9, 4, 2, 0.5])
    }

    func testTokenGridSizedInputUsesSubspaceIteration() throws {
        // n = 64 tokens ≤ d = 96: the n × n Gram route with subspace iteration.
        try checkKnownComponents(samples: 64, features: 96, singularValues: [30, 18, 11, 10.5, 3, 1])
    }

    func testRankDeficientInputTerminates() throws {
        // Rank 2 data asked for 3 components: the third has zero variance and zero scores.
        var values: [Double] = []
        for i in 0..<40 {
            let a = Double(i % 7) - 3
            let b = Double(i % 5) - 2
            values += (0..<30).map { j in a * Double(j % 3) + b * Double(j % 4) }
        }
        let pca = try PrincipalComponents(Matrix(rows: 40, columns: 30, values: values), count: 3)
        XCTAssertGreaterThan(pca.explainedVariance[1], 1)
        XCTAssertEqual(pca.explainedVariance[2], 0, accuracy: 1e-9)
        for i in 0..<40 { XCTAssertEqual(pca.scores[i, 2], 0, accuracy: 1e-6) }
    }

    func testColorMapNormalisesEachComponent() throws {
        let scores = try Matrix(rows: 4, columns: 3, values: [0, 1, 5,
                                                              1, 1, 6,
                                                              2, 1, 7,
                                                              4, 1, 9])
        let map = try PCAColorMap.render(scores: scores, height: 2, width: 2)
        XCTAssertEqual(map.width, 2)
        XCTAssertEqual(map.height, 2)
        // Red: (0, 1, 2, 4)/4·255 rounded; green constant → 0; blue: (0, 1, 2, 4)/4·255.
        XCTAssertEqual(map.pixels, [0, 0, 0, 64, 0, 64, 128, 0, 128, 255, 0, 255])
        XCTAssertThrowsError(try PCAColorMap.render(scores: scores, height: 3, width: 2)) { error in
            XCTAssertTrue("\(error)".contains("expected 6 values, got 4"), "\(error)")
        }
    }

    func testTokenMapOfGridWithThreeRegions() throws {
        // Tokens of a 4 × 4 grid: left half, top-right and bottom-right quarters carry three
        // different feature vectors; a PCA map must give the three regions three colours.
        var values: [Double] = []
        for row in 0..<4 {
            for column in 0..<4 {
                let region = column < 2 ? 0 : (row < 2 ? 1 : 2)
                values += (0..<8).map { j in j == region * 2 ? 1.0 : (j == 7 ? Double(region) : 0) }
            }
        }
        let map = try PCAColorMap.render(tokens: Matrix(rows: 16, columns: 8, values: values), height: 4, width: 4)
        let colour = { (token: Int) in Array(map.pixels[(token * 3)..<(token * 3 + 3)]) }
        XCTAssertEqual(colour(0), colour(13))
        XCTAssertEqual(colour(2), colour(7))
        XCTAssertEqual(colour(10), colour(15))
        XCTAssertNotEqual(colour(0), colour(2))
        XCTAssertNotEqual(colour(2), colour(10))
        XCTAssertNotEqual(colour(0), colour(10))
    }
}
