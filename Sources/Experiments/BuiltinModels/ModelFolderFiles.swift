import Foundation
import Models
import NN
import SafeTensors
import Vision

/// The files of a Hugging Face model folder for the built-in models: `config.json` in the
/// transformers 5.x form that `ModelLoader` reads (and transformers would), the weights as
/// `model.safetensors` under the modules' own keys (the transformers 5.x names), and a
/// `preprocessor_config.json` saying how images are prepared.
enum ModelFolderFiles {
    /// `config.json` of a standalone tower: `clip_vision_model` (CLIPVisionModel) or `dinov2`
    /// (Dinov2Model).
    static func visionConfig(_ config: VisionConfig) -> JSONText {
        .object([("architectures", .array([.string(config.family == .dinov2 ? "Dinov2Model" : "CLIPVisionModel")]))]
            + visionMembers(config))
    }

    /// The members of a vision config (also `vision_config` inside a llava config): Dinov2Config
    /// for a DINOv2 tower, CLIPVisionConfig otherwise (the built-in towers are one or the other).
    static func visionMembers(_ config: VisionConfig) -> [(String, JSONText)] {
        if config.family == .dinov2 {
            return [
                ("apply_layernorm", .bool(true)),
                ("attention_probs_dropout_prob", .number(0)),
                ("drop_path_rate", .number(0)),
                ("dtype", .string("float32")),
                ("hidden_act", .string(config.activation.rawValue)),
                ("hidden_dropout_prob", .number(0)),
                ("hidden_size", .integer(config.hiddenSize)),
                ("image_size", .integer(config.imageSize)),
                ("initializer_range", decimal(config.initializerRange)),
                ("layer_norm_eps", decimal(config.layerNormEps)),
                ("layerscale_value", .number(1)),
                ("mlp_ratio", mlpRatio(config)),
                ("model_type", .string("dinov2")),
                ("num_attention_heads", .integer(config.headCount)),
                ("num_channels", .integer(config.channels)),
                ("num_hidden_layers", .integer(config.layerCount)),
                ("patch_size", .integer(config.patchSize)),
                ("qkv_bias", .bool(true)),
                ("use_swiglu_ffn", .bool(false)),
            ]
        }
        return [
            ("attention_dropout", .number(0)),
            ("dtype", .string("float32")),
            ("hidden_act", .string(config.activation.rawValue)),
            ("hidden_size", .integer(config.hiddenSize)),
            ("image_size", .integer(config.imageSize)),
            ("initializer_factor", .number(1)),
            ("initializer_range", decimal(config.initializerRange)),
            ("intermediate_size", .integer(config.intermediateSize)),
            ("layer_norm_eps", decimal(config.layerNormEps)),
            ("model_type", .string("clip_vision_model")),
            ("num_attention_heads", .integer(config.headCount)),
            ("num_channels", .integer(config.channels)),
            ("num_hidden_layers", .integer(config.layerCount)),
            ("patch_size", .integer(config.patchSize)),
        ]
    }

    /// DINOv2 states its MLP width as a ratio to the hidden size; an integral ratio is written
    /// as an integer, as transformers' default (4) is.
    private static func mlpRatio(_ config: VisionConfig) -> JSONText {
        config.intermediateSize % config.hiddenSize == 0
            ? .integer(config.intermediateSize / config.hiddenSize)
            : .number(Double(config.intermediateSize) / Double(config.hiddenSize))
    }

