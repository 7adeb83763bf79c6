import Experiments
import Foundation
import Training
import XCTest

/// `viral demo` end to end at toy sizes (a few steps, tiny pretraining): every report file is
/// written, the numbers come from the run, and the same seeds give the same numbers.
final class DemoTests: XCTestCase {
    func options(_ folder: URL) -> DemoOptions {
        var models = BuiltinModelOptions(probeSceneCount: 0)
        models.towerTraining.steps = 4
        models.teacherTraining.steps = 4
        models.decoderTraining = PretrainingSettings(steps: 2, batchSize: 4, learningRate: 1e-3, weightDecay: 0)
        for index in models.drills.indices {
            models.drills[index].settings = PretrainingSettings(steps: 2, batchSize: 4, learningRate: 1e-3, weightDecay: 0)
        }
        return DemoOptions(output: folder, steps: 6, batchSize: 4, trainingCount: 60, evaluationCount: 36,
                           evaluationPoints: 2, intermediateEvaluationLimit: 8, probeSceneCount: 6, modelOptions: models)
    }

    func testDemoWritesTheReportAndIsReproducible() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("viral-demo-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        var lines: [String] = []
        let first = try DemoExperiment(options: options(root.appendingPathComponent("a"))).run { lines.append($0) }
        for name in ["report.md", "training_lm_loss.png", "training_vra_loss.png", "accuracy_during_training.png",
                     "cknna_per_layer.png", "tasks.png", "pca_maps.png", "layer_probe.png", "example-1.png"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: root.appendingPathComponent("a/report/\(name)").path), name)
        }
        XCTAssertEqual(first.results.map(\.variant), [.baseline, .viral])
        XCTAssertEqual(first.results[0].progress.map(\.step), [3, 6])
        XCTAssertNil(first.results[0].log.last?.alignmentLoss)
        XCTAssertNotNil(first.results[1].log.last?.alignmentLoss)
        for result in first.results {
            XCTAssertEqual(Set(result.final.keys), Set(DemoTask.all.map(\.title)))
            XCTAssertTrue(result.final.values.allSatisfy { (0...100).contains($0) })
            XCTAssertTrue((0...100).contains(result.swappedImages))
            XCTAssertEqual(result.alignment.layers.count, 5)  // hidden states 0…4 of the 4-layer decoder
            XCTAssertEqual(result.layerProbe.count, 5)
            XCTAssertTrue(result.layerProbe.allSatisfy { (0...1).contains($0) })
        }
        XCTAssertEqual(first.startingLayerProbe.count, 5)
        let report = try String(contentsOf: root.appendingPathComponent("a/report/report.md"), encoding: .utf8)
        XCTAssertTrue(report.contains("| hidden state | start | baseline | VIRAL |"), report)
        XCTAssertTrue(first.table.contains("CV-Bench Count"))
        XCTAssertTrue(first.table.contains("CV-Bench drop with images swapped"))
        XCTAssertTrue(lines.contains { $0.hasPrefix("[4/4]") })
        let second = try DemoExperiment(options: options(root.appendingPathComponent("b"))).run { _ in }
        XCTAssertEqual(second.table, first.table, "same seeds, same numbers")
        XCTAssertEqual(second.results.map { $0.log.map(\.languageLoss) }, first.results.map { $0.log.map(\.languageLoss) })
    }

    func testModelsFolderIsUsedInsteadOfMakingModels() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("viral-demo-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let made = try DemoExperiment(options: options(root.appendingPathComponent("made"))).run { _ in }
        var reuse = options(root.appendingPathComponent("reused"))
        reuse.models = root.appendingPathComponent("made/models")
        var lines: [String] = []
        let reused = try DemoExperiment(options: reuse).run { lines.append($0) }
        XCTAssertTrue(lines.contains { $0.contains("taken from") && $0.contains("made/models") }, "\(lines)")
        XCTAssertFalse(FileManager.default.fileExists(atPath: root.appendingPathComponent("reused/models").path))
        XCTAssertEqual(reused.table, made.table, "the same models, data and seeds give the same numbers")

        reuse.models = root.appendingPathComponent("made/data")
        XCTAssertThrowsError(try DemoExperiment(options: reuse).run { _ in }) { error in
            XCTAssertTrue("\(error)".contains("--models") && "\(error)".contains("prepare-models"), "\(error)")
        }
    }

    func testInvalidOptionsNameTheFlag() {
        var bad = options(URL(fileURLWithPath: "/tmp/unused"))
        bad.steps = 0
        XCTAssertThrowsError(try DemoExperiment(options: bad)) { XCTAssertTrue("\($0)".contains("--steps"), "\($0)") }
        bad = options(URL(fileURLWithPath: "/tmp/unused"))
        bad.trainingCount = 0
        XCTAssertThrowsError(try DemoExperiment(options: bad)) { XCTAssertTrue("\($0)".contains("--train"), "\($0)") }
        bad = options(URL(fileURLWithPath: "/tmp/unused"))
        bad.intermediateEvaluationLimit = 0
        XCTAssertThrowsError(try DemoExperiment(options: bad)) { XCTAssertTrue("\($0)".contains("intermediate"), "\($0)") }
        bad = options(URL(fileURLWithPath: "/tmp/unused"))
        bad.probeSceneCount = 0
        XCTAssertThrowsError(try DemoExperiment(options: bad)) { XCTAssertTrue("\($0)".contains("layer probe"), "\($0)") }
    }

    func testTrainingRecordsDefaultToOnePerSample() {
        let options = DemoOptions(output: URL(fileURLWithPath: "/tmp/unused"), steps: 30, batchSize: 4)
        XCTAssertEqual(options.trainingCount, 120)
    }
}
