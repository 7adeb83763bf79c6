@testable import Experiments
import Foundation
import Models
import NN
import Tensor
import Text
import XCTest

final class BuiltinModelsTests: XCTestCase {
    /// Small towers and decoder and two pretraining steps each (the decoder's warm start and
    /// drills left out unless `decoderSteps` and `drillSteps` are given): enough to exercise every part.
    static func tinyOptions(seed: UInt64, decoderSteps: Int = 0, drillSteps: Int = 0) -> BuiltinModelOptions {
        BuiltinModelOptions(
            seed: seed,
            tower: VisionConfig(family: .clip, hiddenSize: 32, intermediateSize: 64, layerCount: 2, headCount: 2,
                                patchSize: 8, imageSize: 64),
            teacher: VisionConfig(family: .dinov2, hiddenSize: 32, intermediateSize: 64, layerCount: 2, headCount: 2,
                                  patchSize: 8, imageSize: 64, activation: .quickGelu),
            decoder: DecoderSize(hiddenSize: 32, intermediateSize: 48, layerCount: 1, headCount: 2),
            towerTraining: PretrainingSettings(steps: 2, batchSize: 4),
            teacherTraining: PretrainingSettings(steps: 2, batchSize: 4),
            decoderTraining: PretrainingSettings(steps: decoderSteps, batchSize: 2, learningRate: 1e-3, weightDecay: 0),
            drills: BuiltinModelOptions.defaultDrills.map { phase in
                var phase = phase
                phase.settings = PretrainingSettings(steps: drillSteps, batchSize: 2, learningRate: 1e-3, weightDecay: 0)
                return phase
            },
            probeSceneCount: 0)
    }

    var folders: [URL] = []

    func temporaryFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("viral-builtin-models-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        folders.append(folder)
        return folder
    }

    override func tearDown() {
        for folder in folders { try? FileManager.default.removeItem(at: folder) }
    }

