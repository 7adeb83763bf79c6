import Evaluation
import XCTest

/// Answers from a table, as a model would; fails on ids it does not know.
private struct CannedAnswers: AnswerGenerator {
    struct NoAnswer: Error, CustomStringConvertible {
        var description: String { "no canned answer" }
    }

    let answers: [String: String]

    func answer(to item: EvaluationItem) throws -> String {
        guard let answer = answers[item.questionID] else { throw NoAnswer() }
        return answer
    }
}

final class EvaluatorTests: XCTestCase {
    private let answers = [
        "random/1": "Yes", "random/2": "No, there is not.", "random/3": "There is no cat",
        "random/4": "Yes.", "random/5": " YES", "adversarial/1": "Not at all", "adversarial/2": "yes",
        "adversarial/3": "no.",
    ]

    func testRunWritesPredictionsAndMetricsThatRescoreTheSame() throws {
        let pope = POPE()
        let data = fixtures.appendingPathComponent("pope")
        let items = try pope.load(from: data)
        let output = try makeTemporaryDirectory()
        let predictionsFile = output.appendingPathComponent("pope.predictions.jsonl")
        let metricsFile = output.appendingPathComponent("pope.metrics.json")
        var reports: [EvaluationProgress] = []
        let result = try Evaluator(benchmark: pope, generator: CannedAnswers(answers: answers))
            .run(on: items, predictionsFile: predictionsFile, metricsFile: metricsFile) { reports.append($0) }

        XCTAssertEqual(reports.map(\.completed), Array(1...8))
        XCTAssertEqual(reports.last?.total, 8)
        XCTAssertEqual(reports.last?.correct, 6)
        XCTAssertEqual(result.metrics.values["mean/f1"]!, 250.0 / 3, accuracy: 1e-9)
        XCTAssertFalse(FileManager.default.fileExists(atPath: predictionsFile.path + ".partial"))
        XCTAssertEqual(try JSONDecoder().decode(Metrics.self, from: Data(contentsOf: metricsFile)), result.metrics)

        let lines = try String(contentsOf: predictionsFile, encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(lines.count, 8)
        XCTAssertEqual(String(lines[5]), #"{"answer":"There is no cat","correct":false,"parsed":"no","#
            + #""prompt":"Is there a cat in the image?\nAnswer the question using a single word or phrase.","#
            + #""question_id":"random/3","reference":"yes"}"#)

        let rescored = try rescore(benchmark: pope, dataDirectory: data, predictionsFile: predictionsFile)
        XCTAssertEqual(rescored.metrics, result.metrics)
        XCTAssertEqual(rescored.predictions, result.predictions)
        XCTAssertEqual(rescored.missingQuestionIDs, [])
        XCTAssertEqual(rescored.summary, "scored 8 of 8 questions")
    }

    func testGeneratorFailureNamesTheQuestion() throws {
        let items = try POPE().load(from: fixtures.appendingPathComponent("pope"))
        let output = try makeTemporaryDirectory().appendingPathComponent("p.jsonl")
        let error = evaluationError(try Evaluator(benchmark: POPE(), generator: CannedAnswers(answers: [:]))
            .run(on: items, predictionsFile: output))
        XCTAssertEqual(error, .generationFailed(questionID: "adversarial/1", reason: "no canned answer"))
    }
}
