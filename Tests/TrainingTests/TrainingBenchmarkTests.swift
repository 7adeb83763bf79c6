import Foundation
import Models
import NN
import Tensor
@testable import Training
import XCTest

/// `viral bench train`'s model and step, on configs in the `shared/bench` format.
final class TrainingBenchmarkTests: XCTestCase {
    /// A micro config in the `shared/bench` format: 8-pixel images in 4-pixel patches (4 visual
    /// tokens), 2 text tokens, one block per model.
    static func microConfig(_ overrides: [String: Any] = [:], learningRate: Double = 1e-3) -> [String: Any] {
        var config: [String: Any] = [
            "name": "micro", "batch": 2, "text_tokens": 4, "image_size": 8,
            "vision": ["hidden_size": 8, "intermediate_size": 16, "num_hidden_layers": 2, "num_attention_heads": 2,
                       "patch_size": 4, "image_size": 8, "hidden_act": "quick_gelu", "feature_layer": -2],
            "teacher": ["hidden_size": 6, "mlp_ratio": 2, "num_hidden_layers": 1, "num_attention_heads": 2,
                        "patch_size": 4, "image_size": 8],
            "llm": ["vocab_size": 20, "hidden_size": 8, "intermediate_size": 12, "num_hidden_layers": 2,
                    "num_attention_heads": 2, "num_key_value_heads": 1, "rms_norm_eps": 1e-5, "rope_theta": 10000.0],
            "projector": "mlp2x_gelu",
            "alignment": ["layer": 1, "projector_dim": 10, "weight": 0.5, "objective": "cosine"],
            "optimizer": ["name": "adamw", "lr": learningRate, "betas": [0.9, 0.999], "eps": 1e-8, "weight_decay": 0.0],
            "threads": 2,
        ]
        for (key, value) in overrides { config[key] = value }
        return config
    }

    static func configuration(_ values: [String: Any]) throws -> TrainingBenchmarkConfiguration {
        try TrainingBenchmarkConfiguration(JSONConfig(values: values, origin: "micro.json"))
    }

    func testReadsTheModelsFromTransformersFieldNames() throws {
        let c = try Self.configuration(Self.microConfig())
        XCTAssertEqual(c.tower.family, .clip)
        XCTAssertEqual(c.tower.activation, .quickGelu)
        XCTAssertEqual(c.featureLayer, -2)
        XCTAssertEqual(c.teacher.family, .dinov2)
        XCTAssertEqual(c.teacher.intermediateSize, 12, "mlp_ratio 2 × hidden 6")
        XCTAssertEqual(c.decoder.kvHeadCount, 1)
        XCTAssertEqual(c.decoder.rmsNormEps, 1e-5)
        XCTAssertEqual(c.projector, .mlp2xGelu)
        XCTAssertEqual(c.alignment.layers, [1])
        XCTAssertEqual(c.alignment.projectorSize, 10)
        XCTAssertEqual(c.imageTokens, 4)
        XCTAssertEqual(c.sequenceLength, 8)
        XCTAssertEqual(c.learningRate, 1e-3)
    }

    func testErrorsNameTheFaultyField() {
        func message(_ overrides: [String: Any]) -> String {
            do {
                _ = try Self.configuration(Self.microConfig(overrides))
                return "no error"
            } catch {
                return "\(error)"
            }
        }
        var optimizer = Self.microConfig()["optimizer"] as! [String: Any]
        optimizer["name"] = "sgd"
        XCTAssertTrue(message(["optimizer": optimizer]).contains("\"sgd\""), message(["optimizer": optimizer]))
        var alignment = Self.microConfig()["alignment"] as! [String: Any]
        alignment["layer"] = 7
        XCTAssertTrue(message(["alignment": alignment]).contains("alignment.layer 7"), message(["alignment": alignment]))
        XCTAssertTrue(message(["projector": "mlp3x"]).contains("projector \"mlp3x\""))
        XCTAssertTrue(message(["image_size": 12]).contains("vision.image_size"))
        XCTAssertTrue(message(["teacher": "none"]).contains("\"teacher\""))
    }

