import Experiments
import Foundation
import Models
import NN
import SafeTensors
import Tensor
import XCTest

/// `RandomLlavaCheckpoint` (what `viral bench checkpoint` writes) and `GenerationBenchmark`
/// (what `viral bench generate` times), on the tiny preset.
final class GenerationBenchmarkTests: XCTestCase {
    var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("viral-random-llava-\(UUID().uuidString)")
        try RandomLlavaCheckpoint.write(RandomLlavaCheckpoint.Preset.tiny.config, dtype: .bf16, seed: 3, to: folder)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: folder)
    }

    func testCheckpointLoadsAsTheConfiguredLlavaWithBFloat16Weights() throws {
        let file = try SafeTensorsFile(url: folder.appendingPathComponent("model.safetensors"))
        var placeholder = RandomGenerator.placeholder
        let expected = LlavaModel(config: RandomLlavaCheckpoint.Preset.tiny.config, generator: &placeholder)
        XCTAssertEqual(Set(file.names), Set(expected.namedParameters.map(\.key)))
        XCTAssertTrue(try file.names.allSatisfy { try file.info($0).dtype == .bf16 })
        guard case .llava(let model) = try ModelLoader.load(folder) else { return XCTFail("not a LLaVA folder") }
        XCTAssertEqual(model.config.imageTokenID, 500)
        XCTAssertEqual(model.languageModel.norm.weight.scalars, Array(repeating: 1, count: 64), "norm weights are 1")
        let weights = model.languageModel.layers[0].mlp.upProj.weight.scalars
        let mean = weights.reduce(0, +) / Float(weights.count)
        let std = (weights.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Float(weights.count)).squareRoot()
        XCTAssertEqual(std, 0.02, accuracy: 0.002, "weights drawn with transformers' initializer_range")
    }

    func testSameSeedWritesTheSameBytes() throws {
        let again = folder.appendingPathComponent("again")
        try RandomLlavaCheckpoint.write(RandomLlavaCheckpoint.Preset.tiny.config, dtype: .bf16, seed: 3, to: again)
        XCTAssertEqual(try Data(contentsOf: again.appendingPathComponent("model.safetensors")),
                       try Data(contentsOf: folder.appendingPathComponent("model.safetensors")))
    }

    /// The benchmark's greedy loop generates what `DecoderLM.generate` does, for every row, and
    /// mapped BF16 weights give the tokens of the same weights in memory.
    func testMeasuredGenerationIsGreedyGeneration() throws {
        guard case .llava(let mapped) = try ModelLoader.load(folder, storage: .mapped),
              case .llava(let inMemory) = try ModelLoader.load(folder) else { return XCTFail("not a LLaVA folder") }
        let benchmark = try GenerationBenchmark(model: mapped, batch: 2, textTokens: 5, newTokens: 6)
        let (result, generated) = try benchmark.measure()
        XCTAssertEqual(result.promptTokens, 1 + mapped.config.imageTokenCount + 5)
        XCTAssertGreaterThan(result.prefillSeconds, 0)
        XCTAssertGreaterThan(result.decodeSeconds, 0)
        XCTAssertEqual(generated.map(\.count), [6, 6])
        let inMemoryTokens = try GenerationBenchmark(model: inMemory, batch: 2, textTokens: 5, newTokens: 6).measure().generated
        XCTAssertEqual(generated, inMemoryTokens)
        // Row by row through the library's generation (the same prompts and pixels).
        let ids = benchmark.promptIDs()
        var pixelGenerator = RandomGenerator(seed: benchmark.seed &+ 1)
        let size = mapped.config.vision.imageSize
        let pixels = Tensor.randomNormal([2, 3, size, size], using: &pixelGenerator)
        let embeddings = try noGrad { try mapped.inputEmbeddings(inputIDs: ids, pixelValues: pixels).embeddings }
        for row in 0..<2 {
            let rowEmbeddings = embeddings.slice(axis: 0, row..<(row + 1))
            XCTAssertEqual(mapped.languageModel.generate(promptEmbeddings: rowEmbeddings, options: GenerationOptions(maxNewTokens: 6)),
                           generated[row], "row \(row)")
        }
    }

    func testRejectsTooFewNewTokens() throws {
        guard case .llava(let model) = try ModelLoader.load(folder, storage: .mapped) else { return XCTFail() }
        XCTAssertThrowsError(try GenerationBenchmark(model: model, batch: 1, textTokens: 4, newTokens: 1)) { error in
            XCTAssertTrue("\(error)".contains("--new-tokens"), "\(error)")
        }
    }
}
