@testable import Experiments
import Foundation
import Models
import Text
import XCTest

/// The layer probe on the shipped LLaVA: its decoder's input names most object patches' categories
/// (67 % with 256 + 256 scenes, 38 % with the 48 + 48 here; 2026-12-07), and a LLaVA whose projector outputs nothing names none.
final class LayerCategoryProbeTests: XCTestCase {
    let llavaFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("builtin-models/llava")

    func chat() throws -> ChatModel {
        guard case .llava(let model) = try ModelLoader.load(llavaFolder) else { throw XCTSkip("builtin-models/llava is not a LLaVA") }
        return try ChatModel(model: model, tokenizer: try Tokenizer(contentsOf: llavaFolder.appendingPathComponent("tokenizer.json")),
                             templateName: DemoRun.template)
    }

    func testTheShippedLlavaKeepsCategoriesAndAMutedProjectorLosesThem() throws {
        let probe = try LayerCategoryProbe(sceneCount: 48, imageSize: 64, seed: 3)
        let shipped = try chat()
        let accuracies = try probe.objectPatchAccuracies(chat: shipped)
        XCTAssertEqual(accuracies.count, shipped.model.config.decoder.layerCount + 1)
        XCTAssertGreaterThan(accuracies[0], 0.3, "\(accuracies)")
        XCTAssertEqual(try probe.objectPatchAccuracies(chat: shipped), accuracies, "same scenes and seed, same numbers")

        let muted = try chat()
        for parameter in muted.model.projector.parameters { parameter.data.update(repeating: 0, count: parameter.count) }
        let mutedAccuracies = try probe.objectPatchAccuracies(chat: muted)
        XCTAssertLessThan(mutedAccuracies[0], 0.1, "identical tokens for every patch tell nothing: \(mutedAccuracies)")
    }
}