    func testFoldersLoadWithModelLoaderAndHoldTheModels() throws {
        let models = try BuiltinModels(options: Self.tinyOptions(seed: 5))
        let folder = try temporaryFolder()
        try models.write(to: folder)

        guard case .vision(let tower) = try ModelLoader.load(folder.appendingPathComponent("tower")) else {
            return XCTFail("tower/ is not a vision tower")
        }
        XCTAssertEqual(tower.config, models.tower.config)
        assertSameParameters(tower, models.tower)

        guard case .vision(let teacher) = try ModelLoader.load(folder.appendingPathComponent("teacher")) else {
            return XCTFail("teacher/ is not a vision tower")
        }
        XCTAssertEqual(teacher.config, models.teacher.config)
        XCTAssertEqual(teacher.config.family, .dinov2)
        assertSameParameters(teacher, models.teacher)

        let llavaFolder = folder.appendingPathComponent("llava")
        guard case .llava(let llava) = try ModelLoader.load(llavaFolder) else {
            return XCTFail("llava/ is not a LLaVA model")
        }
        XCTAssertEqual(llava.config, models.llava.config)
        XCTAssertEqual(llava.config.imageTokenID, models.tokenizer.imageTokenID)
        XCTAssertEqual(llava.config.decoder.vocabularySize, models.tokenizer.size)
        XCTAssertEqual(llava.config.featureLayer, -2)
        XCTAssertTrue(llava.config.dropsClassToken)
        assertSameParameters(llava, models.llava)
        // The LLaVA's tower is the pretrained tower.
        assertSameParameters(llava.visionTower, tower)

        // The decoder starts from N(0, 0.02): the embedding's deviation is 0.02 within 5 %.
        let embedding = try XCTUnwrap(llava.namedParameters.first { $0.key == "language_model.model.embed_tokens.weight" }).tensor
        let values = embedding.scalars
        let deviation = (values.reduce(0) { $0 + Double($1 * $1) } / Double(values.count)).squareRoot()
        XCTAssertEqual(deviation, 0.02, accuracy: 0.001)

        // A prompt through the loaded model: tokenizer from the same folder, the image token
        // expanded to the 64 visual tokens, logits over the whole vocabulary.
        let tokenizer = try Tokenizer(contentsOf: llavaFolder.appendingPathComponent("tokenizer.json"))
        let ids = tokenizer.encode("USER: <image>\nHow many red circles are there? ASSISTANT:")
        let expanded = llava.expandingImagePlaceholders(ids).ids
        XCTAssertEqual(expanded.count, ids.count - 1 + 64)
        let scene = try PretrainingScenes.make(count: 1, imageSize: 64, seed: 1)
        let pixels = PretrainingScenes.pixelValues(scene, preprocessor: BuiltinModels.towerPreprocessor(llava.config.vision), side: 64)
        let output = try noGrad { try llava.forward(inputIDs: [expanded], pixelValues: pixels) }
        XCTAssertEqual(output.logits.shape, [1, expanded.count, models.tokenizer.size])
        XCTAssertTrue(output.logits.scalars.allSatisfy(\.isFinite))

        let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent(BuiltinModels.manifestFile)))
        XCTAssertEqual((manifest as? [String: Any])?["tokenizer_size"] as? Int, models.tokenizer.size)
    }

    func testWarmStartTrainsTheDecoderOnlyAndIsSummarised() throws {
        let random = try BuiltinModels(options: Self.tinyOptions(seed: 5))
        let scratchBefore = try scratchFolders()
        let warm = try BuiltinModels(options: Self.tinyOptions(seed: 5, decoderSteps: 3))
        XCTAssertEqual(try scratchFolders(), scratchBefore, "the warm start's scenes are deleted")
        XCTAssertNil(random.decoderPretraining)
        let summary = try XCTUnwrap(warm.decoderPretraining)
        XCTAssertEqual(summary.steps, 3)
        XCTAssertEqual(summary.images, 6)
        XCTAssertTrue(summary.firstLoss.isFinite && summary.lastLoss.isFinite && summary.firstLoss > 0)
        // The warm start changes the decoder only; the tower stays the pretrained one and the
        // projector its initialisation.
        assertSameParameters(warm.llava.visionTower, random.llava.visionTower)
        assertSameParameters(warm.llava.projector, random.llava.projector)
        let before = random.llava.namedParameters.filter { $0.key.hasPrefix("language_model.") }
        let after = warm.llava.namedParameters.filter { $0.key.hasPrefix("language_model.") }
        XCTAssertFalse(after.isEmpty)
        XCTAssertTrue(zip(before, after).contains { $0.tensor.scalars != $1.tensor.scalars })
        XCTAssertTrue(warm.llava.parameters.allSatisfy { !$0.requiresGrad }, "the written LLaVA is frozen like the towers")

        let folder = try temporaryFolder()
        try warm.write(to: folder)
        let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent(BuiltinModels.manifestFile)))
        let decoder = try XCTUnwrap((manifest as? [String: Any])?["decoder_pretraining"] as? [String: Any])
        XCTAssertEqual(decoder["steps"] as? Int, 3)
        XCTAssertEqual(decoder["batch_size"] as? Int, 2)
    }

    /// Each drill phase trains the decoder further, on its own lesson, and is listed
    /// in the manifest after the warm start.
    func testDrillsFollowTheWarmStartAndAreSummarised() throws {
        let warm = try BuiltinModels(options: Self.tinyOptions(seed: 5, decoderSteps: 3))
        let scratchBefore = try scratchFolders()
        let drilled = try BuiltinModels(options: Self.tinyOptions(seed: 5, decoderSteps: 3, drillSteps: 2))
        XCTAssertEqual(try scratchFolders(), scratchBefore, "the drills' scenes are deleted")
        XCTAssertTrue(warm.drillPretraining.isEmpty)
        XCTAssertEqual(drilled.drillPretraining.map(\.phase.subject), [.color, .category])
        for (_, summary) in drilled.drillPretraining {
            XCTAssertEqual(summary.steps, 2)
            XCTAssertTrue(summary.firstLoss.isFinite && summary.lastLoss.isFinite && summary.firstLoss > 0)
        }
        assertSameParameters(drilled.llava.visionTower, warm.llava.visionTower)
        assertSameParameters(drilled.llava.projector, warm.llava.projector)
        let decoderBefore = warm.llava.namedParameters.filter { $0.key.hasPrefix("language_model.") }
        let decoderAfter = drilled.llava.namedParameters.filter { $0.key.hasPrefix("language_model.") }
        XCTAssertTrue(zip(decoderBefore, decoderAfter).contains { $0.tensor.scalars != $1.tensor.scalars })
        XCTAssertTrue(drilled.llava.parameters.allSatisfy { !$0.requiresGrad })

        let folder = try temporaryFolder()
        try drilled.write(to: folder)
        let manifest = try XCTUnwrap(try JSONSerialization.jsonObject(
            with: Data(contentsOf: folder.appendingPathComponent(BuiltinModels.manifestFile))) as? [String: Any])
        let drills = try XCTUnwrap(manifest["drills"] as? [[String: Any]])
        XCTAssertEqual(drills.map { $0["subject"] as? String }, ["color", "category"])
        XCTAssertEqual(drills.map { $0["questions_per_image"] as? Int }, [4, 4])
        XCTAssertEqual(drills.map { $0["steps"] as? Int }, [2, 2])
    }

    /// The warm start's scratch folders in the temporary directory.
    private func scratchFolders() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: FileManager.default.temporaryDirectory.path)
            .filter { $0.hasPrefix("viral-decoder-pretraining-") }.sorted()
    }

    func testSameSeedWritesSameBytesAndAnotherSeedDoesNot() throws {
        let first = try temporaryFolder(), second = try temporaryFolder(), other = try temporaryFolder()
        try BuiltinModels(options: Self.tinyOptions(seed: 9, decoderSteps: 2)).write(to: first)
        try BuiltinModels(options: Self.tinyOptions(seed: 9, decoderSteps: 2)).write(to: second)
        try BuiltinModels(options: Self.tinyOptions(seed: 10, decoderSteps: 2)).write(to: other)
        let files = try regularFiles(in: first)
        XCTAssertEqual(files.filter { $0.hasSuffix("model.safetensors") }.count, 3)
        XCTAssertEqual(files, try regularFiles(in: second))
        for file in files {
            XCTAssertEqual(try Data(contentsOf: first.appendingPathComponent(file)),
                           try Data(contentsOf: second.appendingPathComponent(file)), file)
        }
        for model in ["tower", "teacher", "llava"] {
            let path = "\(model)/model.safetensors"
            XCTAssertNotEqual(try Data(contentsOf: first.appendingPathComponent(path)),
                              try Data(contentsOf: other.appendingPathComponent(path)), path)
        }
    }

    func testRewritingReplacesTheFoldersAndLeavesNoStaging() throws {
        let folder = try temporaryFolder()
        let models = try BuiltinModels(options: Self.tinyOptions(seed: 5))
        try models.write(to: folder)
        try models.write(to: folder)
        let entries = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        XCTAssertEqual(entries, [BuiltinModels.manifestFile, "llava", "teacher", "tower"])
    }

    func testOptionsTheBuilderCannotHonourAreNamed() {
        var options = Self.tinyOptions(seed: 0)
        options.teacher.patchSize = 16
        XCTAssertThrowsError(try BuiltinModels(options: options)) { error in
            XCTAssertTrue("\(error)".contains("teacher grid"), "\(error)")
        }
        options = Self.tinyOptions(seed: 0)
        options.tower = VisionConfig(family: .siglip, hiddenSize: 32, intermediateSize: 64, layerCount: 2, headCount: 2,
                                     patchSize: 8, imageSize: 64)
        XCTAssertThrowsError(try BuiltinModels(options: options)) { error in
            XCTAssertTrue("\(error)".contains("tower family"), "\(error)")
        }
        options = Self.tinyOptions(seed: 0)
        options.towerCellSide = 0
        XCTAssertThrowsError(try BuiltinModels(options: options)) { error in
            XCTAssertTrue("\(error)".contains("tower cell side"), "\(error)")
        }
        options = Self.tinyOptions(seed: 0)
        options.towerCellSide = 2
        options.tower.imageSize = 56
        options.teacher.imageSize = 56
        XCTAssertThrowsError(try BuiltinModels(options: options)) { error in
            XCTAssertTrue("\(error)".contains("tower grid") && "\(error)".contains("2 × 2-patch cells"), "\(error)")
        }
        options = Self.tinyOptions(seed: 0)
        options.teacherTraining.steps = 0
        XCTAssertThrowsError(try BuiltinModels(options: options)) { error in
            XCTAssertTrue("\(error)".contains("teacher steps"), "\(error)")
        }
        options = Self.tinyOptions(seed: 0)
        options.decoderTraining.steps = -1
        XCTAssertThrowsError(try BuiltinModels(options: options)) { error in
            XCTAssertTrue("\(error)".contains("decoder steps"), "\(error)")
        }
        options = Self.tinyOptions(seed: 0)
        options.drills[1].questionsPerImage = 0
        XCTAssertThrowsError(try BuiltinModels(options: options)) { error in
            XCTAssertTrue("\(error)".contains("category drill questions per image"), "\(error)")
        }
    }

    /// The paths of the regular files under `folder`, relative to it, sorted.
    private func regularFiles(in folder: URL) throws -> [String] {
        try FileManager.default.subpathsOfDirectory(atPath: folder.path).filter { path in
            var isFolder: ObjCBool = false
            return FileManager.default.fileExists(atPath: folder.appendingPathComponent(path).path, isDirectory: &isFolder)
                && !isFolder.boolValue
        }.sorted()
    }

    private func assertSameParameters(_ a: Module, _ b: Module, file: StaticString = #filePath, line: UInt = #line) {
        let left = a.namedParameters, right = b.namedParameters
        XCTAssertEqual(left.map(\.key), right.map(\.key), file: file, line: line)
        for (l, r) in zip(left, right) where l.tensor.scalars != r.tensor.scalars {
            return XCTFail("\(l.key) differs", file: file, line: line)
        }
    }
}
