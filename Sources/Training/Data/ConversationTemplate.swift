import Text

/// The label of a position that is not learned (PyTorch's `ignore_index`).
public let ignoredLabel = -100

/// Turns a conversation into the token ids and labels a model is trained on, and renders the
/// prompt it generates from.
public protocol ConversationTemplate: Sendable {
    /// The template's name in configurations and on the command line (LLaVA's `version`).
    var name: String { get }

    /// Checks that the tokenizer has what the template needs (its special tokens, say).
    func validate(for context: TemplateContext) throws

    /// Why this template cannot render `conversation`, or nil.
    func problem(with conversation: Conversation) -> RecordProblem?

    /// Token ids and labels for training; the image placeholder becomes one
    /// `context.imageTokenID` whose label is `ignoredLabel`.
    func encode(_ conversation: Conversation, using context: TemplateContext) -> EncodedConversation

    /// Token ids of the conversation followed by the assistant's turn header ("ASSISTANT:",
    /// "<|im_start|>assistant\n"), from which a model generates the reply. The conversation
    /// must end with a human turn.
    func encodePrompt(_ conversation: Conversation, using context: TemplateContext) -> [Int]
}

/// The template called `name`: `plain`, `vicuna_v1` (also `v1`) or `chatml` (also `qwen`),
/// each with its defaults.
public func conversationTemplate(named name: String) throws -> any ConversationTemplate {
    switch name.lowercased() {
    case "plain": return PlainTemplate()
    case "vicuna_v1", "v1": return VicunaV1Template()
    case "chatml", "qwen": return ChatMLTemplate()
    default:
        throw TrainingDataError.invalidConfiguration(
            "unknown conversation template \"\(name)\" (expected plain, vicuna_v1 or chatml)")
    }
}

/// A conversation's token ids and labels.
public struct EncodedConversation: Hashable, Sendable {
    /// Token ids.
    public var inputIDs: [Int]
    /// One label per id: the id where it is learned, `ignoredLabel` elsewhere.
    public var labels: [Int]
    /// Whether LLaVA's consistency check failed (its round-by-round token count disagreed with
    /// the whole conversation's), so that, as in LLaVA, no label is learned.
    public var labelsMaskedForMismatch: Bool

    /// Creates an encoding; `labels` must be as long as `inputIDs`.
    public init(inputIDs: [Int], labels: [Int], labelsMaskedForMismatch: Bool = false) {
        precondition(inputIDs.count == labels.count, "one label per token id")
        self.inputIDs = inputIDs
        self.labels = labels
        self.labelsMaskedForMismatch = labelsMaskedForMismatch
    }
}

/// The tokenizer and the ids a template encodes with.
public struct TemplateContext: Sendable {
    /// The tokenizer.
    public let tokenizer: Tokenizer
    /// The id written where the image goes: the model's `image_token_index`, or LLaVA's -200.
    public let imageTokenID: Int
    /// The padding id; LLaVA counts a sample's length as its ids that differ from it.
    public let padTokenID: Int
    /// LLaVA's `model_max_length`: its label consistency check only runs below this length.
    public let modelMaxLength: Int

    /// Creates a context.
    public init(tokenizer: Tokenizer, imageTokenID: Int, padTokenID: Int, modelMaxLength: Int) {
        self.tokenizer = tokenizer
        self.imageTokenID = imageTokenID
        self.padTokenID = padTokenID
        self.modelMaxLength = modelMaxLength
    }

    /// LLaVA's `tokenizer_image_token`: the text is split at each `<image>`, every piece is
    /// tokenized on its own (with the tokenizer's special tokens when `addSpecialTokens`, and so,
    /// for a Llama tokenizer, with a BOS and a leading "▁" each), the BOS is kept once at the
    /// front and dropped from the other pieces, and `imageTokenID` joins the pieces.
    public func tokenize(_ text: String, addSpecialTokens: Bool = true) -> [Int] {
        let pieces = PythonText.split(text, separator: imagePlaceholder)
            .map { tokenizer.encode($0, addSpecialTokens: addSpecialTokens) }
        var ids: [Int] = []
        var offset = 0
        if let first = pieces.first?.first, first == tokenizer.bosTokenID {
            offset = 1
            ids.append(first)
        }
        for (index, piece) in pieces.enumerated() {
            if index > 0 { ids.append(imageTokenID) }
            ids += piece.dropFirst(offset)
        }
        return ids
    }

    /// The id of a token the template needs, or an error naming it.
    func requiredID(of token: String, for template: String) throws -> Int {
        guard let id = tokenizer.id(for: token) else {
            throw TrainingDataError.invalidConfiguration(
                "the \(template) template needs the token \"\(token)\", which the tokenizer does not have")
        }
        return id
    }
}

extension EncodedConversation {
    /// Sets the label of every image position to `ignoredLabel` (the model predicts no image
    /// token; LLaVA does this when it inserts the image features).
    mutating func ignoreImagePositions(_ imageTokenID: Int) {
        for position in inputIDs.indices where inputIDs[position] == imageTokenID {
            labels[position] = ignoredLabel
        }
    }
}
