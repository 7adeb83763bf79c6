import Foundation

/// A Hugging Face `tokenizer.json` tokenizer that encodes and decodes exactly as the `tokenizers`
/// library does, for BPE models: SentencePiece-style BPE with byte fallback (Llama, Vicuna) and
/// byte-level BPE (GPT-2, Qwen2, Llama 3).
///
/// The pipeline is the library's: added tokens are cut out of the input, the rest is normalized,
/// pre-tokenized into words, each word is split by the BPE model, and the post-processor adds the
/// template's special tokens. The file's `truncation` and `padding` settings are not applied.
public final class Tokenizer: @unchecked Sendable {
    /// The values of `tokenizer_config.json`, when one was read.
    public let configuration: TokenizerConfiguration?
    /// The file's `added_tokens`, in file order.
    public var addedTokens: [AddedToken] { addedVocabulary.tokens }
    /// The number of distinct tokens: the model vocabulary plus added tokens not in it (the
    /// library's `get_vocab_size(with_added_tokens=True)`).
    public let vocabularySize: Int

    private let normalizer: Normalizer?
    private let preTokenizer: PreTokenizer?
    private let model: BPEModel
    private let postProcessor: PostProcessor?
    private let decoder: Decoder?
    private let addedVocabulary: AddedVocabulary
    private let addedTokenContentOfID: [Int: String]
    /// How the library spells added tokens when decoding: a `normalized: true` token as the
    /// normalizer rewrites it (for Llama's legacy normalizer `<x>` becomes `▁<x>`).
    private let addedTokenDecodingFormOfID: [Int: String]
    private let addedTokenIDOfContent: [String: Int]
    private let specialTokenContents: Set<String>

    /// Loads `url` (a `tokenizer.json`) and, when they exist beside it, `tokenizer_config.json`
    /// and `chat_template.jinja` (used as the chat template when the configuration has none).
    public convenience init(contentsOf url: URL) throws {
        let folder = url.deletingLastPathComponent()
        let configurationURL = folder.appendingPathComponent("tokenizer_config.json")
        var configuration = FileManager.default.fileExists(atPath: configurationURL.path)
            ? try TokenizerConfiguration(contentsOf: configurationURL) : nil
        let templateURL = folder.appendingPathComponent("chat_template.jinja")
        if configuration?.chatTemplate == nil, FileManager.default.fileExists(atPath: templateURL.path) {
            do {
                let template = try String(contentsOf: templateURL, encoding: .utf8)
                configuration = configuration ?? TokenizerConfiguration()
                configuration?.chatTemplate = template
            } catch {
                throw TokenizerError.unreadableFile(file: templateURL.path, reason: error.localizedDescription)
            }
        }
        try self.init(contentsOf: url, configuration: configuration)
    }

    /// Loads the `tokenizer.json` at `url` with an explicit (or no) configuration.
    public init(contentsOf url: URL, configuration: TokenizerConfiguration?) throws {
        let root = try loadJSON(url)
        self.configuration = configuration
        normalizer = try root.optional("normalizer").map(Normalizer.init)
        preTokenizer = try root.optional("pre_tokenizer").map(PreTokenizer.init)
        postProcessor = try root.optional("post_processor").map(PostProcessor.init)
        decoder = try root.optional("decoder").map(Decoder.init)

        let modelNode = try root.required("model")
        let modelType = try modelNode.string("type") ?? (modelNode.optional("merges") != nil ? "BPE" : "(none)")
        guard modelType == "BPE" else {
            throw TokenizerError.unsupportedComponent(file: url.path, component: "model", type: modelType)
        }
        model = try BPEModel(modelNode)

        let tokens = try root.optional("added_tokens")?.array().map(Self.readAddedToken) ?? []
        addedVocabulary = AddedVocabulary(tokens: tokens, normalizer: normalizer)
        var contentOfID: [Int: String] = [:]
        var idOfContent: [String: Int] = [:]
        for token in tokens {
            contentOfID[token.id] = token.content
            idOfContent[token.content] = token.id
        }
        addedTokenContentOfID = contentOfID
        var decodingFormOfID = contentOfID
        if let normalizer {
            for token in tokens where token.isNormalized {
                let scalars = normalizer.normalize(Array(token.content.unicodeScalars))
                decodingFormOfID[token.id] = String(String.UnicodeScalarView(scalars))
            }
        }
        addedTokenDecodingFormOfID = decodingFormOfID
        addedTokenIDOfContent = idOfContent
        specialTokenContents = Set(tokens.filter(\.isSpecial).map(\.content))
        let modelVocabulary = model.vocabulary
        vocabularySize = modelVocabulary.count + idOfContent.keys.filter { modelVocabulary[$0] == nil }.count
    }

    private static func readAddedToken(_ node: JSONNode) throws -> AddedToken {
        let content = try node.required("content").string()
        guard !content.isEmpty else { throw node.invalid("has an empty content") }
        let isSpecial = try node.bool("special", default: false)
        return AddedToken(id: try node.required("id").int(),
                          content: content,
                          isSpecial: isSpecial,
                          isNormalized: try node.bool("normalized", default: !isSpecial),
                          stripsLeft: try node.bool("lstrip", default: false),
                          stripsRight: try node.bool("rstrip", default: false),
                          isSingleWord: try node.bool("single_word", default: false))
    }

    /// The token ids of `text`; with `addSpecialTokens` the post-processor's template (a BOS
    /// token, say) is applied.
    public func encode(_ text: String, addSpecialTokens: Bool = true) -> [Int] {
        var ids: [Int] = []
        for segment in addedVocabulary.segments(of: text, normalizer: normalizer) {
            switch segment {
            case .token(let id):
                ids.append(id)
            case .text(let piece):
                for word in preTokenizer?.apply([piece]) ?? [piece] {
                    model.tokenize(word.scalars, into: &ids)
                }
            }
        }
        return postProcessor?.process(ids, addSpecialTokens: addSpecialTokens) ?? ids
    }

    /// The text of `ids`. Special tokens are rendered as their text unless `skipSpecialTokens`;
    /// ids outside the vocabulary are ignored.
    public func decode(_ ids: [Int], skipSpecialTokens: Bool = false) -> String {
        let tokens = ids.compactMap { addedTokenDecodingFormOfID[$0] ?? model.tokenOfID[$0] }
            .filter { !skipSpecialTokens || !specialTokenContents.contains($0) }
        return decoder?.decode(tokens) ?? tokens.joined(separator: " ")
    }

    /// The id of a token string (added tokens first, then the model vocabulary).
    public func id(for token: String) -> Int? {
        addedTokenIDOfContent[token] ?? model.vocabulary[token]
    }

    /// The token string of an id (added tokens first, then the model vocabulary). An added token
    /// is given as written in the file, even where `decode` uses its normalized spelling.
    public func token(for id: Int) -> String? {
        addedTokenContentOfID[id] ?? model.tokenOfID[id]
    }

    /// Whether `id` is a special added token.
    public func isSpecialToken(_ id: Int) -> Bool {
        addedTokenContentOfID[id].map(specialTokenContents.contains) ?? false
    }

    /// The id of the configuration's BOS token.
    public var bosTokenID: Int? { configuration?.bosToken.flatMap(id(for:)) }
    /// The id of the configuration's EOS token.
    public var eosTokenID: Int? { configuration?.eosToken.flatMap(id(for:)) }
    /// The id of the configuration's padding token.
    public var padTokenID: Int? { configuration?.padToken.flatMap(id(for:)) }
}
