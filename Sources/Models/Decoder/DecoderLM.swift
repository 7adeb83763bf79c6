import NN
import Tensor

/// What a decoder forward pass returns.
public struct DecoderOutput {
    /// [B, T, vocabulary] (or [B, 1, vocabulary] when only the last position was asked for).
    public var logits: Tensor
    /// transformers' `hidden_states`: [0] = input embeddings, [ℓ] = output of block ℓ for
    /// ℓ < L, [L] = after the final norm. Empty unless requested.
    public var hiddenStates: [Tensor]
    /// Attention weights per layer, [B, heads, T, S], when requested.
    public var attentionWeights: [Tensor]
}

/// A Llama-family causal language model (Llama, Vicuna, Qwen2): `model.*` + `lm_head`.
public final class DecoderLM: Module {
    public let config: DecoderConfig
    public let embedTokens: Embedding
    public let layers: [DecoderLayer]
    public let norm: RMSNorm
    /// nil when tied to the embeddings.
    public let lmHead: Linear?

    /// A model with random weights drawn as transformers initialises them (N(0, initializer_range)).
    public init(config: DecoderConfig, generator: inout RandomGenerator) {
        self.config = config
        embedTokens = Embedding(vocabularySize: config.vocabularySize, width: config.hiddenSize,
                                std: config.initializerRange, generator: &generator)
        layers = (0..<config.layerCount).map { _ in DecoderLayer(config: config, generator: &generator) }
        norm = RMSNorm(width: config.hiddenSize, eps: config.rmsNormEps)
        lmHead = config.tieWordEmbeddings ? nil
            : Linear(inFeatures: config.hiddenSize, outFeatures: config.vocabularySize, bias: false,
                     std: config.initializerRange, generator: &generator)
    }

    public var namedParameters: [NamedParameter] {
        prefixed("model.embed_tokens", embedTokens) + prefixed("model.layers", layers)
            + prefixed("model.norm", norm) + prefixed("lm_head", lmHead)
    }

    /// Token embeddings of a batch of equally long id rows: [B, T, D].
    public func embed(_ ids: [[Int]]) -> Tensor {
        let t = ids.first?.count ?? 0
        return embedTokens(ids.flatMap { $0 }).reshaped([ids.count, t, config.hiddenSize])
    }

    /// Runs the decoder on input embeddings [B, T, D].
    /// - Parameters:
    ///   - attentionMask: per batch row, which positions are real tokens (false = padding); with a
    ///     cache it covers every position so far plus the new ones.
    ///   - positions: rotary position of each new token (B·T values); default 0..<T per row, or
    ///     continuing from the cache.
    ///   - lastPositionOnly: compute logits only for the last position (generation).
    ///   - logitPositions: compute logits only at these flat positions (row · T + t), in this
    ///     order; the logits are then [positions.count, vocabulary]. Training passes the positions
    ///     whose next-token label counts (`nextTokenTargets(labels:)`), so the vocabulary-wide
    ///     product skips every prompt, image and padding position.
    ///   - layerHook: may replace the output of block ℓ (1-based) before it goes on.
    public func forward(embeddings: Tensor, attentionMask: [[Bool]]? = nil, positions: [Int]? = nil,
                        cache: KVCache? = nil, returningHiddenStates: Bool = false,
                        returningAttentionWeights: Bool = false, lastPositionOnly: Bool = false,
                        logitPositions: [Int]? = nil,
                        layerHook: ((_ layer: Int, _ hidden: Tensor) -> Tensor)? = nil) -> DecoderOutput {
        let (batch, tokens) = (embeddings.shape[0], embeddings.shape[1])
        let start = cache?.length ?? 0
        let positions = positions ?? (0..<batch).flatMap { _ in Array(start..<(start + tokens)) }
        let mask = AttentionMask(causal: true, keyIsVisible: attentionMask)
        var h = embeddings
        var hidden: [Tensor] = returningHiddenStates ? [h] : []
        var weights: [Tensor] = []
        for (i, layer) in layers.enumerated() {
            let (next, w) = layer(h, positions: positions, mask: mask, layer: i, cache: cache,
                                  keepingWeights: returningAttentionWeights)
            h = layerHook?(i + 1, next) ?? next
            if let w { weights.append(w) }
            if returningHiddenStates && i < layers.count - 1 { hidden.append(h) }
        }
        cache?.advance(by: tokens)
        var normed = norm(h)
        if returningHiddenStates { hidden.append(normed) }
        if lastPositionOnly { normed = normed.slice(axis: 1, (tokens - 1)..<tokens) }
        if let logitPositions { normed = normed.reshaped([-1, config.hiddenSize]).gatherRows(logitPositions) }
        let logits = lmHead.map { normed.linear($0.weight, bias: $0.bias) } ?? normed.linear(embedTokens.weight)
        return DecoderOutput(logits: logits, hiddenStates: hidden, attentionWeights: weights)
    }

    /// Next-token cross-entropy as transformers' causal-LM loss: position t predicts label t+1;
    /// −100 labels are ignored; mean over counted tokens.
    public static func causalLanguageModelLoss(logits: Tensor, labels: [[Int]]) -> Tensor {
        let tokens = logits.shape[1]
        var targets: [Int] = []
        targets.reserveCapacity(labels.count * tokens)
        for row in labels {
            precondition(row.count == tokens, "labels of length \(row.count) for \(tokens) positions")
            targets += row.dropFirst() + [-100]
        }
        return logits.reshaped([-1, logits.shape[2]]).crossEntropy(targets: targets)
    }

    /// The flat positions (row · T + t) whose next-token label counts (label t+1 ≠ −100), and those
    /// labels. The cross-entropy of logits computed at just these positions (`logitPositions`) is
    /// `causalLanguageModelLoss` exactly, with the same gradients.
    public static func nextTokenTargets(labels: [[Int]]) -> (positions: [Int], targets: [Int]) {
        var positions: [Int] = [], targets: [Int] = []
        let tokens = labels.first?.count ?? 0
        for (b, row) in labels.enumerated() {
            precondition(row.count == tokens, "label rows of lengths \(row.count) and \(tokens)")
            for t in 0..<max(tokens - 1, 0) where row[t + 1] != -100 {
                positions.append(b * tokens + t)
                targets.append(row[t + 1])
            }
        }
        return (positions, targets)
    }
}
