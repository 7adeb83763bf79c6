import Foundation
import Models
import Tensor

/// Prefill and decode speed of a LLaVA model with a KV cache, measured as
/// `bench/generate_reference.py` measures transformers' `generate`: one prompt per batch row of
/// an image's tokens plus random text tokens, random pixels, greedy decoding of a fixed number of
/// new tokens (no stop token).
public struct GenerationBenchmark {
    public struct Result: Sendable {
        public var batch: Int
        /// Prompt positions per row (image tokens + text tokens).
        public var promptTokens: Int
        public var newTokens: Int
        /// Vision tower, projector and the decoder over the prompt, up to the first new token.
        public var prefillSeconds: Double
        /// The remaining `newTokens − 1` steps.
        public var decodeSeconds: Double

        public var prefillTokensPerSecond: Double { Double(batch * promptTokens) / prefillSeconds }
        public var decodeTokensPerSecond: Double { Double(batch * (newTokens - 1)) / decodeSeconds }
        public var decodeMillisecondsPerStep: Double { decodeSeconds * 1000 / Double(newTokens - 1) }
    }

    public let model: LlavaModel
    public let batch: Int
    public let textTokens: Int
    public let newTokens: Int
    public let seed: UInt64

    /// - Parameters:
    ///   - textTokens: text tokens after the image's tokens in every prompt.
    ///   - newTokens: tokens generated per row (at least 2: one from the prefill, one decoded).
    public init(model: LlavaModel, batch: Int, textTokens: Int, newTokens: Int, seed: UInt64 = 0) throws {
        guard batch > 0 else { throw ExperimentError("--batch must be positive (got \(batch))") }
        guard textTokens >= 0 else { throw ExperimentError("--prompt-tokens must not be negative (got \(textTokens))") }
        guard newTokens >= 2 else { throw ExperimentError("--new-tokens must be at least 2 (got \(newTokens))") }
        self.model = model
        self.batch = batch
        self.textTokens = textTokens
        self.newTokens = newTokens
        self.seed = seed
    }

    /// The prompt rows: a BOS token, the image's tokens, then random text tokens (ids below the
    /// image token, above the usual special ids 0–2). transformers gets the same ids.
    public func promptIDs() -> [[Int]] {
        var generator = RandomGenerator(seed: seed)
        let config = model.config
        let textRange = 3..<max(4, min(config.imageTokenID, config.decoder.vocabularySize))
        return (0..<batch).map { _ in
            [1] + Array(repeating: config.imageTokenID, count: config.imageTokenCount)
                + (0..<textTokens).map { _ in Int.random(in: textRange, using: &generator) }
        }
    }

    /// Runs the prompts through prefill and `newTokens − 1` decode steps; returns the times and
    /// the generated ids per row.
    public func measure() throws -> (result: Result, generated: [[Int]]) {
        let ids = promptIDs()
        var generator = RandomGenerator(seed: seed &+ 1)
        let size = model.config.vision.imageSize
        let pixels = Tensor.randomNormal([batch, model.config.vision.channels, size, size], using: &generator)
        let decoder = model.languageModel
        return try noGrad {
            let start = DispatchTime.now().uptimeNanoseconds
            let embeddings = try model.inputEmbeddings(inputIDs: ids, pixelValues: pixels).embeddings
            let cache = KVCache(for: decoder, batch: batch, capacity: ids[0].count + newTokens)
            var next = decoder.forward(embeddings: embeddings, cache: cache, lastPositionOnly: true).logits.argmaxOfRows()
            var generated = next.map { [$0] }
            let prefillEnd = DispatchTime.now().uptimeNanoseconds
            for _ in 1..<newTokens {
                next = decoder.forward(embeddings: decoder.embed(next.map { [$0] }), cache: cache,
                                       lastPositionOnly: true).logits.argmaxOfRows()
                for row in 0..<batch { generated[row].append(next[row]) }
            }
            let end = DispatchTime.now().uptimeNanoseconds
            let result = Result(batch: batch, promptTokens: ids[0].count, newTokens: newTokens,
                                prefillSeconds: Double(prefillEnd - start) / 1e9,
                                decodeSeconds: Double(end - prefillEnd) / 1e9)
            return (result, generated)
        }
    }
}