    /// The count for the micro config, written out product by product.
    func testFLOPCountAddsEveryProduct() throws {
        let c = try Self.configuration(Self.microConfig())
        func product(_ m: Double, _ n: Double, _ k: Double) -> Double { 2 * m * n * k }
        // Tower: 2 images × 4 patches of 3·4·4 = 48 values → 8; 2 blocks over 2 × 5 tokens with
        // q, k, v, o (8 → 8), MLP 8 → 16 → 8, and Q·Kᵀ and P·V per image.
        var towerBlock = 4 * product(10, 8, 8) + product(10, 8, 16) + product(10, 16, 8)
        towerBlock += 2 * 2 * product(5, 5, 8)
        let tower = product(8, 48, 8) + 2 * towerBlock
        // Teacher: patches → 6; one block over 2 × 5 tokens, MLP 6 → 12 → 6.
        var teacher = product(8, 48, 6) + 4 * product(10, 6, 6) + product(10, 6, 12) + product(10, 12, 6)
        teacher += 2 * 2 * product(5, 5, 6)
        // Projector over 8 visual rows: 8 → 8 forward + weight gradient, 8 → 8 with both gradients.
        let projector = 2 * product(8, 8, 8) + 3 * product(8, 8, 8)
        // Decoder: 16 rows; q 8 → 8, k and v 8 → 4, o 8 → 8, gate and up 8 → 12, down 12 → 8, each
        // ×3; attention: 6 products of 8×8×4 per (row, head).
        var linears = product(16, 8, 8) + 2 * product(16, 8, 4) + product(16, 8, 8)
        linears += 2 * product(16, 8, 12) + product(16, 12, 8)
        let block = 3 * linears + 6 * 2 * 2 * product(8, 8, 4)
        // lm_head 8 → 20 at the 4 positions whose next label counts (2 per row), ×3.
        let head = 3 * product(4, 8, 20)
        // Alignment projector over 8 visual rows: 8 → 10 → 10 → 6, ×3 each.
        let alignment = 3 * (product(8, 8, 10) + product(8, 10, 10) + product(8, 10, 6))
        let expected = tower + teacher + projector + 2 * block + head + alignment
        XCTAssertEqual(TrainingStepFLOPs.count(c, logitRows: 4), expected)
        XCTAssertEqual(TrainingStepFLOPs.count(c) - TrainingStepFLOPs.count(c, logitRows: 4), 3 * product(12, 8, 20))
    }

    /// Logits at just the counted positions give the full-logit loss and gradients (to F32
    /// rounding: 1e-6 on the loss, 1e-6 absolute on gradients of size ~1e-2).
    func testSelectedLogitsGiveTheFullLossAndGradients() {
        var generator = RandomGenerator(seed: 11)
        let decoder = DecoderLM(config: DecoderConfig(vocabularySize: 30, hiddenSize: 16, intermediateSize: 24, layerCount: 2,
                                                      headCount: 2, kvHeadCount: 2), generator: &generator)
        let ids = [[3, 8, 12, 5, 9, 21], [4, 4, 17, 2, 28, 11]]
        let labels = [[-100, -100, 12, 5, -100, 21], [-100, 4, 17, -100, 28, 11]]
        let embeddings = decoder.embed(ids)
        let full = DecoderLM.causalLanguageModelLoss(logits: decoder.forward(embeddings: embeddings).logits, labels: labels)
        full.backward()
        let fullGradients = decoder.parameters.map { $0.grad?.scalars ?? [] }
        decoder.zeroGradients()
        let next = DecoderLM.nextTokenTargets(labels: labels)
        XCTAssertEqual(next.positions, [1, 2, 4, 6, 7, 9, 10])
        XCTAssertEqual(next.targets, [12, 5, 21, 4, 17, 28, 11])
        let selected = decoder.forward(embeddings: decoder.embed(ids), logitPositions: next.positions).logits
            .crossEntropy(targets: next.targets)
        selected.backward()
        XCTAssertEqual(selected.item, full.item, accuracy: 1e-6)
        for (parameter, expected) in zip(decoder.parameters, fullGradients) {
            let actual = parameter.grad?.scalars ?? []
            XCTAssertEqual(actual.count, expected.count)
            for (a, e) in zip(actual, expected) { XCTAssertEqual(a, e, accuracy: 1e-6) }
        }
    }