    /// `config.json` of a llava-hf model (LlavaForConditionalGeneration) with a Llama decoder;
    /// `dtype` is transformers' name of the stored dtype ("float32", "bfloat16").
    static func llavaConfig(_ config: LlavaConfig, maxPositions: Int, dtype: String = "float32") -> JSONText {
        let decoder = config.decoder
        let optionalID: (Int?) -> JSONText = { $0.map(JSONText.integer) ?? .null }
        let text: JSONText = .object([
            ("attention_bias", .bool(decoder.attentionBias)),
            ("attention_dropout", .number(0)),
            ("bos_token_id", optionalID(decoder.bosTokenID)),
            ("eos_token_id", optionalID(decoder.eosTokenID)),
            ("head_dim", .integer(decoder.headDim)),
            ("hidden_act", .string("silu")),
            ("hidden_size", .integer(decoder.hiddenSize)),
            ("initializer_range", decimal(decoder.initializerRange)),
            ("intermediate_size", .integer(decoder.intermediateSize)),
            ("max_position_embeddings", .integer(maxPositions)),
            ("mlp_bias", .bool(false)),
            ("model_type", .string("llama")),
            ("num_attention_heads", .integer(decoder.headCount)),
            ("num_hidden_layers", .integer(decoder.layerCount)),
            ("num_key_value_heads", .integer(decoder.kvHeadCount)),
            ("pad_token_id", optionalID(decoder.padTokenID)),
            ("pretraining_tp", .integer(1)),
            ("rms_norm_eps", decimal(decoder.rmsNormEps)),
            ("rope_parameters", .object([("rope_theta", decimal(decoder.ropeTheta)), ("rope_type", .string("default"))])),
            ("tie_word_embeddings", .bool(decoder.tieWordEmbeddings)),
            ("use_cache", .bool(true)),
            ("vocab_size", .integer(decoder.vocabularySize)),
        ])
        return .object([
            ("architectures", .array([.string("LlavaForConditionalGeneration")])),
            ("dtype", .string(dtype)),
            ("image_seq_length", .integer(config.imageTokenCount)),
            ("image_token_index", .integer(config.imageTokenID)),
            ("model_type", .string("llava")),
            ("multimodal_projector_bias", .bool(config.projectorBias)),
            ("projector_hidden_act", .string("gelu")),
            ("text_config", text),
            ("tie_word_embeddings", .bool(decoder.tieWordEmbeddings)),
            ("vision_config", .object(visionMembers(config.vision))),
            ("vision_feature_layer", .integer(config.featureLayer)),
            ("vision_feature_select_strategy", .string(config.dropsClassToken ? "default" : "full")),
        ])
    }

    /// `preprocessor_config.json` for `preprocessor` (transformers' CLIPImageProcessor for a
    /// centre-cropping preset, BitImageProcessor for an exact resize, as DINOv2 teachers use).
    static func preprocessorConfig(_ preprocessor: ImagePreprocessor) -> JSONText {
        let numbers: ([Double]) -> JSONText = { .array($0.map(JSONText.number)) }
        var members: [(String, JSONText)] = []
        if let crop = preprocessor.cropSize {
            members.append(("crop_size", .object([("height", .integer(crop.height)), ("width", .integer(crop.width))])))
        }
        members += [
            ("do_center_crop", .bool(preprocessor.cropSize != nil)),
            ("do_convert_rgb", .bool(true)),
            ("do_normalize", .bool(true)),
            ("do_rescale", .bool(true)),
            ("do_resize", .bool(true)),
            ("image_mean", numbers(preprocessor.mean)),
            ("image_processor_type", .string(preprocessor.cropSize != nil ? "CLIPImageProcessor" : "BitImageProcessor")),
            ("image_std", numbers(preprocessor.std)),
            ("resample", .integer(3)),  // PIL bicubic
            ("rescale_factor", .number(preprocessor.rescaleFactor)),
        ]
        switch preprocessor.resize {
        case .shortestEdge(let edge): members.append(("size", .object([("shortest_edge", .integer(edge))])))
        case .exact(let size): members.append(("size", .object([("height", .integer(size.height)), ("width", .integer(size.width))])))
        }
        return .object(members)
    }

    /// Writes every parameter of `module` as F32 under its key into `url`.
    static func writeWeights(of module: Module, to url: URL) throws {
        var writer = SafeTensorsWriter(metadata: ["format": "pt"])
        for (key, tensor) in module.namedParameters {
            try writer.add(key, shape: tensor.shape, floats: tensor.scalars)
        }
        try writer.write(to: url)
    }

    /// A float as the JSON number of its shortest decimal form (1e-06 rather than 9.99999997e-07).
    private static func decimal(_ value: Float) -> JSONText {
        .number(Double(value.description) ?? Double(value))
    }
}
