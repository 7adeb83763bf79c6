import Foundation

/// How a LLaVA model is put together: tower, feature selection, projector, decoder.
public struct LlavaConfig: Equatable, Sendable {
    public var decoder: DecoderConfig
    public var vision: VisionConfig
    /// The id that marks image positions in `input_ids` (llava-hf `image_token_index`).
    public var imageTokenID: Int
    /// Index into the tower's hidden states (−2 = the penultimate block, LLaVA's default).
    public var featureLayer: Int
    /// Drop the class token from the features (strategy "default" / "patch"); SigLIP has none.
    public var dropsClassToken: Bool
    public var projector: ProjectorKind
    public var projectorBias: Bool

    public init(decoder: DecoderConfig, vision: VisionConfig, imageTokenID: Int, featureLayer: Int = -2,
                dropsClassToken: Bool = true, projector: ProjectorKind = .mlp2xGelu, projectorBias: Bool = true) {
        self.decoder = decoder
        self.vision = vision
        self.imageTokenID = imageTokenID
        self.featureLayer = featureLayer
        self.dropsClassToken = dropsClassToken && vision.hasClassToken
        self.projector = projector
        self.projectorBias = projectorBias
    }

    /// Visual tokens per image at the tower's configured size.
    public var imageTokenCount: Int { vision.gridSize * vision.gridSize + (dropsClassToken ? 0 : vision.prefixTokenCount) }

    /// Reads a llava-hf `config.json` (`model_type` "llava").
    public init(llavaHF config: JSONConfig) throws {
        guard let text = config.child("text_config"), let visionJSON = config.child("vision_config") else {
            throw ConfigError(origin: config.origin, message: "a llava config needs \"text_config\" and \"vision_config\"")
        }
        let act = try config.string("projector_hidden_act", default: "gelu")
        guard act == "gelu" else {
            throw ConfigError(origin: config.origin, message: "projector_hidden_act \"\(act)\" is not supported (only \"gelu\")")
        }
        let strategy = try config.string("vision_feature_select_strategy", default: "default")
        guard strategy == "default" || strategy == "full" else {
            throw ConfigError(origin: config.origin, message: "vision_feature_select_strategy \"\(strategy)\" is not supported (default, full)")
        }
        guard let layer = config.intOrFirst("vision_feature_layer") else {
            throw ConfigError(origin: config.origin, message: "vision_feature_layer must be an integer")
        }
        let imageToken = config.has("image_token_index") ? try config.int("image_token_index") : try config.int("image_token_id")
        self.init(decoder: try DecoderConfig(text.withDefaultModelType("llama")),
                  vision: try VisionConfig(visionJSON.withDefaultModelType("clip_vision_model")),
                  imageTokenID: imageToken, featureLayer: layer, dropsClassToken: strategy == "default",
                  projector: .mlp2xGelu, projectorBias: try config.bool("multimodal_projector_bias", default: true))
    }

    /// Reads the original LLaVA code base's config (a decoder config with `mm_*` keys); the tower's
    /// own config comes from its checkpoint folder. The image token is LLaVA's `<image>` placeholder,
    /// which has no embedding row, so `imageTokenID` is given by the caller (−200 in that code base).
    public init(original config: JSONConfig, vision: VisionConfig, imageTokenID: Int = -200) throws {
        let projectorName = try config.string("mm_projector_type", default: "linear")
        guard let projector = ProjectorKind(rawValue: projectorName) else {
            throw ConfigError(origin: config.origin, message: "mm_projector_type \"\(projectorName)\" is not supported (linear, mlp2x_gelu)")
        }
        let select = try config.string("mm_vision_select_feature", default: "patch")
        guard select == "patch" || select == "cls_patch" else {
            throw ConfigError(origin: config.origin, message: "mm_vision_select_feature \"\(select)\" is not supported (patch, cls_patch)")
        }
        self.init(decoder: try DecoderConfig(config), vision: vision, imageTokenID: imageTokenID,
                  featureLayer: try config.int("mm_vision_select_layer", default: -2),
                  dropsClassToken: select == "patch", projector: projector, projectorBias: true)
    }
}
