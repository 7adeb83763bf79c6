/// LLaVA-1.5's `vicuna_v1` template (stage 2), exactly as LLaVA's `preprocess_v1` builds ids and
/// labels:
///
///     SYSTEM USER: <image>\n{q1} ASSISTANT: {a1}</s>USER: {q2} ASSISTANT: {a2}</s>
///
/// The answers and their `</s>` are learned, everything else is not. The labels come from
/// LLaVA's arithmetic, quirks included, not from token boundaries: the prompt is cut at each
/// `</s>` into rounds, each round is tokenized on its own (a BOS and a leading "▁" each), the BOS
/// stands in for the round's `</s>`, and the instruction part ("… ASSISTANT: ") counts two
/// tokens fewer (the BOS and the "▁" of the trailing space, which in the whole text merges
/// into the answer's first token). When a round does not split into exactly one question and one
/// answer at " ASSISTANT: " the remaining tokens are not learned, and when the counted length
/// disagrees with the real one LLaVA learns nothing from the sample (`labelsMaskedForMismatch`).
public struct VicunaV1Template: ConversationTemplate {
    /// LLaVA's `conv_vicuna_v1` system prompt.
    public static let defaultSystemMessage = "A chat between a curious user and an artificial intelligence assistant. "
        + "The assistant gives helpful, detailed, and polite answers to the user's questions."

    /// `vicuna_v1`.
    public let name = "vicuna_v1"
    /// The system prompt.
    public var systemMessage: String
    /// transformers' `legacy` flag of the Llama tokenizer. When false (a non-legacy slow
    /// tokenizer with tokenizers ≥ 0.14), LLaVA counts one token fewer for every round after the
    /// first. A `tokenizer.json` whose normalizer prepends "▁" to every piece behaves as legacy.
    public var legacyTokenizer: Bool

    private static let userRole = "USER"
    private static let assistantRole = "ASSISTANT"
    private static let turnSeparator = " "
    private static let roundSeparator = "</s>"

    /// Creates the template.
    public init(systemMessage: String = defaultSystemMessage, legacyTokenizer: Bool = true) {
        self.systemMessage = systemMessage
        self.legacyTokenizer = legacyTokenizer
    }

    /// Nothing to check: `</s>` is matched as text, as LLaVA does.
    public func validate(for context: TemplateContext) throws {}

    /// Any alternating conversation can be rendered.
    public func problem(with conversation: Conversation) -> RecordProblem? { nil }

    /// The prompt text of LLaVA's `Conversation.get_prompt` (separator style TWO). As there, an
    /// empty message renders as "ROLE:" without a separator, and `replyHeader` adds a final
    /// "ASSISTANT:" to reply to.
    func render(_ turns: [ConversationTurn], replyHeader: Bool) -> String {
        var text = systemMessage + Self.turnSeparator
        for (position, turn) in turns.enumerated() {
            let role = position % 2 == 0 ? Self.userRole : Self.assistantRole
            if turn.text.isEmpty {
                text += role + ":"
            } else {
                text += role + ": " + turn.text + (position % 2 == 0 ? Self.turnSeparator : Self.roundSeparator)
            }
        }
        if replyHeader { text += Self.assistantRole + ":" }
        return text
    }

    /// Ids and labels exactly as LLaVA's `preprocess_v1`.
    public func encode(_ conversation: Conversation, using context: TemplateContext) -> EncodedConversation {
        let prompt = render(conversation.turns, replyHeader: false)
        // Without an image LLaVA tokenizes the whole prompt at once; with no placeholder in the
        // text `tokenize` gives the same ids.
        let ids = context.tokenize(prompt)
        var labels = ids
        let totalLength = ids.filter { $0 != context.padTokenID }.count
        let answerSeparator = Self.turnSeparator + Self.assistantRole + ": "

        func ignore(_ range: Range<Int>) {
            let clamped = range.clamped(to: 0..<labels.count)
            for position in clamped { labels[position] = ignoredLabel }
        }

        var length = 1  // the BOS
        ignore(0..<length)
        for (index, round) in PythonText.split(prompt, separator: Self.roundSeparator).enumerated() {
            if round.isEmpty { break }
            let parts = PythonText.split(round, separator: answerSeparator)
            if parts.count != 2 { break }
            var roundLength = context.tokenize(round).count
            var instructionLength = context.tokenize(parts[0] + answerSeparator).count - 2
            if index != 0 && !legacyTokenizer {
                roundLength -= 1
                instructionLength -= 1
            }
            if instructionLength > 0 { ignore(length..<(length + instructionLength)) }
            length += roundLength
        }
        ignore(length..<max(length, labels.count))

        var encoded = EncodedConversation(inputIDs: ids, labels: labels)
        if length < context.modelMaxLength && length != totalLength {
            encoded.labels = Array(repeating: ignoredLabel, count: ids.count)
            encoded.labelsMaskedForMismatch = true
        }
        encoded.ignoreImagePositions(context.imageTokenID)
        return encoded
    }

    /// `SYSTEM USER: <image>\n{q} ASSISTANT:` (with earlier rounds when the conversation has
    /// them), tokenized as LLaVA's evaluation does.
    public func encodePrompt(_ conversation: Conversation, using context: TemplateContext) -> [Int] {
        precondition(conversation.turns.last?.speaker == .human, "a prompt ends with a human turn")
        return context.tokenize(render(conversation.turns, replyHeader: true))
    }
}
