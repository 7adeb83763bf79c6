/// Which vision transformer family a tower belongs to; decides embeddings, norms and names.
public enum VisionFamily: String, Sendable {
    /// CLIP ViT: class token, `pre_layrnorm`, quick-GELU, pooled `post_layernorm`.
    case clip
    /// SigLIP: no class token, patch bias, final `post_layernorm`, attention-pooling (MAP) head.
    case siglip
    /// DINOv2 (± registers): class token, layer scale, bicubic position interpolation.
    case dinov2
}

/// The activation inside a transformer MLP, by its transformers name.
public enum Activation: String, Sendable {
    case gelu, quickGelu = "quick_gelu", geluTanh = "gelu_pytorch_tanh", geluNew = "gelu_new", silu

    func apply(_ x: Tensor) -> Tensor {
        switch self {
        case .gelu: return x.gelu()
        case .quickGelu: return x.quickGelu()
        case .geluTanh, .geluNew: return x.geluTanh()
        case .silu: return x.silu()
        }
    }
}

import Tensor

/// The shape of a vision tower, read from a transformers config.
public struct VisionConfig: Equatable, Sendable {
    public var family: VisionFamily
    public var hiddenSize: Int
    public var intermediateSize: Int
    public var layerCount: Int
    public var headCount: Int
    public var patchSize: Int
    public var imageSize: Int
    public var channels: Int
    public var layerNormEps: Float
    public var activation: Activation
    /// DINOv2 with registers: extra learned tokens after the class token.
    public var registerCount: Int
    /// SigLIP: whether the attention-pooling head exists.
    public var usesHead: Bool
    public var initializerRange: Float

    public init(family: VisionFamily, hiddenSize: Int, intermediateSize: Int, layerCount: Int, headCount: Int,
                patchSize: Int, imageSize: Int, channels: Int = 3, layerNormEps: Float? = nil,
                activation: Activation? = nil, registerCount: Int = 0, usesHead: Bool? = nil, initializerRange: Float = 0.02) {
        self.family = family
        self.hiddenSize = hiddenSize
        self.intermediateSize = intermediateSize
        self.layerCount = layerCount
        self.headCount = headCount
        self.patchSize = patchSize
        self.imageSize = imageSize
        self.channels = channels
        self.layerNormEps = layerNormEps ?? (family == .clip ? 1e-5 : 1e-6)
        self.activation = activation ?? [.clip: .quickGelu, .siglip: .geluTanh, .dinov2: .gelu][family]!
        self.registerCount = registerCount
        self.usesHead = usesHead ?? (family == .siglip)
        self.initializerRange = initializerRange
    }

    /// True for towers that put a class token first.
    public var hasClassToken: Bool { family != .siglip }
    /// Tokens before the patch tokens (class token and registers).
    public var prefixTokenCount: Int { (hasClassToken ? 1 : 0) + registerCount }
    /// Patches per side at the configured image size.
    public var gridSize: Int { imageSize / patchSize }

    /// Reads `CLIPVisionConfig`, `SiglipVisionConfig`, `Dinov2Config`, `Dinov2WithRegistersConfig`,
    /// or a full CLIP/SigLIP config (its `vision_config`).
    public init(_ config: JSONConfig) throws {
        let type = try config.string("model_type", default: "")
        if (type == "clip" || type == "siglip"), let vision = config.child("vision_config") {
            try self.init(vision.withDefaultModelType(type + (type == "clip" ? "_vision_model" : "_vision_model")))
            return
        }
        let family: VisionFamily
        switch type {
        case "clip_vision_model": family = .clip
        case "siglip_vision_model": family = .siglip
        case "dinov2", "dinov2_with_registers": family = .dinov2
        default:
            throw ConfigError(origin: config.origin, message: "model_type \"\(type)\" is not a supported vision tower (clip_vision_model, siglip_vision_model, dinov2, dinov2_with_registers)")
        }
        let hidden = try config.int("hidden_size")
        let activationName = try config.string("hidden_act", default: family == .clip ? "quick_gelu" : (family == .siglip ? "gelu_pytorch_tanh" : "gelu"))
        guard let activation = Activation(rawValue: activationName) else {
            throw ConfigError(origin: config.origin, message: "hidden_act \"\(activationName)\" is not supported")
        }
        let intermediate = family == .dinov2
            ? Int(Float(hidden) * (try config.float("mlp_ratio", default: 4)))
            : try config.int("intermediate_size")
        if family == .dinov2, try config.bool("use_swiglu_ffn", default: false) {
            throw ConfigError(origin: config.origin, message: "use_swiglu_ffn (DINOv2 giant) is not supported")
        }
        self.init(family: family, hiddenSize: hidden, intermediateSize: intermediate,
                  layerCount: try config.int("num_hidden_layers"), headCount: try config.int("num_attention_heads"),
                  patchSize: try config.int("patch_size"), imageSize: try config.int("image_size"),
                  channels: try config.int("num_channels", default: 3),
                  layerNormEps: try config.float("layer_norm_eps", default: family == .clip ? 1e-5 : 1e-6),
                  activation: activation, registerCount: try config.int("num_register_tokens", default: 0),
                  usesHead: family == .siglip ? try config.bool("vision_use_head", default: true) : false,
                  initializerRange: try config.float("initializer_range", default: 0.02))
        guard hiddenSize > 0, intermediateSize > 0, layerCount > 0, headCount > 0, hiddenSize % headCount == 0,
              patchSize > 0, imageSize >= patchSize, channels > 0 else {
            throw ConfigError(origin: config.origin, message: "sizes must be positive, hidden_size divisible by num_attention_heads and image_size at least patch_size")
        }
    }
}

extension JSONConfig {
    /// The same config with `model_type` filled in when absent (nested `vision_config`s omit it).
    func withDefaultModelType(_ type: String) -> JSONConfig {
        var values = self.values
        if values["model_type"] == nil { values["model_type"] = type }
        return JSONConfig(values: values, origin: origin)
    }
}
