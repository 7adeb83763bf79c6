import Analysis
import Foundation
import SafeTensors
import XCTest

/// Checks CKNNA, mutual k-NN, unbiased CKA and the feature preparation against
/// Fixtures/cknna (computed in float64 with PyTorch and the platonic-rep `metrics.py` code).
/// Pairs: related = (A, B), unrelated = (A, C), self = (A, A); values are on prepared features.
final class RepresentationSimilarityTests: XCTestCase {
    /// Tolerance of the brief: the fixture is float64, so agreement is far tighter in practice.
    let tolerance = 1e-6

    private var fixtures: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures").appendingPathComponent("cknna")
    }

    private func load() throws -> (features: [String: Matrix], values: [String: Double]) {
        let file = try SafeTensorsFile(url: fixtures.appendingPathComponent("features.safetensors"))
        let features = try Dictionary(uniqueKeysWithValues: file.names.map { ($0, try file.matrix($0)) })
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: fixtures.appendingPathComponent("cases.json")))
        let values = try XCTUnwrap((json as? [String: Any])?["values"] as? [String: Double])
        return (features, values)
    }

    func testPreparationMatchesFixture() throws {
        let (features, _) = try load()
        for name in ["A", "B", "C"] {
            let raw = try XCTUnwrap(features[name])
            let expected = try XCTUnwrap(features[name + ".prepared"])
            let prepared = try FeaturePreparation.prepare(raw)
            // Clamp and normalise are a few float64 operations per value: agreement to ~1e-15.
            let difference = zip(prepared.values, expected.values).map { abs($0 - $1) }.max() ?? .infinity
            XCTAssertLessThan(difference, 1e-12, "prepared \(name)")
        }
    }

    func testSimilaritiesOnPreparedFeaturesMatchFixture() throws {
        let (features, values) = try load()
        let a = try XCTUnwrap(features["A.prepared"])
        let b = try XCTUnwrap(features["B.prepared"])
        let c = try XCTUnwrap(features["C.prepared"])
        let checks: [(String, Double)] = [
            ("cknna.related.k10", try RepresentationSimilarity.cknna(a, b, topK: 10)),
            ("cknna.unrelated.k10", try RepresentationSimilarity.cknna(a, c, topK: 10)),
            ("cknna.related.k5", try RepresentationSimilarity.cknna(a, b, topK: 5)),
            ("cknna.unrelated.k5", try RepresentationSimilarity.cknna(a, c, topK: 5)),
            ("cknna.self.k10", try RepresentationSimilarity.cknna(a, a)),
            ("mutual_knn.related.k10", try RepresentationSimilarity.mutualKNN(a, b, topK: 10)),
            ("mutual_knn.related.k5", try RepresentationSimilarity.mutualKNN(a, b, topK: 5)),
            ("unbiased_cka.related", try RepresentationSimilarity.unbiasedCKA(a, b)),
            ("unbiased_cka.unrelated", try RepresentationSimilarity.unbiasedCKA(a, c)),
        ]
        for (name, value) in checks {
            let expected = try XCTUnwrap(values[name], name)
            XCTAssertEqual(value, expected, accuracy: tolerance, name)
        }
    }

    func testPreparedKernelsFromRawFeaturesMatchFixture() throws {
        let (features, values) = try load()
        let a = try RepresentationKernel.prepared(XCTUnwrap(features["A"]))
        let b = try RepresentationKernel.prepared(XCTUnwrap(features["B"]))
        let c = try RepresentationKernel.prepared(XCTUnwrap(features["C"]))
        XCTAssertEqual(try RepresentationSimilarity.cknna(a, b), try XCTUnwrap(values["cknna.related.k10"]), accuracy: tolerance)
        XCTAssertEqual(try RepresentationSimilarity.cknna(a, c, topK: 5), try XCTUnwrap(values["cknna.unrelated.k5"]), accuracy: tolerance)
        XCTAssertEqual(try RepresentationSimilarity.unbiasedCKA(a, b), try XCTUnwrap(values["unbiased_cka.related"]), accuracy: tolerance)
    }

    func testRawFeaturesGiveDifferentValues() throws {
        // The fixture's values hold only after preparation; raw features must not reproduce them
        // (CKNNA of raw A, B is ≈ 0.398 by the same reference code, vs 0.371 prepared).
        let (features, values) = try load()
        let raw = try RepresentationSimilarity.cknna(XCTUnwrap(features["A"]), XCTUnwrap(features["B"]))
        XCTAssertGreaterThan(abs(raw - (try XCTUnwrap(values["cknna.related.k10"]))), 1e-3)
        XCTAssertEqual(raw, 0.39792359648259196, accuracy: tolerance)
    }

    func testTorchQuantileInterpolation() throws {
        // torch.quantile(tensor([4., 1., 3., 2., 10.]), q) — rank q·(n−1) on the sorted values.
        let values: [Double] = [4, 1, 3, 2, 10]
        XCTAssertEqual(try FeaturePreparation.quantile(values, 0.95), 4 + 0.8 * 6, accuracy: 1e-12)
        XCTAssertEqual(try FeaturePreparation.quantile(values, 0.5), 3, accuracy: 1e-12)
        XCTAssertEqual(try FeaturePreparation.quantile(values, 0), 1, accuracy: 1e-12)
        XCTAssertEqual(try FeaturePreparation.quantile(values, 1), 10, accuracy: 1e-12)
        // Sorted [1, 7, 7, 7]: rank 0.6 lies between 1 and 7; the repeated 7s exercise the three-way partition.
        XCTAssertEqual(try FeaturePreparation.quantile([7, 7, 1, 7], 0.2), 7 - 0.4 * 6, accuracy: 1e-12)
        XCTAssertEqual(try FeaturePreparation.quantile([7, 7, 1, 7], 0.5), 7, accuracy: 1e-12)
    }

    func testInvalidInputsThrowNamedErrors() throws {
        let a = try Matrix(rows: 6, columns: 2, values: (0..<12).map(Double.init))
        let b = try Matrix(rows: 5, columns: 2, values: (0..<10).map(Double.init))
        XCTAssertThrowsError(try RepresentationSimilarity.cknna(a, b)) { error in
            XCTAssertTrue("\(error)".contains("6 rows"), "\(error)")
        }
        XCTAssertThrowsError(try RepresentationSimilarity.cknna(a, a, topK: 6)) { error in
            XCTAssertTrue("\(error)".contains("topK"), "\(error)")
        }
        XCTAssertThrowsError(try Matrix(rows: 2, columns: 3, values: [1.0, 2.0])) { error in
            XCTAssertTrue("\(error)".contains("expected 6 values, got 2"), "\(error)")
        }
        var values = [Double](repeating: 1, count: 12)
        values[7] = .nan
        XCTAssertThrowsError(try FeaturePreparation.prepare(Matrix(rows: 6, columns: 2, values: values))) { error in
            XCTAssertTrue("\(error)".contains("row 3, column 1"), "\(error)")
        }
    }

    func testGramMatchesNaiveProductAcrossBlockBoundaries() throws {
        // 70 rows and 300 columns cross the 32-row strips, 4-row groups and 128-wide depth blocks.
        var generator = TestRandom(seed: 3)
        let x = try Matrix(rows: 70, columns: 300, values: (0..<21_000).map { _ in generator.next() })
        let kernel = try RepresentationKernel(features: x)
        for i in 0..<70 {
            for j in 0..<70 {
                var expected = 0.0
                for p in 0..<300 { expected += x[i, p] * x[j, p] }
                XCTAssertEqual(kernel[i, j], expected, accuracy: 1e-11)
            }
        }
    }
}

/// Deterministic values in [−1, 1) for tests.
struct TestRandom {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> Double {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return Double(state >> 11) / Double(1 << 52) - 1
    }
}

private extension SafeTensorsFile {
    /// The 2-D F64 tensor `name` as a `Matrix` at full precision (`floats` would round the
    /// fixture to Float, far beyond the 1e-12 tolerance of the preparation check).
    func matrix(_ name: String) throws -> Matrix {
        let info = try info(name)
        guard info.dtype == .f64, info.shape.count == 2 else {
            throw AnalysisError.invalidParameter(name: "fixture tensor \(name)", value: "\(info.dtype.name) \(info.shape)",
                                                 requirement: "must be a 2-D F64 tensor")
        }
        let values = try doubles(name)
        return try Matrix(rows: info.shape[0], columns: info.shape[1], values: values)
    }
}
