/// LLaVA's `plain` template for stage 1 (projector pre-training), as `preprocess_plain` builds it:
/// the text is `<image>` + caption + `\n`, whatever the human turn said; the BOS (if the
/// tokenizer adds one) and the image are not learned, the caption and the `\n` are.
public struct PlainTemplate: ConversationTemplate {
    /// `plain`.
    public let name = "plain"

    /// Creates the template.
    public init() {}

    /// Nothing to check: the template uses no special token.
    public func validate(for context: TemplateContext) throws {}

    /// The template needs an image and exactly a human turn followed by the caption.
    public func problem(with conversation: Conversation) -> RecordProblem? {
        let isPair = conversation.turns.count == 2 && conversation.turns[0].speaker == .human
        return isPair && conversation.hasImage
            ? nil : .notACaptionPair(turnCount: conversation.turns.count, hasImage: conversation.hasImage)
    }

    /// `<image>` + caption + `\n`; everything after the image is learned.
    public func encode(_ conversation: Conversation, using context: TemplateContext) -> EncodedConversation {
        precondition(problem(with: conversation) == nil, "the plain template needs an image and a caption pair")
        let ids = context.tokenize(imagePlaceholder + conversation.turns[1].text + "\n")
        let promptLength = context.tokenize(imagePlaceholder).count
        var encoded = EncodedConversation(
            inputIDs: ids,
            labels: ids.indices.map { $0 < promptLength ? ignoredLabel : ids[$0] })
        encoded.ignoreImagePositions(context.imageTokenID)
        return encoded
    }

    /// The image alone (`<image>`), from which the model writes a caption.
    public func encodePrompt(_ conversation: Conversation, using context: TemplateContext) -> [Int] {
        context.tokenize(conversation.hasImage ? imagePlaceholder : "")
    }
}
