import Evaluation
import XCTest

final class RescoringTests: XCTestCase {
    private func write(_ lines: [String]) throws -> URL {
        let file = try makeTemporaryDirectory().appendingPathComponent("predictions.jsonl")
        try (lines.joined(separator: "\n") + "\n").write(to: file, atomically: true, encoding: .utf8)
        return file
    }

    private func rescoreMMVP(_ file: URL) throws -> RescoreResult {
        try rescore(benchmark: MMVP(), dataDirectory: fixtures.appendingPathComponent("mmvp"), predictionsFile: file)
    }

    func testIntegerIdsAndMissingQuestionsAreReported() throws {
        let file = try write([
            #"{"question_id": 1, "answer": "A"}"#,
            #"{"question_id": "2", "answer": "(B)."}"#,
            #"{"question_id": 99, "answer": "A", "parsed": "ignored"}"#,
            #"{"question_id": 100, "answer": "B"}"#,
        ])
        let result = try rescoreMMVP(file)
        XCTAssertEqual(result.missingQuestionIDs, ["3", "4"])
        XCTAssertEqual(result.summary, "scored 4 of 6 questions; 2 missing: 3, 4")
        assertMetrics(result.metrics, ["accuracy": 100, "pair_accuracy": 100])
        XCTAssertEqual(result.metrics.counts["pairs"], 2)
    }

    func testUnknownQuestionIdsAreAnError() throws {
        let file = try write([
            #"{"question_id": 1, "answer": "A"}"#,
            #"{"question_id": 7, "answer": "A"}"#,
            #"{"question_id": "random/1", "answer": "A"}"#,
        ])
        let error = evaluationError(try rescoreMMVP(file))
        XCTAssertEqual(error, .unknownQuestionIDs(["7", "random/1"], file: file, firstRecord: "line 2"))
        XCTAssertEqual(error?.description,
                       "\(file.path): 2 question id(s) not in the benchmark data, first at line 2: '7', 'random/1'")
    }

    func testDuplicateAndMalformedPredictionsNameTheLine() throws {
        let duplicate = try write([#"{"question_id": 1, "answer": "A"}"#, #"{"question_id": "1", "answer": "B"}"#])
        XCTAssertEqual(evaluationError(try rescoreMMVP(duplicate)),
                       .duplicateQuestionID("1", file: duplicate, record: "line 2"))
        let noAnswer = try write([#"{"question_id": 1, "answer": "A"}"#, #"{"question_id": 2}"#])
        XCTAssertEqual(evaluationError(try rescoreMMVP(noAnswer)),
                       .malformedRecord(file: noAnswer, record: "line 2", reason: "missing field 'answer'"))
        let empty = try write([])
        XCTAssertEqual(evaluationError(try rescoreMMVP(empty)),
                       .noPredictions(file: empty))
    }
}
