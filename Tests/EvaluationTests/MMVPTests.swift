import Evaluation
import XCTest

final class MMVPTests: XCTestCase {
    private let answers = [
        "1": "A", "2": "(B).",
        "3": "Yes, there is a dog.",   // lmms-eval's last pattern reads the article "a" as option A
        "4": "The answer is A",
        "99": "A", "100": "B",
    ]

    func testLoadsTheCSVWithQuotedCommasAndLMMsEvalPrompt() throws {
        let items = try MMVP().load(from: fixtures.appendingPathComponent("mmvp"))
        XCTAssertEqual(items.map(\.questionID), ["1", "2", "3", "4", "99", "100"])
        XCTAssertEqual(items[2].prompt, "Is the dog facing left, or right?\nA. Left\nB. Right\n"
            + "Answer with the option's letter from the given choices directly.")
        XCTAssertEqual(items[2].choices, ["Left", "Right"])
        XCTAssertEqual(items.map(\.answer), ["A", "B", "A", "B", "A", "B"])
        XCTAssertEqual(items.map { $0.group(Grouping.pair) }, ["0", "0", "1", "1", "49", "49"])
        XCTAssertEqual(items[4].imagePaths, [fixtures.appendingPathComponent("mmvp/MMVP Images/99.jpg")])
    }

    func testQuestionAndPairAccuracy() throws {
        let mmvp = MMVP()
        let (metrics, _) = score(mmvp, try mmvp.load(from: fixtures.appendingPathComponent("mmvp")), answers: answers)
        // Right: 1, 2, 3, 99, 100; pairs 0 and 49 are right, pair 1 is not.
        assertMetrics(metrics, ["accuracy": 500.0 / 6, "pair_accuracy": 200.0 / 3])
        XCTAssertEqual(metrics.counts, ["questions": 6, "pairs": 3])
    }

    func testLMMsEvalAnswerKeyCorrections() throws {
        let mmvp = MMVP(correctsKnownAnswerErrors: true)
        let items = try mmvp.load(from: fixtures.appendingPathComponent("mmvp"))
        XCTAssertEqual(items.map(\.answer), ["A", "B", "A", "B", "B", "A"])
        let (metrics, _) = score(mmvp, items, answers: answers)
        assertMetrics(metrics, ["accuracy": 50, "pair_accuracy": 100.0 / 3])
    }

    func testAPairWithOneQuestionScoredIsLeftOutOfPairAccuracy() throws {
        let mmvp = MMVP()
        let items = try mmvp.load(from: fixtures.appendingPathComponent("mmvp")).filter { $0.questionID != "4" }
        let (metrics, _) = score(mmvp, items, answers: answers.filter { $0.key != "4" })
        assertMetrics(metrics, ["accuracy": 100, "pair_accuracy": 100])
        XCTAssertEqual(metrics.counts["pairs"], 2)
    }
}
