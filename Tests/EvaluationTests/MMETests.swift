import Evaluation
import XCTest

final class MMETests: XCTestCase {
    private let mme = MME()

    func testLoadsBothFolderLayoutsFromTheNestedReleaseFolder() throws {
        let items = try mme.load(from: fixtures.appendingPathComponent("mme"))
        XCTAssertEqual(items.map(\.questionID), [
            "existence/0001.png#1", "existence/0001.png#2", "existence/0002.jpg#1", "existence/0002.jpg#2",
            "artwork/10002.jpg#1", "artwork/10002.jpg#2", "code_reasoning/0020.png#1", "code_reasoning/0020.png#2",
        ])
        let root = fixtures.appendingPathComponent("mme/MME_Benchmark")
        XCTAssertEqual(items[4].imagePaths, [root.appendingPathComponent("artwork/images/10002.jpg")])
        XCTAssertEqual(items[3].imagePaths, [root.appendingPathComponent("existence/0002.jpg")])
        XCTAssertEqual(items[3].prompt, "Is there a train in this image?\nAnswer the question using a single word or phrase.")
        XCTAssertEqual(items.map(\.answer), ["yes", "no", "yes", "no", "yes", "no", "yes", "no"])
        XCTAssertEqual(items[3].grouping, [Grouping.category: "existence", Grouping.pair: "existence/0002.jpg"])
    }

    func testScoresAreAccuracyPlusAccuracyPlusSummedPerTaskGroup() throws {
        let items = try mme.load(from: fixtures.appendingPathComponent("mme"))
        let (metrics, predictions) = score(mme, items, answers: [
            "existence/0001.png#1": "Yes", "existence/0001.png#2": "No",
            "existence/0002.jpg#1": "yes, there is", "existence/0002.jpg#2": "Yes",
            "artwork/10002.jpg#1": "y", "artwork/10002.jpg#2": "maybe",
            "code_reasoning/0020.png#1": " YES", "code_reasoning/0020.png#2": "no.",
        ])
        XCTAssertEqual(predictions[5].parsed, .unrecognized)
        assertMetrics(metrics, [
            "existence/accuracy": 75, "existence/accuracy_plus": 50, "existence/score": 125,
            "artwork/accuracy": 50, "artwork/accuracy_plus": 0, "artwork/score": 50,
            "code_reasoning/score": 200,
            "perception": 175, "cognition": 200,
        ])
        XCTAssertEqual(metrics.primary, "perception")
        XCTAssertEqual(metrics.counts["existence/images"], 2)
    }

    func testLoadsTheJSONLinesConversionOfTheParquetRelease() throws {
        let directory = fixtures.appendingPathComponent("mme-jsonl")
        let items = try mme.load(from: directory)
        XCTAssertEqual(items.map(\.questionID), ["count/000000000001.jpg#1", "count/000000000001.jpg#2", "OCR/0001.jpg#1", "OCR/0001.jpg#2"])
        XCTAssertEqual(items[2].prompt, "Is the word in the logo \"angie's\"?\nAnswer the question using a single word or phrase.")
        XCTAssertEqual(items[2].imagePaths, [directory.appendingPathComponent("images/OCR/0001.jpg")])
        let (metrics, _) = score(mme, items, answers: [
            "count/000000000001.jpg#1": "Yes", "count/000000000001.jpg#2": "No",
            "OCR/0001.jpg#1": "Yes", "OCR/0001.jpg#2": "Yes",
        ])
        assertMetrics(metrics, ["count/score": 200, "OCR/score": 50, "perception": 250, "cognition": 0])
    }
}
