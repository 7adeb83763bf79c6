import Foundation
import Models
import NN
import Tensor
import SafeTensors
import XCTest

/// LLaVA (CLIP + Llama, SigLIP + Qwen2) against LlavaForConditionalGeneration, in the llava-hf
/// 5.x and 4.x layouts and the original LLaVA layout. Tolerances as in `DecoderParityTests`.
final class LlavaParityTests: XCTestCase {
    func check(_ folder: String, referenceFolder: String? = nil, gradients: Bool = true,
               storage: WeightStorage = .inMemory) throws {
        guard case .llava(let model) = try ModelLoader.load(Fixtures.folder(folder), storage: storage) else {
            return XCTFail("\(folder) did not load as LLaVA")
        }
        let reference = try Fixtures.file(referenceFolder ?? folder)
        var ids = try reference.intRows("input_ids")
        let referenceImageToken = try reference.intRows("image_token_index")[0][0]
        if referenceImageToken != model.config.imageTokenID {  // original layout: its own placeholder id
            ids = ids.map { $0.map { $0 == referenceImageToken ? model.config.imageTokenID : $0 } }
        }
        let labels = try reference.intRows("labels")
        let output = try model.forward(inputIDs: ids, pixelValues: try reference.tensor("pixel_values"), labels: labels,
                                       returningHiddenStates: true)
        assertClose(output.imageFeatures!, try reference.tensor("image_features"), tolerance: 1e-4, "\(folder) image_features")
        assertClose(output.logits, try reference.tensor("logits"), tolerance: 1e-4, "\(folder) logits")
        for (i, state) in output.hiddenStates.enumerated() {
            assertClose(state, try reference.tensor("hidden_states.\(i)"), tolerance: 1e-4, "\(folder) hidden_states.\(i)")
        }
        let expectedLoss = try reference.tensor("loss").item
        XCTAssertEqual(output.loss!.item, expectedLoss, accuracy: 1e-5 * abs(expectedLoss), "\(folder) loss")
        guard gradients else { return }
        output.loss!.backward()
        // transformers 5 names the in-memory modules model.{vision_tower,multi_modal_projector,language_model}.
        var checked = 0
        for (key, parameter) in model.namedParameters {
            let name = "grad.model." + key.replacingOccurrences(of: "language_model.model.", with: "language_model.")
            guard reference.contains(name) else { continue }
            assertClose(parameter.grad!, try reference.tensor(name), tolerance: 1e-3, "\(folder) \(name)")
            checked += 1
        }
        XCTAssertGreaterThanOrEqual(checked, 7, "gradients compared")
    }

    func testLlavaCLIPLlama() throws { try check("llava") }
    func testLlavaSigLIPQwen2() throws { try check("llava-siglip-qwen2", gradients: false) }
    func testHubAndOriginalLayoutsMatch() throws {
        try check("llava-hub", referenceFolder: "llava", gradients: false)
        try check("llava-original", referenceFolder: "llava", gradients: false)
    }

    func testMappedWeightsGiveTheSameOutputs() throws {
        try check("llava", gradients: false, storage: .mapped)
        try check("llava-original", referenceFolder: "llava", gradients: false, storage: .mapped)
        guard case .llava(let model) = try ModelLoader.load(Fixtures.folder("llava-original"), storage: .mapped) else {
            return XCTFail("llava-original did not load as LLaVA")
        }
        XCTAssertTrue(model.parameters.allSatisfy { !$0.requiresGrad }, "a mapped model is frozen, its separate tower too")
    }

    func testGreedyGenerationWithImage() throws {
        guard case .llava(let model) = try ModelLoader.load(Fixtures.folder("llava")) else { return XCTFail() }
        let generate = try Fixtures.file("llava", "generate.safetensors")
        let prompt = try generate.intRows("prompt")[0], expected = try generate.intRows("generated")[0]
        let input = try model.inputEmbeddings(inputIDs: [prompt], pixelValues: try generate.tensor("pixel_values"))
        let tokens = model.languageModel.generate(promptEmbeddings: input.embeddings,
                                                  options: GenerationOptions(maxNewTokens: expected.count - prompt.count))
        XCTAssertEqual(prompt + tokens, expected)
    }
}

/// An original-LLaVA checkpoint with a single linear projector (`mm_projector_type: linear`,
/// keys `model.mm_projector.{weight,bias}`), built here from the `llava-original` fixture.
final class OriginalLinearProjectorTests: XCTestCase {
    func testLinearProjectorLoadsFromItsKeys() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("viral-linear-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let original = Fixtures.folder("llava-original")
        var config = try JSONSerialization.jsonObject(with: Data(contentsOf: original.appendingPathComponent("config.json"))) as! [String: Any]
        config["mm_projector_type"] = "linear"
        config["mm_vision_tower"] = Fixtures.folder("llava-original-tower").path
        try JSONSerialization.data(withJSONObject: config).write(to: folder.appendingPathComponent("config.json"))
        let source = try SafeTensorsFile(url: original.appendingPathComponent("model.safetensors"))
        var writer = SafeTensorsWriter()
        for name in source.names where !name.hasPrefix("model.mm_projector.") {
            try writer.add(name, shape: try source.info(name).shape, floats: try source.floats(name))
        }
        let weight = (0..<(64 * 48)).map { Float($0 % 7) * 0.01 }, bias = (0..<64).map { Float($0) * 0.001 }
        try writer.add("model.mm_projector.weight", shape: [64, 48], floats: weight)
        try writer.add("model.mm_projector.bias", shape: [64], floats: bias)
        try writer.write(to: folder.appendingPathComponent("model.safetensors"))
        guard case .llava(let model) = try ModelLoader.load(folder) else { return XCTFail("not loaded as LLaVA") }
        XCTAssertEqual(model.config.projector, .linear)
        XCTAssertNil(model.projector.linear2)
        XCTAssertEqual(model.projector.linear1.weight.scalars, weight)
        XCTAssertEqual(model.projector.linear1.bias!.scalars, bias)
    }
}
