import Foundation
import Models
import NN
import SafeTensors
import Tensor
import XCTest

/// Llama and Qwen2 decoders against transformers (fixtures `llama`, `qwen2`, their `-hub` and
/// `-bfloat16` variants). Tolerances: logits and hidden states 1e-4 of the tensor's scale, loss
/// 1e-5 relative, gradients 1e-3 of their scale.
final class DecoderParityTests: XCTestCase {
    func check(_ folder: String, referenceFolder: String? = nil, gradients: Bool = true,
               storage: WeightStorage = .inMemory) throws {
        guard case .decoder(let model) = try ModelLoader.load(Fixtures.folder(folder), storage: storage) else {
            return XCTFail("\(folder) did not load as a decoder")
        }
        let reference = try Fixtures.file(referenceFolder ?? folder)
        let ids = try reference.intRows("input_ids")
        let mask = try reference.intRows("attention_mask").map { $0.map { $0 != 0 } }
        let labels = try reference.intRows("labels")
        let output = model.forward(embeddings: model.embed(ids), attentionMask: mask, returningHiddenStates: true)
        assertClose(output.logits, try reference.tensor("logits"), tolerance: 1e-4, "\(folder) logits")
        for (i, state) in output.hiddenStates.enumerated() {
            assertClose(state, try reference.tensor("hidden_states.\(i)"), tolerance: 1e-4, "\(folder) hidden_states.\(i)")
        }
        XCTAssertEqual(output.hiddenStates.count, model.config.layerCount + 1)
        let loss = DecoderLM.causalLanguageModelLoss(logits: output.logits, labels: labels)
        let expectedLoss = try reference.tensor("loss").item
        XCTAssertEqual(loss.item, expectedLoss, accuracy: 1e-5 * abs(expectedLoss), "\(folder) loss")
        guard gradients else { return }
        loss.backward()
        var checked = 0
        for (key, parameter) in model.namedParameters where reference.contains("grad." + key) {
            assertClose(parameter.grad!, try reference.tensor("grad." + key), tolerance: 1e-3, "\(folder) grad.\(key)")
            checked += 1
        }
        XCTAssertGreaterThan(checked, 5, "gradients compared")
    }

    func testLlama() throws { try check("llama") }
    func testQwen2WithBiasesAndTiedEmbeddings() throws { try check("qwen2") }
    func testHubLayoutsGiveTheSameOutputs() throws {
        try check("llama-hub", referenceFolder: "llama", gradients: false)
        try check("qwen2-hub", referenceFolder: "qwen2", gradients: false)
    }
    func testBFloat16WeightsMatchTheirOwnReference() throws {
        try check("llama-bfloat16", gradients: false)
        try check("qwen2-bfloat16", gradients: false)
    }

    /// Memory-mapped BF16 weights, multiplied as BF16 (`StreamedProducts`), give the outputs
    /// of the same weights widened to F32.
    func testMappedBFloat16WeightsMatchTheirOwnReference() throws {
        try check("llama-bfloat16", gradients: false, storage: .mapped)
        try check("qwen2-bfloat16", gradients: false, storage: .mapped)
        guard case .decoder(let model) = try ModelLoader.load(Fixtures.folder("llama-bfloat16"), storage: .mapped) else {
            return XCTFail("llama-bfloat16 did not load as a decoder")
        }
        XCTAssertTrue(model.layers[0].mlp.gateProj.weight.isHalfPrecision)
        XCTAssertTrue(model.embedTokens.weight.isHalfPrecision)
        XCTAssertFalse(model.norm.weight.isHalfPrecision, "norm weights are widened (only linear/embedding read BF16)")
        XCTAssertTrue(model.parameters.allSatisfy { !$0.requiresGrad }, "a mapped model is frozen")
    }

