import Foundation
import Models
import NN
import SafeTensors
import Tensor

/// LLaVA-shaped checkpoint folders with random weights, for speed measurements on shapes of
/// published models without downloading them (`viral bench checkpoint`).
///
/// The folder is what llava-hf publishes — `config.json` (LlavaForConditionalGeneration) and
/// sharded `model.safetensors` under transformers' names — so both `viral` and transformers load
/// it. Weights are uniform with the standard deviation transformers initialises with (0.02),
/// norm weights 1 and biases 0; tensors are generated one at a time, so writing a 7B model needs
/// memory for its largest tensor only.
public enum RandomLlavaCheckpoint {
    /// Shapes to write.
    public enum Preset: String, CaseIterable, Sendable {
        /// llava-hf/llava-1.5-7b-hf: CLIP ViT-L/14 at 336 px, Vicuna-7B (32 layers, 4096 wide).
        case llava15_7b = "llava-1.5-7b"
        /// A ~110 M-parameter model for quick comparisons.
        case small = "llava-small"
        /// A few-MB model for tests.
        case tiny = "llava-tiny"

        public var config: LlavaConfig {
            switch self {
            case .llava15_7b:
                return LlavaConfig(
                    decoder: DecoderConfig(vocabularySize: 32064, hiddenSize: 4096, intermediateSize: 11008, layerCount: 32,
                                           headCount: 32, kvHeadCount: 32, padTokenID: 32001),
                    vision: VisionConfig(family: .clip, hiddenSize: 1024, intermediateSize: 4096, layerCount: 24,
                                         headCount: 16, patchSize: 14, imageSize: 336),
                    imageTokenID: 32000)
            case .small:
                return LlavaConfig(
                    decoder: DecoderConfig(vocabularySize: 32064, hiddenSize: 768, intermediateSize: 2048, layerCount: 8,
                                           headCount: 12, kvHeadCount: 12, padTokenID: 32001),
                    vision: VisionConfig(family: .clip, hiddenSize: 384, intermediateSize: 1536, layerCount: 6,
                                         headCount: 6, patchSize: 16, imageSize: 224),
                    imageTokenID: 32000)
            case .tiny:
                return LlavaConfig(
                    decoder: DecoderConfig(vocabularySize: 512, hiddenSize: 64, intermediateSize: 160, layerCount: 2,
                                           headCount: 4, kvHeadCount: 2, padTokenID: 1),
                    vision: VisionConfig(family: .clip, hiddenSize: 32, intermediateSize: 64, layerCount: 2,
                                         headCount: 2, patchSize: 8, imageSize: 32),
                    imageTokenID: 500)
            }
        }
    }

    /// Positions the written config allows (Vicuna's context).
    static let maxPositions = 4096
    /// Shards of at most this many bytes, as llava-hf's checkpoints.
    static let shardBytes = 5_000_000_000

    /// Writes `config.json` and the weights of a random LLaVA model to `directory`, weights stored
    /// as `dtype` (BF16, F16 or F32). `progress` receives each tensor's name as it is written.
    public static func write(_ config: LlavaConfig, dtype: DType, seed: UInt64, to directory: URL,
                             progress: @escaping (String) -> Void = { _ in }) throws {
        guard [.bf16, .f16, .f32].contains(dtype) else {
            throw ExperimentError("--dtype must be BF16, F16 or F32 (got \(dtype.name))")
        }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        // The model's keys and shapes, from a model built of placeholders (no weight memory).
        var placeholder = RandomGenerator.placeholder
        let shapes = LlavaModel(config: config, generator: &placeholder).namedParameters.map { ($0.key, $0.tensor.shape) }
        var writer = SafeTensorsWriter(metadata: ["format": "pt"])
        for (index, (key, shape)) in shapes.enumerated() {
            try writer.addDeferred(key, shape: shape, storedAs: dtype) { values in
                progress(key)
                fill(values, key: key, rank: shape.count, seed: seed &+ UInt64(index) &* 0x9E37_79B9_7F4A_7C15)
            }
        }
        let transformersDType = [DType.bf16: "bfloat16", .f16: "float16", .f32: "float32"][dtype]!
        try ModelFolderFiles.llavaConfig(config, maxPositions: maxPositions, dtype: transformersDType).data
            .write(to: directory.appendingPathComponent("config.json"), options: .atomic)
        _ = try writer.writeCheckpoint(to: directory, maxShardByteCount: shardBytes)
    }

    /// Norm weights 1, biases 0, everything else uniform with standard deviation 0.02, drawn in
    /// parallel blocks, each from its own generator so the result does not depend on the threads.
    static func fill(_ values: UnsafeMutableBufferPointer<Float>, key: String, rank: Int, seed: UInt64) {
        if key.hasSuffix(".bias") { return }  // the buffer comes zeroed
        if rank == 1 && key.hasSuffix(".weight") { values.update(repeating: 1); return }
        let bound = Float(0.02 * 3.0.squareRoot())
        let block = 1 << 20
        let base = values.baseAddress!
        Parallel.forEachChunk((values.count + block - 1) / block, minChunk: 1) { blocks in
            for b in blocks {
                var generator = RandomGenerator(seed: seed &+ UInt64(b))
                for i in (b * block)..<min(values.count, (b + 1) * block) {
                    base[i] = (2 * generator.nextUniform() - 1) * bound
                }
            }
        }
    }
}
