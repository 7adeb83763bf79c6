@testable import Experiments
import Foundation
import Models
import XCTest

/// `builtin-models/`, the folder `make demo` takes its models from, is what
/// `viral demo prepare-models --output builtin-models` writes with today's defaults: a shipped
/// folder left behind by a change of the defaults (sizes, tokenizer corpus, pretraining steps)
/// fails here and is rewritten with `make builtin-models`.
final class ShippedModelsTests: XCTestCase {
    let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("builtin-models")

    func testShippedModelsMatchTheDefaults() throws {
        let defaults = BuiltinModelOptions()
        let manifest = try XCTUnwrap(try JSONSerialization.jsonObject(
            with: Data(contentsOf: folder.appendingPathComponent(BuiltinModels.manifestFile))) as? [String: Any])
        XCTAssertEqual(manifest["seed"] as? Int, 0)
        XCTAssertEqual(manifest["tower_cell_side"] as? Int, defaults.towerCellSide)
        for (key, settings) in [("tower_pretraining", defaults.towerTraining), ("teacher_pretraining", defaults.teacherTraining),
                                ("decoder_pretraining", defaults.decoderTraining)] {
            let entry = try XCTUnwrap(manifest[key] as? [String: Any], key)
            XCTAssertEqual(entry["steps"] as? Int, settings.steps, key)
            XCTAssertEqual(entry["batch_size"] as? Int, settings.batchSize, key)
            XCTAssertEqual(entry["learning_rate"] as? Double, Double(settings.learningRate.description), key)
        }

        let drills = try XCTUnwrap(manifest["drills"] as? [[String: Any]], "drills")
        XCTAssertEqual(drills.map { $0["subject"] as? String }, defaults.drills.map(\.subject.rawValue))
        XCTAssertEqual(drills.map { $0["questions_per_image"] as? Int }, defaults.drills.map(\.questionsPerImage))
        XCTAssertEqual(drills.map { $0["steps"] as? Int }, defaults.drills.map(\.settings.steps))
        XCTAssertEqual(drills.map { $0["learning_rate"] as? Double }, defaults.drills.map { Double($0.settings.learningRate.description) })

        let tokenizer = BuiltinTokenizer(corpus: try SyntheticCorpus.texts(options: defaults.corpus))
        let llavaFolder = folder.appendingPathComponent(BuiltinModels.llavaFolder)
        XCTAssertEqual(try Data(contentsOf: llavaFolder.appendingPathComponent("tokenizer.json")), tokenizer.tokenizerJSON.data,
                       "the shipped tokenizer is the one the synthetic corpus gives today")

        let llava = try DemoExperiment.llavaConfig(inModels: folder)
        XCTAssertEqual(llava.vision, defaults.tower)
        XCTAssertEqual(llava.imageTokenID, tokenizer.imageTokenID)
        let decoder = llava.decoder
        XCTAssertEqual([decoder.vocabularySize, decoder.hiddenSize, decoder.intermediateSize, decoder.layerCount, decoder.headCount],
                       [tokenizer.size, defaults.decoder.hiddenSize, defaults.decoder.intermediateSize,
                        defaults.decoder.layerCount, defaults.decoder.headCount])
        guard case .vision(let teacher) = try ModelLoader.load(folder.appendingPathComponent(BuiltinModels.teacherFolder)) else {
            return XCTFail("builtin-models/teacher is not a vision tower")
        }
        XCTAssertEqual(teacher.config, defaults.teacher)
    }
}
