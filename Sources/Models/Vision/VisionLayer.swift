import NN
import Tensor

/// One pre-norm transformer block of a vision tower. CLIP and SigLIP name it
/// `layer_norm1/self_attn/layer_norm2/mlp`; DINOv2 `norm1/attention/norm2/mlp` with layer scales.
public final class VisionLayer: Module {
    public let norm1, norm2: LayerNorm
    public let query, key, value, output: Linear
    public let fc1, fc2: Linear
    /// DINOv2's per-channel scales of the attention and MLP branches.
    public let layerScale1, layerScale2: Tensor?
    let config: VisionConfig

    init(config: VisionConfig, generator: inout RandomGenerator) {
        self.config = config
        let (d, f, std) = (config.hiddenSize, config.intermediateSize, config.initializerRange)
        norm1 = LayerNorm(width: d, eps: config.layerNormEps)
        norm2 = LayerNorm(width: d, eps: config.layerNormEps)
        query = Linear(inFeatures: d, outFeatures: d, bias: true, std: std, generator: &generator)
        key = Linear(inFeatures: d, outFeatures: d, bias: true, std: std, generator: &generator)
        value = Linear(inFeatures: d, outFeatures: d, bias: true, std: std, generator: &generator)
        output = Linear(inFeatures: d, outFeatures: d, bias: true, std: std, generator: &generator)
        fc1 = Linear(inFeatures: d, outFeatures: f, bias: true, std: std, generator: &generator)
        fc2 = Linear(inFeatures: f, outFeatures: d, bias: true, std: std, generator: &generator)
        let isDINO = config.family == .dinov2
        layerScale1 = isDINO ? Tensor(repeating: 1, shape: [d], requiresGrad: true) : nil
        layerScale2 = isDINO ? Tensor(repeating: 1, shape: [d], requiresGrad: true) : nil
    }

    public var namedParameters: [NamedParameter] {
        let mlp = prefixed("mlp.fc1", fc1) + prefixed("mlp.fc2", fc2)
        if config.family == .dinov2 {
            return prefixed("norm1", norm1) + prefixed("attention.attention.query", query)
                + prefixed("attention.attention.key", key) + prefixed("attention.attention.value", value)
                + prefixed("attention.output.dense", output) + [("layer_scale1.lambda1", layerScale1!)]
                + prefixed("norm2", norm2) + mlp + [("layer_scale2.lambda1", layerScale2!)]
        }
        return prefixed("layer_norm1", norm1) + prefixed("self_attn.q_proj", query) + prefixed("self_attn.k_proj", key)
            + prefixed("self_attn.v_proj", value) + prefixed("self_attn.out_proj", output)
            + prefixed("layer_norm2", norm2) + mlp
    }

    func callAsFunction(_ x: Tensor, keepingWeights: Bool) -> (Tensor, Tensor?) {
        let normed = norm1(x)
        let (attended, weights) = Tensor.attention(query: query(normed), key: key(normed), value: value(normed),
                                                   heads: config.headCount, kvHeads: config.headCount, mask: .none,
                                                   keepingWeights: keepingWeights)
        var branch = output(attended)
        if let layerScale1 { branch = branch * layerScale1 }
        let h = x + branch
        var mlpBranch = fc2(config.activation.apply(fc1(norm2(h))))
        if let layerScale2 { mlpBranch = mlpBranch * layerScale2 }
        return (h + mlpBranch, weights)
    }
}

/// SigLIP's multihead attention-pooling head (`head.*`): a learned probe attends over the tokens,
/// then a residual MLP.
public final class AttentionPoolingHead: Module {
    public let probe: Tensor
    /// Packed q/k/v projection as `nn.MultiheadAttention` stores it: [3D, D] and [3D].
    public let inProjWeight, inProjBias: Tensor
    public let outProj: Linear
    public let layernorm: LayerNorm
    public let fc1, fc2: Linear
    let config: VisionConfig

    init(config: VisionConfig, generator: inout RandomGenerator) {
        self.config = config
        let (d, f, std) = (config.hiddenSize, config.intermediateSize, config.initializerRange)
        probe = Tensor.randomNormal([1, 1, d], std: std, using: &generator)
        inProjWeight = Tensor.randomNormal([3 * d, d], std: std, using: &generator)
        inProjBias = Tensor(zeros: [3 * d])
        for p in [probe, inProjWeight, inProjBias] { p.requiresGrad = true }
        outProj = Linear(inFeatures: d, outFeatures: d, bias: true, std: std, generator: &generator)
        layernorm = LayerNorm(width: d, eps: config.layerNormEps)
        fc1 = Linear(inFeatures: d, outFeatures: f, bias: true, std: std, generator: &generator)
        fc2 = Linear(inFeatures: f, outFeatures: d, bias: true, std: std, generator: &generator)
    }

    public var namedParameters: [NamedParameter] {
        [("probe", probe), ("attention.in_proj_weight", inProjWeight), ("attention.in_proj_bias", inProjBias)]
            + prefixed("attention.out_proj", outProj) + prefixed("layernorm", layernorm)
            + prefixed("mlp.fc1", fc1) + prefixed("mlp.fc2", fc2)
    }

    /// The pooled vector per image, [B, D], from tokens [B, N, D].
    func callAsFunction(_ tokens: Tensor) -> Tensor {
        let (batch, d) = (tokens.shape[0], config.hiddenSize)
        func projection(_ part: Int) -> (Tensor, Tensor) {
            (inProjWeight.slice(axis: 0, (part * d)..<((part + 1) * d)), inProjBias.slice(axis: 0, (part * d)..<((part + 1) * d)))
        }
        let (wq, bq) = projection(0), (wk, bk) = projection(1), (wv, bv) = projection(2)
        let probes = Tensor(zeros: [batch, 1, d]) + probe
        let (attended, _) = Tensor.attention(query: probes.linear(wq, bias: bq), key: tokens.linear(wk, bias: bk),
                                             value: tokens.linear(wv, bias: bv), heads: config.headCount,
                                             kvHeads: config.headCount, mask: .none)
        let h = outProj(attended)
        let pooled = h + fc2(config.activation.apply(fc1(layernorm(h))))
        return pooled.reshaped([batch, d])
    }
}
