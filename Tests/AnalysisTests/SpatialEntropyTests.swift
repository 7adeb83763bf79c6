import Analysis
import Foundation
import XCTest

/// Spatial entropy on small hand-made maps whose components and entropies are worked out by hand.
final class SpatialEntropyTests: XCTestCase {
    /// Values are a handful of logs: exact to rounding.
    let tolerance = 1e-12

    func testTwoEqualComponentsGiveLogTwo() throws {
        // Mean 54/16 = 3.375; above it: two L-shaped blobs of 3 pixels → P = (½, ½).
        let map: [Double] = [9, 9, 0, 0,
                             9, 0, 0, 0,
                             0, 0, 0, 9,
                             0, 0, 9, 9]
        XCTAssertEqual(try SpatialEntropy.entropy(of: map, height: 4, width: 4), log(2), accuracy: tolerance)
    }

    func testDiagonalNeighboursAreOneComponent() throws {
        // Mean 11/9; (0,0) and (1,1) touch by a corner: one component under 8-connectivity → 0
        // (4-connectivity would give two components and ln 2).
        let map: [Double] = [5, 0, 0,
                             0, 5, 0,
                             0, 0, 1]
        XCTAssertEqual(try SpatialEntropy.entropy(of: map, height: 3, width: 3), 0, accuracy: tolerance)
    }

    func testComponentSizesOneTwoThree() throws {
        // Mean 6/25 = 0.24: the six 1-pixels lie above it and form components of
        // sizes 1, 2 and 3 → P = (1/6, 2/6, 3/6).
        let map: [Double] = [1, 0, 0, 0, 1,
                             0, 0, 0, 0, 1,
                             0, 0, 0, 0, 0,
                             0, 0, 0, 0, 0,
                             1, 1, 1, 0, 0]
        let expected = -(1.0 / 6 * log(1.0 / 6) + 2.0 / 6 * log(2.0 / 6) + 3.0 / 6 * log(3.0 / 6))
        XCTAssertEqual(try SpatialEntropy.entropy(of: map, height: 5, width: 5), expected, accuracy: tolerance)
    }

    func testConstantMapHasNoFocus() throws {
        XCTAssertEqual(try SpatialEntropy.entropy(of: [Double](repeating: 0.25, count: 4), height: 2, width: 2), .infinity)
    }

    func testReleasedCodeWeighsComponentsByMass() throws {
        // Mean 15/9; B = relu(A − 30/9): 10 − 30/9 and 5 − 30/9 in two separate corners.
        let map: [Double] = [10, 0, 0,
                             0, 0, 0,
                             0, 0, 5]
        let big = 10 - 30.0 / 9
        let small = 5 - 30.0 / 9
        let p = big / (big + small)
        let expected = -(p * log(p) + (1 - p) * log(1 - p))
        let value = try SpatialEntropy.entropy(of: map, height: 3, width: 3, definition: .releasedCodeDefault)
        XCTAssertEqual(value, expected, accuracy: tolerance)
        // The paper's definition counts pixels instead: two components of one pixel → ln 2.
        XCTAssertEqual(try SpatialEntropy.entropy(of: map, height: 3, width: 3), log(2), accuracy: tolerance)
    }

    func testReleasedCodeThresholdDropsWeakComponentsButKeepsTheirMassInTheTotal() throws {
        // Mean 14/9; B = 10 − 28/9 ≈ 6.89 and 4 − 28/9 ≈ 0.89 < threshold 1: one component whose
        // probability is its share of the whole activation.
        let map: [Double] = [10, 0, 0,
                             0, 0, 0,
                             0, 0, 4]
        let big = 10 - 28.0 / 9
        let small = 4 - 28.0 / 9
        let p = big / (big + small)
        let value = try SpatialEntropy.entropy(of: map, height: 3, width: 3, definition: .releasedCode(threshold: 1))
        XCTAssertEqual(value, -p * log(p), accuracy: tolerance)
    }

    func testPerLayerAndHeadAveragesQueries() throws {
        // One layer, two heads, two text queries on a 3 × 3 grid.
        // Head 0: both queries uniform → constant map → +∞.
        // Head 1: one-hot on opposite corners → mean map has two separate peaks → ln 2.
        var attention = [Float](repeating: 1.0 / 9, count: 18)
        var second = [Float](repeating: 0, count: 18)
        second[0] = 1
        second[9 + 8] = 1
        attention += second
        let entropies = try SpatialEntropy.perLayerAndHead(attention, layers: 1, heads: 2, queries: 2, height: 3, width: 3)
        XCTAssertEqual(entropies.count, 1)
        XCTAssertEqual(entropies[0][0], .infinity)
        XCTAssertEqual(entropies[0][1], log(2), accuracy: tolerance)
        XCTAssertThrowsError(try SpatialEntropy.perLayerAndHead(attention, layers: 2, heads: 2, queries: 2, height: 3, width: 3)) { error in
            XCTAssertTrue("\(error)".contains("expected 72 values, got 36"), "\(error)")
        }
    }
}
