import Foundation
import Models
import SafeTensors
import NN
import Tensor
import Training
import VIRAL
import Vision
import XCTest

/// Short training runs on the fixture-sized LLaVA model (CLIP tower 32 px → 16 visual tokens,
/// 4-layer Llama) with a fixed synthetic batch: losses must go down and only the parameters
/// that should train may change.
/// The fixture-sized LLaVA model and a fixed two-row batch.
enum TrainingFixtures {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../ModelsTests/Fixtures").standardizedFileURL

    static func loadLlava() throws -> LlavaModel {
        guard case .llava(let model) = try ModelLoader.load(TrainingFixtures.fixtures.appendingPathComponent("llava")) else {
            throw XCTSkip("llava fixture did not load as LLaVA")
        }
        return model
    }

    /// Two rows: [BOS, 16 image tokens, 7 text tokens] (the last 4 learned), and a text-only row
    /// padded at the end.
    static func batch(_ model: LlavaModel, images: [String] = []) -> TrainingBatch {
        let imageToken = model.config.imageTokenID
        let text = [11, 42, 77, 120, 5, 200, 31]
        let row0 = [1] + Array(repeating: imageToken, count: 16) + text
        let labels0 = Array(repeating: -100, count: 20) + Array(text.suffix(4))
        let row1 = [1, 9, 8, 7, 6, 5, 4, 3, 2, 100, 101, 102] + Array(repeating: 0, count: 12)
        let labels1 = [-100, -100, -100, 7, 6, 5, 4, 3, 2, 100, 101, 102] + Array(repeating: -100, count: 12)
        var generator = RandomGenerator(seed: 5)
        return TrainingBatch(inputIDs: [row0, row1], labels: [labels0, labels1],
                             attentionMask: [Array(repeating: true, count: 24), Array(repeating: true, count: 12) + Array(repeating: false, count: 12)],
                             pixelValues: Tensor.randomNormal([1, 3, 32, 32], using: &generator), imageRows: [0],
                             imagePaths: images)
    }

}

final class TrainerTests: XCTestCase {
    func snapshot(_ tensors: [Tensor]) -> [[Float]] { tensors.map(\.scalars) }

    func testStageTwoLoRAWithVIRALLowersBothLossesAndTrainsOnlyWhatItShould() throws {
        let model = try TrainingFixtures.loadLlava()
        let tower = snapshot(model.visionTower.parameters)
        let decoderBase = snapshot(model.languageModel.parameters)
        let projector = snapshot(model.projector.parameters)
        let settings = TrainingSettings(stage: 2, steps: 30, learningRate: 1e-2, projectorLearningRate: 5e-3,
                                        lora: LoRASettings(rank: 4, dropout: 0),
                                        alignment: AlignmentConfiguration(layers: [2], projectorSize: 32),
                                        alignmentTarget: .encoder)
        let trainer = try Trainer(model: model, settings: settings, targets: .encoder)
        let batch = TrainingFixtures.batch(model)
        var reports: [StepReport] = []
        for _ in 0..<30 { if let report = try trainer.train(on: batch) { reports.append(report) } }
        XCTAssertEqual(reports.count, 30)
        XCTAssertLessThan(reports.last!.languageLoss, reports.first!.languageLoss - 1)
        XCTAssertLessThan(reports.last!.alignmentLoss!, reports.first!.alignmentLoss! - 0.05)
        XCTAssertEqual(snapshot(model.visionTower.parameters), tower, "the tower must stay frozen")
        // Base decoder weights stay; LoRA adapters, the projector and the alignment projector move.
        let baseNow = model.languageModel.namedParameters.filter { !$0.key.contains("lora_") }.map(\.tensor.scalars)
        XCTAssertEqual(baseNow, decoderBase)
        XCTAssertNotEqual(snapshot(model.projector.parameters), projector)
        let adapters = model.languageModel.namedParameters.filter { $0.key.contains("lora_B") }
        XCTAssertFalse(adapters.isEmpty)
        XCTAssertTrue(adapters.allSatisfy { $0.tensor.scalars.contains { $0 != 0 } })
        XCTAssertTrue(trainer.alignment!.parameters.allSatisfy { $0.grad == nil })
    }

