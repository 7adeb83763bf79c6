import Analysis
import XCTest

final class SeedSummaryTests: XCTestCase {
    func testMeanAndSampleStandardDeviation() throws {
        let summary = try SeedSummary([1, 2, 3, 4])
        XCTAssertEqual(summary.mean, 2.5, accuracy: 1e-15)
        // Σ(x − 2.5)² = 5, divided by n − 1 = 3.
        XCTAssertEqual(try XCTUnwrap(summary.standardDeviation), (5.0 / 3).squareRoot(), accuracy: 1e-15)
        XCTAssertEqual(summary.formatted(), "2.50 ± 1.29")
        XCTAssertEqual(summary.formatted(decimals: 0), "3 ± 1")
    }

    func testSingleValueHasNoDeviation() throws {
        let summary = try SeedSummary([59.666])
        XCTAssertNil(summary.standardDeviation)
        XCTAssertEqual(summary.description, "59.67")
        XCTAssertEqual(try SeedSummary([-0.5, -0.5]).formatted(decimals: 3), "-0.500 ± 0.000")
    }

    func testEmptyInputThrows() {
        XCTAssertThrowsError(try SeedSummary([])) { error in
            XCTAssertEqual("\(error)", "values over seeds is empty")
        }
    }
}
