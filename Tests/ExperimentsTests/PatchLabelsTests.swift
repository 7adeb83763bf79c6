@testable import Experiments
import XCTest

final class PatchLabelsTests: XCTestCase {
    /// A 4 × 4 grid with class 5 on three patches of the top-left cell, class 7 on one patch of
    /// it and on two of the top-right cell, class 9 on one patch of the bottom-right cell.
    let labels = PatchLabels(classes: [5, 5, 0, 7,
                                       5, 7, 7, 0,
                                       0, 0, 0, 0,
                                       0, 0, 0, 9],
                             offsets: [Float](repeating: 0.5, count: 32))

    func testCellsTakeTheCategoryCoveringMostOfTheirPatches() {
        let cells = labels.cells(side: 2)
        XCTAssertEqual(cells.classes, [5, 7, 0, 9])
        XCTAssertEqual(cells.offsets, [Float](repeating: 0, count: 8))
    }

    func testCellsOfOnePatchAreThePatches() {
        let cells = labels.cells(side: 1)
        XCTAssertEqual(cells.classes, labels.classes)
        XCTAssertEqual(cells.offsets, labels.offsets)
    }

    func testCellOrderVisitsEachCellsPatchesTogether() {
        XCTAssertEqual(PatchCategoryObjective.cellOrder(images: 2, grid: 4, cellSide: 2),
                       [0, 1, 4, 5, 2, 3, 6, 7, 8, 9, 12, 13, 10, 11, 14, 15,
                        16, 17, 20, 21, 18, 19, 22, 23, 24, 25, 28, 29, 26, 27, 30, 31])
    }
}
