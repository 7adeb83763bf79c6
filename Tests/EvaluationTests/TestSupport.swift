import Evaluation
import Foundation
import XCTest

/// The folder of hand-made benchmark samples in their published formats.
let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

/// Judges canned raw answers (keyed by question id; every item must have one) and scores them.
func score(
    _ benchmark: any Benchmark, _ items: [EvaluationItem], answers: [String: String],
    file: StaticString = #filePath, line: UInt = #line
) -> (metrics: Metrics, predictions: [ScoredPrediction]) {
    XCTAssertEqual(Set(answers.keys), Set(items.map(\.questionID)), "answers must cover the items", file: file, line: line)
    let predictions = items.map { benchmark.judge(rawAnswer: answers[$0.questionID] ?? "", for: $0) }
    return (benchmark.score(predictions), predictions)
}

/// Expected metrics are exact fractions computed by hand; the tolerance only absorbs the rounding
/// of Double arithmetic done in a different order (values are percentages, so 1e-9 is ~1e-11 relative).
func assertMetrics(
    _ metrics: Metrics, _ expected: [String: Double], file: StaticString = #filePath, line: UInt = #line
) {
    for (key, value) in expected {
        guard let actual = metrics.values[key] else {
            XCTFail("metric '\(key)' missing; have \(metrics.values.keys.sorted())", file: file, line: line)
            continue
        }
        XCTAssertEqual(actual, value, accuracy: 1e-9, "metric '\(key)'", file: file, line: line)
    }
}

/// A fresh empty folder for files a test writes.
func makeTemporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("EvaluationTests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// Asserts that `body` throws an `EvaluationError` and returns it.
func evaluationError<T>(
    _ body: @autoclosure () throws -> T, file: StaticString = #filePath, line: UInt = #line
) -> EvaluationError? {
    do {
        _ = try body()
        XCTFail("expected an EvaluationError", file: file, line: line)
    } catch let error as EvaluationError {
        return error
    } catch {
        XCTFail("expected an EvaluationError, got \(error)", file: file, line: line)
    }
    return nil
}
