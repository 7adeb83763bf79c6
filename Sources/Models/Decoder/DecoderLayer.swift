import NN
import Tensor

/// Grouped-query self-attention with rotary positions (Llama/Qwen2 `self_attn`).
public final class SelfAttention: Module {
    public let qProj, kProj, vProj, oProj: Linear
    let config: DecoderConfig

    init(config: DecoderConfig, generator: inout RandomGenerator) {
        self.config = config
        let (d, q, kv, std) = (config.hiddenSize, config.headCount * config.headDim, config.kvHeadCount * config.headDim, config.initializerRange)
        qProj = Linear(inFeatures: d, outFeatures: q, bias: config.attentionBias, std: std, generator: &generator)
        kProj = Linear(inFeatures: d, outFeatures: kv, bias: config.attentionBias, std: std, generator: &generator)
        vProj = Linear(inFeatures: d, outFeatures: kv, bias: config.attentionBias, std: std, generator: &generator)
        oProj = Linear(inFeatures: q, outFeatures: d, bias: false, std: std, generator: &generator)
    }

    public var namedParameters: [NamedParameter] {
        prefixed("q_proj", qProj) + prefixed("k_proj", kProj) + prefixed("v_proj", vProj) + prefixed("o_proj", oProj)
    }

    /// x: [B, T, D]. With a cache, keys and values of earlier positions come from it.
    func callAsFunction(_ x: Tensor, positions: [Int], mask: AttentionMask, layer: Int, cache: KVCache?,
                        keepingWeights: Bool) -> (Tensor, Tensor?) {
        let (heads, kvHeads, theta) = (config.headCount, config.kvHeadCount, config.ropeTheta)
        let q = qProj(x).rotaryEmbedding(heads: heads, positions: positions, theta: theta)
        let k = kProj(x).rotaryEmbedding(heads: kvHeads, positions: positions, theta: theta)
        let v = vProj(x)
        guard let cache else {
            let (out, weights) = Tensor.attention(query: q, key: k, value: v, heads: heads, kvHeads: kvHeads,
                                                  mask: mask, keepingWeights: keepingWeights)
            return (oProj(out), weights)
        }
        // Cached inference: no gradients, keys/values read from the cache's buffers.
        let (batch, tokens) = (x.shape[0], x.shape[1])
        let (keys, values) = cache.append(layer: layer, key: k, value: v)
        let total = cache.length + tokens
        let geometry = AttentionGeometry(batch: batch, queries: tokens, keys: total, heads: heads, kvHeads: kvHeads,
                                         headDim: config.headDim, keyBatchStride: cache.capacity * cache.width)
        let weights = Tensor(uninitialized: [batch, heads, tokens, total])
        let out = Tensor(uninitialized: [batch, tokens, heads * config.headDim])
        geometry.forward(query: q.data, keys: keys, values: values, mask: mask, scale: 1 / Float(config.headDim).squareRoot(),
                         probabilities: weights.data, output: out.data)
        return (oProj(out), keepingWeights ? weights : nil)
    }
}

/// The SwiGLU feed-forward block (`mlp`): down(silu(gate(x)) · up(x)).
public final class GatedMLP: Module {
    public let gateProj, upProj, downProj: Linear

    init(config: DecoderConfig, generator: inout RandomGenerator) {
        let (d, f, std) = (config.hiddenSize, config.intermediateSize, config.initializerRange)
        gateProj = Linear(inFeatures: d, outFeatures: f, bias: false, std: std, generator: &generator)
        upProj = Linear(inFeatures: d, outFeatures: f, bias: false, std: std, generator: &generator)
        downProj = Linear(inFeatures: f, outFeatures: d, bias: false, std: std, generator: &generator)
    }

    public var namedParameters: [NamedParameter] {
        prefixed("gate_proj", gateProj) + prefixed("up_proj", upProj) + prefixed("down_proj", downProj)
    }

    func callAsFunction(_ x: Tensor) -> Tensor { downProj(gateProj(x).siluMul(upProj(x))) }
}

/// One pre-norm decoder block.
public final class DecoderLayer: Module {
    public let inputLayernorm, postAttentionLayernorm: RMSNorm
    public let selfAttention: SelfAttention
    public let mlp: GatedMLP

    init(config: DecoderConfig, generator: inout RandomGenerator) {
        inputLayernorm = RMSNorm(width: config.hiddenSize, eps: config.rmsNormEps)
        postAttentionLayernorm = RMSNorm(width: config.hiddenSize, eps: config.rmsNormEps)
        selfAttention = SelfAttention(config: config, generator: &generator)
        mlp = GatedMLP(config: config, generator: &generator)
    }

    public var namedParameters: [NamedParameter] {
        prefixed("input_layernorm", inputLayernorm) + prefixed("self_attn", selfAttention)
            + prefixed("post_attention_layernorm", postAttentionLayernorm) + prefixed("mlp", mlp)
    }

    func callAsFunction(_ x: Tensor, positions: [Int], mask: AttentionMask, layer: Int, cache: KVCache?,
                        keepingWeights: Bool) -> (Tensor, Tensor?) {
        let (attended, weights) = selfAttention(inputLayernorm(x), positions: positions, mask: mask, layer: layer,
                                                cache: cache, keepingWeights: keepingWeights)
        let h = x + attended
        return (h + mlp(postAttentionLayernorm(h)), weights)
    }
}