    func testStepsAreReproducibleAndTrainOnlyTheTrainableParts() throws {
        let c = try Self.configuration(Self.microConfig())
        let first = TrainingBenchmark(configuration: c, seed: 3), second = TrainingBenchmark(configuration: c, seed: 3)
        let tower = first.tower.parameters.map(\.scalars), teacher = first.teacher.parameters.map(\.scalars)
        let decoder = first.decoder.parameters.map(\.scalars), alignment = first.alignment.parameters.map(\.scalars)
        XCTAssertEqual(first.labels[0], [-100, -100, -100, -100, -100, -100, first.textIDs[0][2], first.textIDs[0][3]])
        var losses: [Float] = []
        for _ in 0..<8 { losses.append(try first.step()) }
        XCTAssertEqual(try second.step(), losses[0], "same seed, same first step")
        XCTAssertLessThan(losses.last!, losses.first!, "the same batch eight times: the loss must fall")
        XCTAssertEqual(first.tower.parameters.map(\.scalars), tower, "the tower is frozen")
        XCTAssertEqual(first.teacher.parameters.map(\.scalars), teacher, "the teacher is frozen")
        XCTAssertNotEqual(first.decoder.parameters.map(\.scalars), decoder)
        XCTAssertNotEqual(first.alignment.parameters.map(\.scalars), alignment)
        let result = try first.measure(warmup: 0, steps: 3)
        XCTAssertEqual(result.stepSeconds.count, 3)
        XCTAssertEqual(result.flopsPerStep, TrainingStepFLOPs.count(c, logitRows: 4))
    }

    /// Logits at every position (as the PyTorch reference) give the same steps (1e-5: float
    /// rounding of the cross-entropy's mean over 4 rows instead of 4 of 16).
    func testAllLogitsGiveTheSameSteps() throws {
        let c = try Self.configuration(Self.microConfig())
        let counted = TrainingBenchmark(configuration: c, seed: 5)
        let all = TrainingBenchmark(configuration: c, seed: 5, computingAllLogits: true)
        for _ in 0..<3 { XCTAssertEqual(try counted.step(), try all.step(), accuracy: 1e-5) }
        let result = try all.measure(warmup: 0, steps: 1)
        XCTAssertEqual(result.flopsPerStep, TrainingStepFLOPs.count(c))
        XCTAssertEqual(result.referenceFlopsPerStep, result.flopsPerStep)
    }

    func testPeakMemoryReadsTheHighWaterMark() {
        XCTAssertEqual(PeakMemory.parseHighWaterMark("Name:\tx\nVmPeak:\t  9000 kB\nVmHWM:\t    1234 kB\nVmRSS:\t 1000 kB\n"),
                       1234 * 1024)
        XCTAssertNil(PeakMemory.parseHighWaterMark("VmRSS:\t 1000 kB\n"))
        XCTAssertEqual(PeakMemory.parseHighWaterMark("VmHWM:\t14572256 kB\n"), 14_572_256 * 1024, "8 digits, no padding")
        if FileManager.default.fileExists(atPath: "/proc/self/status") {
            XCTAssertGreaterThan(PeakMemory.residentBytes() ?? 0, 1 << 20)
        }
    }
}
