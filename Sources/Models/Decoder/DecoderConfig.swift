/// The shape of a Llama-family decoder (Llama, Vicuna, Qwen2), read from a transformers config.
public struct DecoderConfig: Equatable, Sendable {
    public var modelType: String
    public var vocabularySize: Int
    public var hiddenSize: Int
    public var intermediateSize: Int
    public var layerCount: Int
    public var headCount: Int
    public var kvHeadCount: Int
    public var headDim: Int
    public var rmsNormEps: Float
    public var ropeTheta: Float
    /// q/k/v projections carry biases (Qwen2 always; Llama when `attention_bias`).
    public var attentionBias: Bool
    /// The output projection shares the input embedding matrix.
    public var tieWordEmbeddings: Bool
    public var bosTokenID: Int?
    public var eosTokenID: Int?
    public var padTokenID: Int?
    public var initializerRange: Float

    public init(modelType: String = "llama", vocabularySize: Int, hiddenSize: Int, intermediateSize: Int,
                layerCount: Int, headCount: Int, kvHeadCount: Int, headDim: Int? = nil, rmsNormEps: Float = 1e-5,
                ropeTheta: Float = 10000, attentionBias: Bool = false, tieWordEmbeddings: Bool = false,
                bosTokenID: Int? = 1, eosTokenID: Int? = 2, padTokenID: Int? = nil, initializerRange: Float = 0.02) {
        self.modelType = modelType
        self.vocabularySize = vocabularySize
        self.hiddenSize = hiddenSize
        self.intermediateSize = intermediateSize
        self.layerCount = layerCount
        self.headCount = headCount
        self.kvHeadCount = kvHeadCount
        self.headDim = headDim ?? hiddenSize / headCount
        self.rmsNormEps = rmsNormEps
        self.ropeTheta = ropeTheta
        self.attentionBias = attentionBias
        self.tieWordEmbeddings = tieWordEmbeddings
        self.bosTokenID = bosTokenID
        self.eosTokenID = eosTokenID
        self.padTokenID = padTokenID
        self.initializerRange = initializerRange
    }

    /// Reads a `LlamaConfig`/`Qwen2Config` (transformers 4.x or 5.x) or the original LLaVA's
    /// `llava_llama` config.
    public init(_ config: JSONConfig) throws {
        let type = try config.string("model_type", default: "llama")
        guard ["llama", "qwen2", "mistral", "llava_llama", "llava_qwen2", "llava_qwen"].contains(type) else {
            throw ConfigError(origin: config.origin, message: "model_type \"\(type)\" is not a supported decoder (llama, qwen2, mistral)")
        }
        var theta = try config.float("rope_theta", default: 10000)
        if let rope = config.child("rope_parameters") ?? config.child("rope_scaling") {
            let ropeType = try rope.string("rope_type", default: try rope.string("type", default: "default"))
            guard ropeType == "default" else {
                throw ConfigError(origin: rope.origin, message: "rope_type \"\(ropeType)\" is not supported (only \"default\")")
            }
            theta = try rope.float("rope_theta", default: theta)
        }
        let hidden = try config.int("hidden_size"), heads = try config.int("num_attention_heads")
        let declaredBias = try config.bool("attention_bias", default: false)
        guard heads > 0 else { throw ConfigError(origin: config.origin, message: "num_attention_heads must be positive, not \(heads)") }
        self.init(
            modelType: type.contains("qwen") ? "qwen2" : (type == "llava_llama" ? "llama" : type),
            vocabularySize: try config.int("vocab_size"), hiddenSize: hidden,
            intermediateSize: try config.int("intermediate_size"), layerCount: try config.int("num_hidden_layers"),
            headCount: heads, kvHeadCount: try config.int("num_key_value_heads", default: heads),
            headDim: config.has("head_dim") ? try config.int("head_dim") : nil,
            rmsNormEps: try config.float("rms_norm_eps", default: 1e-6), ropeTheta: theta,
            attentionBias: type.contains("qwen") || declaredBias,
            tieWordEmbeddings: try config.bool("tie_word_embeddings", default: false),
            bosTokenID: config.intOrFirst("bos_token_id"), eosTokenID: config.intOrFirst("eos_token_id"),
            padTokenID: config.intOrFirst("pad_token_id"),
            initializerRange: try config.float("initializer_range", default: 0.02))
        guard vocabularySize > 0, hiddenSize > 0, intermediateSize > 0, layerCount > 0, headDim > 0, headCount > 0,
              kvHeadCount > 0, headCount % kvHeadCount == 0 else {
            throw ConfigError(origin: config.origin, message: "sizes must be positive and \(headCount) attention heads must split evenly over \(kvHeadCount) key/value heads")
        }
    }
}
