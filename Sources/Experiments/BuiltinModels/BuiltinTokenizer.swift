import Foundation

/// A small Llama-style tokenizer learned from the synthetic corpus: SentencePiece-style BPE with
/// byte fallback, written as a Hugging Face `tokenizer.json` + `tokenizer_config.json` that the
/// `Text` module (and transformers' `LlamaTokenizerFast`) reads.
///
/// Vocabulary: `<unk>` = 0, `<s>` = 1, `</s>` = 2, the byte tokens `<0x00>`…`<0xFF>` (3…258), the
/// single characters of the corpus (after normalization, so "▁" and "\n" among them), then the
/// tokens of the merges that make every corpus word one token ("▁red", "▁circles", "USER"). Two
/// added special tokens follow the model vocabulary: `<image>` (LLaVA's image placeholder) and
/// `<pad>`. The pipeline is Llama-2's: normalizer Prepend("▁") + Replace(" " → "▁"), no
/// pre-tokenizer, a `<s>` prepended by the post-processor, decoder Replace("▁" → " "),
/// ByteFallback, Fuse, Strip one leading space.
public struct BuiltinTokenizer: Sendable {
    /// The model vocabulary, token by id.
    public let vocabulary: [String]
    /// The merges in rank order.
    public let merges: [(left: String, right: String)]

    /// The image placeholder token.
    public static let imageToken = "<image>"
    /// The padding token.
    public static let padToken = "<pad>"
    /// The longest input the tokenizer configuration declares (a prompt with its 64 visual
    /// tokens stays well below it).
    public static let modelMaxLength = 512
    static let specialTokens = ["<unk>", "<s>", "</s>"]

    /// Learns the vocabulary from `corpus` (see `SyntheticCorpus.texts`).
    public init(corpus: [String]) {
        var characters = Set<Unicode.Scalar>()
        var wordCounts: [String: Int] = [:]
        for text in corpus {
            let normalized = WordMerges.normalized(text)
            characters.formUnion(normalized.unicodeScalars)
            for word in WordMerges.words(ofNormalized: normalized) { wordCounts[word, default: 0] += 1 }
        }
        let merges = WordMerges.learn(from: wordCounts)
        var vocabulary = Self.specialTokens + (0...255).map { String(format: "<0x%02X>", $0) }
        vocabulary += characters.sorted().map { String($0) }
        var known = Set(vocabulary)
        for merge in merges where known.insert(merge.left + merge.right).inserted {
            vocabulary.append(merge.left + merge.right)
        }
        self.vocabulary = vocabulary
        self.merges = merges
    }

    /// The id of `<image>`.
    public var imageTokenID: Int { vocabulary.count }
    /// The id of `<pad>`.
    public var padTokenID: Int { vocabulary.count + 1 }
    /// Model vocabulary plus added tokens: the decoder's embedding rows.
    public var size: Int { vocabulary.count + 2 }

    /// Writes `tokenizer.json` and `tokenizer_config.json` into `folder`.
    public func write(to folder: URL) throws {
        try tokenizerJSON.data.write(to: folder.appendingPathComponent("tokenizer.json"), options: .atomic)
        try configurationJSON.data.write(to: folder.appendingPathComponent("tokenizer_config.json"), options: .atomic)
    }

    /// The `tokenizer.json` document.
    var tokenizerJSON: JSONText {
        let added = Self.specialTokens.enumerated().map { addedToken($0.element, id: $0.offset) }
            + [addedToken(Self.imageToken, id: imageTokenID), addedToken(Self.padToken, id: padTokenID)]
        let bos: JSONText = .object([("SpecialToken", .object([("id", .string("<s>")), ("type_id", .integer(0))]))])
        func sequence(_ name: String, _ type: Int) -> JSONText {
            .object([("Sequence", .object([("id", .string(name)), ("type_id", .integer(type))]))])
        }
        let secondBOS: JSONText = .object([("SpecialToken", .object([("id", .string("<s>")), ("type_id", .integer(1))]))])
        return .object([
            ("version", .string("1.0")),
            ("truncation", .null),
            ("padding", .null),
            ("added_tokens", .array(added)),
            ("normalizer", .object([
                ("type", .string("Sequence")),
                ("normalizers", .array([
                    .object([("type", .string("Prepend")), ("prepend", .string("\u{2581}"))]),
                    .object([("type", .string("Replace")), ("pattern", .object([("String", .string(" "))])),
                             ("content", .string("\u{2581}"))]),
                ])),
            ])),
            ("pre_tokenizer", .null),
            ("post_processor", .object([
                ("type", .string("TemplateProcessing")),
                ("single", .array([bos, sequence("A", 0)])),
                ("pair", .array([bos, sequence("A", 0), secondBOS, sequence("B", 1)])),
                ("special_tokens", .object([
                    ("<s>", .object([("id", .string("<s>")), ("ids", .array([.integer(1)])),
                                     ("tokens", .array([.string("<s>")]))])),
                ])),
            ])),
            ("decoder", .object([
                ("type", .string("Sequence")),
                ("decoders", .array([
                    .object([("type", .string("Replace")), ("pattern", .object([("String", .string("\u{2581}"))])),
                             ("content", .string(" "))]),
                    .object([("type", .string("ByteFallback"))]),
                    .object([("type", .string("Fuse"))]),
                    .object([("type", .string("Strip")), ("content", .string(" ")), ("start", .integer(1)),
                             ("stop", .integer(0))]),
                ])),
            ])),
            ("model", .object([
                ("type", .string("BPE")),
                ("dropout", .null),
                ("unk_token", .string("<unk>")),
                ("continuing_subword_prefix", .null),
                ("end_of_word_suffix", .null),
                ("fuse_unk", .bool(true)),
                ("byte_fallback", .bool(true)),
                ("ignore_merges", .bool(false)),
                ("vocab", .object(vocabulary.enumerated().map { ($0.element, .integer($0.offset)) })),
                ("merges", .array(merges.map { .array([.string($0.left), .string($0.right)]) })),
            ])),
        ])
    }

    /// The `tokenizer_config.json` document (LLaVA's Vicuna settings: BOS added, no EOS, legacy).
    var configurationJSON: JSONText {
        .object([
            ("add_bos_token", .bool(true)),
            ("add_eos_token", .bool(false)),
            ("bos_token", .string("<s>")),
            ("clean_up_tokenization_spaces", .bool(false)),
            ("eos_token", .string("</s>")),
            ("legacy", .bool(true)),
            ("model_max_length", .integer(Self.modelMaxLength)),
            ("pad_token", .string(Self.padToken)),
            ("padding_side", .string("right")),
            ("tokenizer_class", .string("LlamaTokenizerFast")),
            ("unk_token", .string("<unk>")),
        ])
    }

    private func addedToken(_ content: String, id: Int) -> JSONText {
        .object([
            ("id", .integer(id)), ("content", .string(content)), ("single_word", .bool(false)),
            ("lstrip", .bool(false)), ("rstrip", .bool(false)), ("normalized", .bool(false)), ("special", .bool(true)),
        ])
    }
}
