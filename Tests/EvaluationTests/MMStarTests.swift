import Evaluation
import XCTest

final class MMStarTests: XCTestCase {
    private let mmstar = MMStar()

    func testLoadsTheConvertedJSONLines() throws {
        let directory = fixtures.appendingPathComponent("mmstar")
        let items = try mmstar.load(from: directory)
        XCTAssertEqual(items.map(\.questionID), ["0", "1", "2", "3", "4", "5"])
        XCTAssertEqual(items[1].prompt, "What is the main topic of the image?\nOptions: A: sports, B: cooking, C: travel, D: music"
            + "\nAnswer with the option's letter from the given choices directly")
        XCTAssertEqual(items[1].grouping, [Grouping.category: "coarse perception", Grouping.subcategory: "image scene and topic"])
        XCTAssertEqual(items[1].imagePaths, [directory.appendingPathComponent("images/1.png")])
    }

    func testCategoryAccuracyIsTheMeanOfItsL2Accuracies() throws {
        let items = try mmstar.load(from: fixtures.appendingPathComponent("mmstar"))
        let (metrics, _) = score(mmstar, items, answers: [
            "0": "A", "1": "(c)", "2": "the answer is c", "3": "option d", "4": "The answer is B", "5": "I think A",
        ])
        assertMetrics(metrics, [
            "l2_category/image scene and topic": 50, "l2_category/image emotion": 100,
            "l2_category/geometry": 100, "l2_category/statistical reasoning": 0,
            "category/coarse perception": 75, "category/math": 50,
            "average": 62.5, "accuracy": 200.0 / 3,
        ])
        XCTAssertEqual(metrics.primary, "average")
    }
}