    func testStageOneTrainsOnlyTheProjector() throws {
        let model = try TrainingFixtures.loadLlava()
        let decoder = snapshot(model.languageModel.parameters)
        let trainer = try Trainer(model: model, settings: TrainingSettings(stage: 1, steps: 5))
        let batch = TrainingFixtures.batch(model)
        var reports: [StepReport] = []
        for _ in 0..<5 { if let report = try trainer.train(on: batch) { reports.append(report) } }
        XCTAssertEqual(snapshot(model.languageModel.parameters), decoder)
        XCTAssertNil(reports.last!.alignmentLoss)
        XCTAssertLessThan(reports.last!.languageLoss, reports.first!.languageLoss)
    }

    func testFrozenProjectorStaysRecordsNoGradientsAndIsNotSaved() throws {
        let model = try TrainingFixtures.loadLlava()
        let projector = snapshot(model.projector.parameters)
        let decoder = snapshot(model.languageModel.parameters)
        let trainer = try Trainer(model: model, settings: TrainingSettings(stage: 2, freezesProjector: true, steps: 5,
                                                                           learningRate: 1e-2, lora: nil))
        XCTAssertEqual(trainer.optimizer.groups.map(\.name), ["decoder"])
        let batch = TrainingFixtures.batch(model)
        var reports: [StepReport] = []
        for _ in 0..<5 { if let report = try trainer.train(on: batch) { reports.append(report) } }
        XCTAssertLessThan(reports.last!.languageLoss, reports.first!.languageLoss)
        XCTAssertEqual(snapshot(model.projector.parameters), projector)
        XCTAssertTrue(model.projector.parameters.allSatisfy { !$0.requiresGrad && $0.grad == nil })
        XCTAssertNotEqual(snapshot(model.languageModel.parameters), decoder)

        let output = FileManager.default.temporaryDirectory.appendingPathComponent("viral-frozen-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: output) }
        let saved = try SafeTensorsFile(url: try TrainingCheckpoint.save(trainer, to: output).appendingPathComponent("trainable.safetensors"))
        XCTAssertFalse(saved.names.contains { $0.hasPrefix("multi_modal_projector.") })
        XCTAssertTrue(saved.names.contains { $0.hasPrefix("language_model.") })
    }

    func testStageOneWithAFrozenProjectorIsRefused() throws {
        let model = try TrainingFixtures.loadLlava()
        XCTAssertThrowsError(try Trainer(model: model, settings: TrainingSettings(stage: 1, freezesProjector: true, steps: 1))) {
            XCTAssertTrue("\($0)".contains("nothing to train"), "\($0)")
        }
    }

    func testSettingsSavedBeforeTheProjectorSwitchDecodeAsTrainingIt() throws {
        var saved = try XCTUnwrap(try JSONSerialization.jsonObject(
            with: JSONEncoder().encode(TrainingSettings(stage: 2, freezesProjector: true, steps: 3))) as? [String: Any])
        XCTAssertEqual(saved.removeValue(forKey: "freezesProjector") as? Bool, true)
        let decoded = try JSONDecoder().decode(TrainingSettings.self, from: JSONSerialization.data(withJSONObject: saved))
        XCTAssertEqual(decoded, TrainingSettings(stage: 2, steps: 3))
    }

    func testTeacherTargetsFromTheCacheEqualDirectFeatures() throws {
        let model = try TrainingFixtures.loadLlava()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("viral-teacher-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("a.png").path
        var pixels = [UInt8](repeating: 0, count: 20 * 12 * 3)
        for i in pixels.indices { pixels[i] = UInt8((i * 37) % 251) }
        try RGBImage(width: 20, height: 12, pixels: pixels).writePNG(to: path)
        let teacher = try Teacher(directory: TrainingFixtures.fixtures.appendingPathComponent("dinov2"), grid: 4, pad: true)
        let direct = try teacher.features(of: [try RGBImage(contentsOfFile: path)])
        let cache = try TeacherFeatureCache(root: folder.appendingPathComponent("cache"), teacher: teacher)
        XCTAssertEqual(cache.missing([path]), [path])
        try cache.fill(with: [path])
        XCTAssertEqual(cache.missing([path]), [])
        let cached = try TeacherFeatureCache(root: folder.appendingPathComponent("cache"), teacher: teacher).features(for: [path])
        XCTAssertEqual(cached.shape, [1, 16, 64])
        for i in 0..<direct.count {  // F16 storage: relative error ≤ 2⁻¹¹
            XCTAssertEqual(cached.data[i], direct.data[i], accuracy: abs(direct.data[i]) * 1e-3 + 1e-4)
        }
        // A VIRAL step with the cached teacher runs and gives a finite alignment loss.
        let settings = TrainingSettings(stage: 2, steps: 1, lora: LoRASettings(rank: 2),
                                        alignment: AlignmentConfiguration(layers: [2], projectorSize: 16))
        let trainer = try Trainer(model: model, settings: settings, targets: .teacher(teacher, cache: cache))
        let report = try XCTUnwrap(try trainer.train(on: TrainingFixtures.batch(model, images: [path])))
        XCTAssertTrue(report.alignmentLoss!.isFinite)
    }
}

/// Checkpoints: resuming gives the same losses as an uninterrupted run (to 1e-6), and the PEFT
/// adapter round-trips.
final class CheckpointTests: XCTestCase {
    func settings() -> TrainingSettings {
        TrainingSettings(stage: 2, steps: 6, learningRate: 5e-3, projectorLearningRate: 5e-3,
                         lora: LoRASettings(rank: 4, dropout: 0.1),
                         alignment: AlignmentConfiguration(layers: [2], projectorSize: 16), alignmentTarget: .encoder)
    }

    func testResumeEqualsUninterruptedRun() throws {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("viral-ckpt-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: output) }
        let straightModel = try TrainingFixtures.loadLlava()
        let straight = try Trainer(model: straightModel, settings: settings(), targets: .encoder)
        let batch = TrainingFixtures.batch(straightModel)
        var uninterrupted: [StepReport] = []
        for _ in 0..<6 { uninterrupted.append(try XCTUnwrap(try straight.train(on: batch))) }

        let firstModel = try TrainingFixtures.loadLlava()
        let first = try Trainer(model: firstModel, settings: settings(), targets: .encoder)
        for _ in 0..<3 { _ = try first.train(on: batch) }
        try TrainingCheckpoint.save(first, to: output, dataPosition: Data("position-3".utf8))
        _ = try first.train(on: batch)  // progress after the checkpoint must not leak into the resume

        let resumedModel = try TrainingFixtures.loadLlava()
        let resumed = try Trainer(model: resumedModel, settings: settings(), targets: .encoder)
        let checkpoint = try XCTUnwrap(TrainingCheckpoint.latest(in: output))
        XCTAssertEqual(checkpoint.lastPathComponent, "checkpoint-000003")
        XCTAssertEqual(try TrainingCheckpoint.restore(resumed, from: checkpoint), Data("position-3".utf8))
        for expected in uninterrupted.suffix(3) {
            let report = try XCTUnwrap(try resumed.train(on: batch))
            XCTAssertEqual(report.step, expected.step)
            XCTAssertEqual(report.languageLoss, expected.languageLoss, accuracy: 1e-6)
            XCTAssertEqual(report.alignmentLoss!, expected.alignmentLoss!, accuracy: 1e-6)
        }
        for name in ["trainable.safetensors", "optimizer.safetensors", "mm_projector.safetensors",
                     "adapter_model.safetensors", "adapter_config.json", "trainer_state.json"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: checkpoint.appendingPathComponent(name).path), name)
        }
    }

    func testPEFTAdapterRoundTrip() throws {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("viral-peft-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: output) }
        let model = try TrainingFixtures.loadLlava()
        let trainer = try Trainer(model: model, settings: settings(), targets: .encoder)
        let batch = TrainingFixtures.batch(model)
        for _ in 0..<2 { _ = try trainer.train(on: batch) }
        let folder = try TrainingCheckpoint.save(trainer, to: output)
        let other = try TrainingFixtures.loadLlava()
        let settings = try PEFTAdapter.load(into: other.languageModel, from: folder)
        XCTAssertEqual(settings.rank, 4)
        let trained = model.languageModel.namedParameters.filter { $0.key.contains("lora_") }
        let loaded = other.languageModel.namedParameters.filter { $0.key.contains("lora_") }
        XCTAssertEqual(trained.map(\.key), loaded.map(\.key))
        XCTAssertEqual(trained.map { $0.tensor.scalars }, loaded.map { $0.tensor.scalars })
    }
}

/// `viral export`: the merged llava-hf folder computes what the trained model (LoRA unmerged)
/// computes. (Checked once against transformers' LlavaForConditionalGeneration as well: logits
/// within 3.3e-7 of their scale — see the issue note; the tests do not need PyTorch.)
final class ExportTests: XCTestCase {
    func testExportedModelMatchesTheTrainedOne() throws {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("viral-export-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: output) }
        let model = try TrainingFixtures.loadLlava()
        let settings = TrainingSettings(stage: 2, steps: 3, learningRate: 1e-2, projectorLearningRate: 1e-2,
                                        lora: LoRASettings(rank: 4, dropout: 0))
        let trainer = try Trainer(model: model, settings: settings)
        let batch = TrainingFixtures.batch(model)
        for _ in 0..<3 { _ = try trainer.train(on: batch) }
        let checkpoint = try TrainingCheckpoint.save(trainer, to: output.appendingPathComponent("run"))
        let exported = output.appendingPathComponent("export")
        try LlavaExport.export(checkpoint: checkpoint, base: TrainingFixtures.fixtures.appendingPathComponent("llava"), output: exported)
        guard case .llava(let merged) = try ModelLoader.load(exported) else { return XCTFail("export is not a LLaVA folder") }
        XCTAssertFalse(merged.namedParameters.contains { $0.key.contains("lora_") })
        let expected = try noGrad { try model.forward(inputIDs: batch.inputIDs, pixelValues: batch.pixelValues).logits }
        let actual = try noGrad { try merged.forward(inputIDs: batch.inputIDs, pixelValues: batch.pixelValues).logits }
        var worst: Float = 0, scale: Float = 0
        for i in 0..<expected.count {
            worst = max(worst, abs(expected.data[i] - actual.data[i]))
            scale = max(scale, abs(expected.data[i]))
        }
        XCTAssertLessThan(worst / scale, 1e-5)
        XCTAssertNotEqual(try TrainingFixtures.loadLlava().languageModel.layers[0].selfAttention.qProj.weight.scalars,
                          merged.languageModel.layers[0].selfAttention.qProj.weight.scalars, "LoRA must be merged in")
    }
}

/// Two teachers at once (one alignment projector each) and the residual-injection baselines.
final class TrainerVariantTests: XCTestCase {
    func testTwoTeachersEachGetTheirOwnProjector() throws {
        let model = try TrainingFixtures.loadLlava()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("viral-two-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("a.png").path
        try RGBImage(width: 16, height: 16, pixels: (0..<(16 * 16 * 3)).map { UInt8($0 % 256) }).writePNG(to: path)
        let targets = try ["dinov2", "dinov2-registers"].map { name -> AlignmentTargets in
            let teacher = try Teacher(directory: TrainingFixtures.fixtures.appendingPathComponent(name), grid: 4, pad: true)
            return .teacher(teacher, cache: try TeacherFeatureCache(root: folder.appendingPathComponent("cache"), teacher: teacher))
        }
        let settings = TrainingSettings(stage: 2, steps: 4, learningRate: 5e-3, lora: LoRASettings(rank: 2, dropout: 0),
                                        alignment: AlignmentConfiguration(layers: [1, 3], projectorSize: 16))
        let trainer = try Trainer(model: model, settings: settings, targets: targets)
        XCTAssertEqual(trainer.alignment!.targetNames, ["dinov2", "dinov2_registers"])
        XCTAssertEqual(Set(trainer.alignment!.namedParameters.map { $0.key.components(separatedBy: ".")[0] }), ["dinov2", "dinov2_registers"])
        var reports: [StepReport] = []
        for _ in 0..<4 { reports.append(try XCTUnwrap(try trainer.train(on: TrainingFixtures.batch(model, images: [path])))) }
        XCTAssertLessThan(reports.last!.alignmentLoss!, reports.first!.alignmentLoss!)
    }

    func testAdapterBaselineTrainsItsAdapterAndSavesIt() throws {
        let model = try TrainingFixtures.loadLlava()
        let settings = TrainingSettings(stage: 2, steps: 5, learningRate: 5e-3, lora: nil,
                                        residualInjection: ResidualInjectionSettings(source: .adaptedTowerFeatures, layer: 2))
        let trainer = try Trainer(model: model, settings: settings)
        let adapter = try XCTUnwrap(trainer.injection?.adapter)
        let before = adapter.parameters.map(\.scalars)
        var reports: [StepReport] = []
        for _ in 0..<5 { reports.append(try XCTUnwrap(try trainer.train(on: TrainingFixtures.batch(model)))) }
        XCTAssertNotEqual(adapter.parameters.map(\.scalars), before)
        XCTAssertLessThan(reports.last!.languageLoss, reports.first!.languageLoss)
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("viral-inject-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: output) }
        let checkpoint = try TrainingCheckpoint.save(trainer, to: output)
        let saved = try SafeTensorsFile(url: checkpoint.appendingPathComponent("trainable.safetensors"))
        XCTAssertTrue(saved.names.contains("residual_injection.adapter.linear_1.weight"))
        XCTAssertThrowsError(try Trainer(model: model, settings: TrainingSettings(
            stage: 2, steps: 1, residualInjection: ResidualInjectionSettings(source: .projectedFeatures, layer: 9))))
    }
}
