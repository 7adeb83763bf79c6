import Experiments
import Foundation
import Training
import Vision
import XCTest

final class SimilarityReportTests: XCTestCase {
    let features = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../AnalysisTests/Fixtures/cknna/features.safetensors").standardizedFileURL

    /// The `cknna` fixture's values (float64 reference, see its cases.json) within 1e-6.
    func testPreparedFeaturesMatchTheFixture() throws {
        let related = try SimilarityReport(file: features, a: "A", b: "B", topK: 10, prepare: true)
        XCTAssertEqual(related.cknna, 0.3712165721916288, accuracy: 1e-6)
        XCTAssertEqual(related.mutualKNN, 0.34687498211860657, accuracy: 1e-6)
        XCTAssertEqual(related.unbiasedCKA, 0.5423515927976587, accuracy: 1e-6)
        let unrelated = try SimilarityReport(file: features, a: "A", b: "C", topK: 5, prepare: true)
        XCTAssertEqual(unrelated.cknna, 0.023376222546815043, accuracy: 1e-6)
    }

    func testUnknownTensorNamesWhatTheFileHolds() {
        XCTAssertThrowsError(try SimilarityReport(file: features, a: "A", b: "Z", prepare: false)) { error in
            XCTAssertTrue("\(error)".contains("no tensor \"Z\""), "\(error)")
            XCTAssertTrue("\(error)".contains("A.prepared"), "\(error)")
        }
        XCTAssertThrowsError(try SimilarityReport(file: features, a: "A", b: "B", topK: 500, prepare: false))
    }

    func testTrainingCurvesChartFromLogs() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("viral-curves-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("train_log.jsonl")
        let log = try TrainingLog(url: url)
        for step in 1...5 {
            let report = StepReport(step: step, languageLoss: 3 / Float(step), alignmentLoss: -0.1 * Float(step), totalLoss: 1,
                                    learningRate: 1e-3, gradientNorm: 1, tokens: 10, skipped: false)
            try log.append(TrainingLogEntry(report, elapsed: Double(step)))
        }
        let entries = try TrainingLog.read(url)
        XCTAssertEqual(entries.map(\.step), [1, 2, 3, 4, 5])
        XCTAssertEqual(entries[1].alignmentLoss!, -0.2, accuracy: 1e-6)
        let image = try TrainingCurves.chart(runs: [("viral", entries)], term: "vra_loss")
        XCTAssertEqual(image.width, 800)
        XCTAssertThrowsError(try TrainingCurves.chart(runs: [("viral", entries)], term: "accuracy"))
        try Data("{\"step\": 1}\n".utf8).write(to: url)
        XCTAssertThrowsError(try TrainingLog.read(url)) { XCTAssertTrue("\($0)".contains("line 1"), "\($0)") }
    }
}
