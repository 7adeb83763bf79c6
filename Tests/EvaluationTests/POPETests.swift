import Evaluation
import XCTest

final class POPETests: XCTestCase {
    private let pope = POPE()

    func testLoadsSplitFilesFromTheFolderAndItsCocoSubfolder() throws {
        let items = try pope.load(from: fixtures.appendingPathComponent("pope"))
        XCTAssertEqual(items.map(\.questionID),
                       ["adversarial/1", "adversarial/2", "adversarial/3",
                        "random/1", "random/2", "random/3", "random/4", "random/5"])
        let first = try XCTUnwrap(items.first { $0.questionID == "random/5" })
        XCTAssertEqual(first.prompt, "Is there a person in the image?\nAnswer the question using a single word or phrase.")
        XCTAssertEqual(first.answer, "yes")
        XCTAssertEqual(first.group(Grouping.split), "random")
        XCTAssertEqual(first.imagePaths, [fixtures.appendingPathComponent("pope/val2014/COCO_val2014_000000429109.jpg")])
    }

    func testMetricsMatchHandComputedConfusionCounts() throws {
        let items = try pope.load(from: fixtures.appendingPathComponent("pope"))
        let (metrics, _) = score(pope, items, answers: [
            "random/1": "Yes",                  // TP
            "random/2": "No, there is not.",    // TN
            "random/3": "There is no cat",      // FN
            "random/4": "Yes.",                 // FP
            "random/5": " YES",                 // TP
            "adversarial/1": "Not at all",      // TN
            "adversarial/2": "yes",             // TP
            "adversarial/3": "no.",             // TN
        ])
        // random: TP 2, FP 1, TN 1, FN 1; adversarial: TP 1, TN 2; all: TP 3, FP 1, TN 3, FN 1.
        assertMetrics(metrics, [
            "random/accuracy": 60, "random/precision": 200.0 / 3, "random/recall": 200.0 / 3,
            "random/f1": 200.0 / 3, "random/yes_ratio": 60,
            "adversarial/accuracy": 100, "adversarial/precision": 100, "adversarial/recall": 100,
            "adversarial/f1": 100, "adversarial/yes_ratio": 100.0 / 3,
            "all/accuracy": 75, "all/precision": 75, "all/recall": 75, "all/f1": 75, "all/yes_ratio": 50,
            "mean/accuracy": 80, "mean/f1": 250.0 / 3, "mean/yes_ratio": 140.0 / 3,
        ])
        XCTAssertEqual(metrics.primary, "mean/f1")
        XCTAssertEqual(metrics.counts, ["random": 5, "adversarial": 3, "all": 8])
        XCTAssertNil(metrics.values["popular/f1"])
    }

    func testPrecisionWithoutPositivePredictionsIsZero() throws {
        let items = try pope.load(from: fixtures.appendingPathComponent("pope"))
            .filter { $0.group(Grouping.split) == "adversarial" }
        let (metrics, _) = score(pope, items, answers: ["adversarial/1": "no", "adversarial/2": "no", "adversarial/3": "no"])
        assertMetrics(metrics, ["adversarial/precision": 0, "adversarial/recall": 0, "adversarial/f1": 0,
                                "adversarial/accuracy": 200.0 / 3])
    }
}