    /// The F32 `llama` fixture stored as F16 (as llava-hf publishes LLaVA-1.5), loaded mapped
    /// (F16 kept) and in memory (widened): the same logits.
    func testMappedFloat16WeightsMatchTheWidenedModel() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("viral-f16-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let source = try SafeTensorsFile(url: Fixtures.folder("llama").appendingPathComponent("model.safetensors"))
        var writer = SafeTensorsWriter()
        for name in source.names {
            try writer.add(name, shape: try source.info(name).shape, floats: try source.floats(name), storedAs: .f16)
        }
        try writer.write(to: folder.appendingPathComponent("model.safetensors"))
        try FileManager.default.copyItem(at: Fixtures.folder("llama").appendingPathComponent("config.json"),
                                         to: folder.appendingPathComponent("config.json"))
        guard case .decoder(let mapped) = try ModelLoader.load(folder, storage: .mapped),
              case .decoder(let widened) = try ModelLoader.load(folder) else { return XCTFail("not a decoder") }
        XCTAssertTrue(mapped.layers[0].selfAttention.qProj.weight.isHalfPrecision)
        let ids = try Fixtures.file("llama").intRows("input_ids")
        noGrad {
            assertClose(mapped.forward(embeddings: mapped.embed(ids)).logits, widened.forward(embeddings: widened.embed(ids)).logits,
                        tolerance: 1e-5, "F16 mapped logits")
        }
    }

    /// A memory-mapped BF16 model keeps its KV cache in BF16, as transformers keeps it in the
    /// model's dtype. Decoding step by step through that cache gives the last-position logits of a
    /// full pass of the widened model within what rounding keys and values to BF16 changes
    /// (2⁻⁹ relative per value), and the same greedy tokens as the widened model's F32 cache.
    func testMappedBFloat16ModelDecodesThroughABFloat16Cache() throws {
        guard case .decoder(let mapped) = try ModelLoader.load(Fixtures.folder("llama-bfloat16"), storage: .mapped),
              case .decoder(let widened) = try ModelLoader.load(Fixtures.folder("llama-bfloat16")) else {
            return XCTFail("llama-bfloat16 did not load as a decoder")
        }
        XCTAssertEqual(KVCache(for: mapped, batch: 1, capacity: 1).element, .bfloat16)
        XCTAssertEqual(KVCache(for: widened, batch: 1, capacity: 1).element, .float32)
        let prompt = [1, 5, 9, 22, 7, 31, 40, 3, 17]
        let options = GenerationOptions(maxNewTokens: 8)
        let tokens = mapped.generate(promptIDs: prompt, options: options)
        XCTAssertEqual(tokens, widened.generate(promptIDs: prompt, options: options))
        noGrad {
            let cache = KVCache(for: mapped, batch: 1, capacity: prompt.count + tokens.count)
            var logits = mapped.forward(embeddings: mapped.embed([prompt]), cache: cache, lastPositionOnly: true).logits
            for step in 0...tokens.count {
                let ids = prompt + tokens.prefix(step)
                let full = widened.forward(embeddings: widened.embed([ids])).logits
                let last = full.slice(axis: 1, (ids.count - 1)..<ids.count)
                assertClose(logits, last, tolerance: 5e-3, "logits after \(ids.count) positions")
                guard step < tokens.count else { break }
                logits = mapped.forward(embeddings: mapped.embed([[tokens[step]]]), cache: cache, lastPositionOnly: true).logits
            }
        }
    }

    func testMappedF32WeightsMatchTheReference() throws {
        try check("llama", gradients: false, storage: .mapped)
    }

    func testGreedyGenerationTokenForToken() throws {
        for folder in ["llama", "qwen2"] {
            guard case .decoder(let model) = try ModelLoader.load(Fixtures.folder(folder)) else { return XCTFail() }
            let generate = try Fixtures.file(folder, "generate.safetensors")
            let prompt = try generate.intRows("prompt")[0], expected = try generate.intRows("generated")[0]
            let tokens = model.generate(promptIDs: prompt, options: GenerationOptions(maxNewTokens: expected.count - prompt.count))
            XCTAssertEqual(prompt + tokens, expected, folder)
        }
    }
}

/// Batched generation with left padding gives each prompt the tokens it gets alone.
final class BatchedGenerationTests: XCTestCase {
    func testBatchEqualsOneByOne() throws {
        for folder in ["llama", "qwen2"] {
            guard case .decoder(let model) = try ModelLoader.load(Fixtures.folder(folder)) else { return XCTFail() }
            let prompts = [[1, 5, 9, 22, 7, 31], [1, 40, 3], [1, 17, 2, 8, 100, 45, 12, 60, 9]]
            let options = GenerationOptions(maxNewTokens: 6)
            let alone = prompts.map { model.generate(promptIDs: $0, options: options) }
            let together = model.generate(batch: prompts.map { ids in noGrad { model.embed([ids]) } }, options: options)
            XCTAssertEqual(together, alone, folder)
        }
    }
}
