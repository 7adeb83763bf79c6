import Foundation
import Models
import VIRAL

/// A training-step benchmark config (`shared/bench/train-*.json`): the model a VIRAL training step
/// runs on and the batch it sees. Field names follow transformers configs, so the same file
/// drives `torch_reference.py`.
public struct TrainingBenchmarkConfiguration {
    public var name: String
    public var batch: Int
    /// Text tokens per row, after the image tokens.
    public var textTokens: Int
    /// Side of the square images, in pixels.
    public var imageSize: Int
    /// The frozen CLIP-style tower whose features feed the projector.
    public var tower: VisionConfig
    /// Which of the tower's hidden states is projected (negative counts from the end).
    public var featureLayer: Int
    /// The frozen DINOv2-style teacher whose patch features are the alignment target.
    public var teacher: VisionConfig
    public var decoder: DecoderConfig
    public var projector: ProjectorKind
    public var alignment: AlignmentConfiguration
    public var learningRate: Float
    public var beta1: Float, beta2: Float, eps: Float
    public var weightDecay: Float
    /// Threads the step runs on (kernels and OpenBLAS).
    public var threads: Int

    /// Visual tokens per image (the tower's patches; its class token is dropped).
    public var imageTokens: Int { (imageSize / tower.patchSize) * (imageSize / tower.patchSize) }
    /// Decoder positions per row: image tokens, then text tokens.
    public var sequenceLength: Int { imageTokens + textTokens }

    /// Reads a config file.
    public init(contentsOf url: URL) throws {
        try self.init(JSONConfig(contentsOf: url))
    }

    /// Reads a parsed config; a missing, malformed or unsupported field throws an error naming it.
    public init(_ config: JSONConfig) throws {
        name = try config.string("name", default: "unnamed")
        batch = try config.int("batch")
        textTokens = try config.int("text_tokens")
        imageSize = try config.int("image_size")
        threads = try config.int("threads", default: 2)
        let vision = try Self.section("vision", of: config)
        tower = try VisionConfig(vision.withModelType("clip_vision_model"))
        featureLayer = try vision.int("feature_layer", default: -2)
        teacher = try VisionConfig(try Self.section("teacher", of: config).withModelType("dinov2"))
        decoder = try DecoderConfig(try Self.section("llm", of: config).withModelType("llama"))
        let projectorName = try config.string("projector")
        guard let projector = ProjectorKind(rawValue: projectorName) else {
            throw ConfigError(origin: config.origin, message: "projector \"\(projectorName)\" is not one of linear, mlp2x_gelu")
        }
        self.projector = projector
        let alignment = try Self.section("alignment", of: config)
        let objectiveName = try alignment.string("objective", default: "cosine")
        guard let objective = AlignmentObjective(rawValue: objectiveName) else {
            throw ConfigError(origin: alignment.origin, message: "objective \"\(objectiveName)\" is not one of cosine, relation")
        }
        self.alignment = AlignmentConfiguration(layers: [try alignment.int("layer")], weight: try alignment.float("weight"),
                                                objective: objective, projectorSize: try alignment.int("projector_dim"))
        let optimizer = try Self.section("optimizer", of: config)
        let optimizerName = try optimizer.string("name", default: "adamw")
        guard optimizerName == "adamw" else {
            throw ConfigError(origin: optimizer.origin, message: "name \"\(optimizerName)\" is not supported (only adamw)")
        }
        learningRate = try optimizer.float("lr")
        let betas = optimizer.values["betas"] as? [NSNumber] ?? [0.9, 0.999]
        guard betas.count == 2 else { throw ConfigError(origin: optimizer.origin, message: "\"betas\" should hold two numbers") }
        (beta1, beta2) = (betas[0].floatValue, betas[1].floatValue)
        eps = try optimizer.float("eps", default: 1e-8)
        weightDecay = try optimizer.float("weight_decay", default: 0)
        try validate(origin: config.origin)
    }

    private static func section(_ key: String, of config: JSONConfig) throws -> JSONConfig {
        guard let child = config.child(key) else { throw ConfigError(origin: config.origin, message: "has no \"\(key)\" object") }
        return child
    }

    private func validate(origin: String) throws {
        func check(_ condition: Bool, _ message: String) throws {
            if !condition { throw ConfigError(origin: origin, message: message) }
        }
        try check(batch > 0 && textTokens >= 2, "\"batch\" must be positive and \"text_tokens\" at least 2")
        try check(imageSize == tower.imageSize, "\"image_size\" \(imageSize) differs from the tower's vision.image_size \(tower.imageSize)")
        try check(imageSize % teacher.patchSize == 0 && imageSize % tower.patchSize == 0,
                  "\"image_size\" \(imageSize) is not a multiple of the patch sizes")
        try check(teacher.imageSize / teacher.patchSize == tower.imageSize / tower.patchSize,
                  "the teacher's patch grid differs from the tower's (the alignment targets would need resampling)")
        try check(featureLayer >= -(tower.layerCount + 1) && featureLayer <= tower.layerCount,
                  "vision.feature_layer \(featureLayer) is outside the tower's \(tower.layerCount + 1) hidden states")
        try check(alignment.layers.allSatisfy { $0 >= 1 && $0 <= decoder.layerCount },
                  "alignment.layer \(alignment.layers[0]) is outside the decoder's blocks 1…\(decoder.layerCount)")
        try check(threads > 0, "\"threads\" must be positive")
    }
}

extension JSONConfig {
    /// The same values with `model_type` set (the benchmark's sections leave it out).
    fileprivate func withModelType(_ type: String) -> JSONConfig {
        var values = self.values
        values["model_type"] = type
        return JSONConfig(values: values, origin: origin)
    }
}
