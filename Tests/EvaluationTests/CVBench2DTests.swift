import Evaluation
import XCTest

final class CVBench2DTests: XCTestCase {
    private let cvBench = CVBench2D()

    func testLoadsOnlyThe2DRecordsWithTheCambrianPrompt() throws {
        let items = try cvBench.load(from: fixtures.appendingPathComponent("cvbench"))
        XCTAssertEqual(items.map(\.questionID), ["1", "2", "3", "4", "5"])
        let count = items[1]
        XCTAssertEqual(count.prompt, "How many wine glasss are in the image? Select from the following choices.\n"
            + "(A) 0\n(B) 3\n(C) 2\n(D) 1\nAnswer with the option's letter from the given choices directly.")
        XCTAssertEqual(count.answer, "A")
        XCTAssertEqual(count.choices, ["0", "3", "2", "1"])
        XCTAssertEqual(count.grouping, [Grouping.category: "Count", Grouping.source: "COCO"])
        XCTAssertEqual(count.imagePaths, [fixtures.appendingPathComponent("cvbench/img/2D/count/coco_2.png")])
    }

    func testMetricsPerTaskPerSourceAndOfficial2DAverage() throws {
        let items = try cvBench.load(from: fixtures.appendingPathComponent("cvbench"))
        let (metrics, predictions) = score(cvBench, items, answers: [
            "1": "(C).",              // ADE20K Count, right
            "2": "The answer is B",   // COCO Count, wrong
            "3": "B) right",          // ADE20K Relation, right
            "4": "Answer: (a)",       // COCO Relation, right
            "5": "I think it is B",   // COCO Relation: Cambrian reads "i", not an option
        ])
        XCTAssertEqual(predictions.map(\.parsed), [.answer("C"), .answer("B"), .answer("B"), .answer("A"), .unrecognized])
        assertMetrics(metrics, [
            "accuracy": 60, "task/Count": 50, "task/Relation": 200.0 / 3,
            "source/ADE20K": 100, "source/COCO": 100.0 / 3, "cv_bench_2d": 200.0 / 3,
        ])
        XCTAssertEqual(metrics.primaryValue!, 200.0 / 3, accuracy: 1e-9)
        XCTAssertEqual(metrics.counts["source/COCO"], 3)
    }

    func testDataWithoutTheOfficialSourcesIsHeadlinedByTheTaskAverage() throws {
        let items = try cvBench.load(from: fixtures.appendingPathComponent("cvbench")).map { item -> EvaluationItem in
            var item = item
            item.grouping[Grouping.source] = "Synthetic"
            return item
        }
        let (metrics, _) = score(cvBench, items, answers: ["1": "(C).", "2": "B", "3": "B", "4": "A", "5": "B"])
        XCTAssertNil(metrics.values["cv_bench_2d"])
        XCTAssertEqual(metrics.primary, "task_average")
        XCTAssertEqual(metrics.primaryValue!, (50 + 100) / 2, accuracy: 1e-9)  // Count 1/2, Relation 3/3
    }
}
