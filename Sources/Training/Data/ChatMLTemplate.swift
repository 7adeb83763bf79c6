/// The ChatML template of Qwen2 models as LLaVA-NeXT / LLaVA-OneVision (`conv_qwen`,
/// `preprocess_qwen`) render it:
///
///     <|im_start|>system\nYou are a helpful assistant.<|im_end|>\n
///     <|im_start|>user\n<image>\n{q}<|im_end|>\n<|im_start|>assistant\n{a}<|im_end|>\n…
///
/// Every turn is tokenized on its own without added special tokens (as `apply_chat_template`
/// does for one message); the image placeholder becomes the image id.
public struct ChatMLTemplate: ConversationTemplate {
    /// Which positions are learned.
    public enum Labeling: Hashable, Sendable {
        /// Each assistant reply and the `<|im_end|>` that closes it; nothing else (not the
        /// `<|im_start|>assistant\n` header, not the `\n` after `<|im_end|>`, no system or user token).
        case replies
        /// Exactly LLaVA-OneVision's `preprocess_qwen`: whole assistant turns (header, reply,
        /// `<|im_end|>`, `\n`), plus, in every turn including system and user turns, each
        /// `<|im_start|>`, `<|im_end|>` and each token that is exactly `\n` (LLaVA-NeXT hard-codes
        /// Qwen2's id 198; here it is the tokenizer's id of "\n"). The `\n` after `<image>` in
        /// the user turn is thus learned too.
        case llavaOneVision
    }

    /// `chatml`.
    public let name = "chatml"
    /// The system prompt (LLaVA-NeXT's default "You are a helpful assistant.").
    public var systemMessage: String
    /// Which positions are learned.
    public var labeling: Labeling

    private static let turnStart = "<|im_start|>"
    private static let turnEnd = "<|im_end|>"

    /// Creates the template.
    public init(systemMessage: String = "You are a helpful assistant.", labeling: Labeling = .replies) {
        self.systemMessage = systemMessage
        self.labeling = labeling
    }

    /// The tokenizer must have `<|im_start|>` and `<|im_end|>` as tokens and `\n` as one token.
    public func validate(for context: TemplateContext) throws {
        _ = try context.requiredID(of: Self.turnStart, for: name)
        _ = try context.requiredID(of: Self.turnEnd, for: name)
        guard context.tokenizer.encode("\n", addSpecialTokens: false).count == 1 else {
            throw TrainingDataError.invalidConfiguration("the \(name) template needs \"\\n\" to be one token")
        }
    }

    /// Any alternating conversation can be rendered.
    public func problem(with conversation: Conversation) -> RecordProblem? { nil }

    private func role(of speaker: Speaker) -> String {
        speaker == .human ? "user" : "assistant"
    }

    private func turnText(role: String, content: String) -> String {
        Self.turnStart + role + "\n" + content + Self.turnEnd + "\n"
    }

    /// Ids and labels; see `Labeling` for what is learned.
    public func encode(_ conversation: Conversation, using context: TemplateContext) -> EncodedConversation {
        let header = context.tokenize(Self.turnStart + role(of: .gpt) + "\n", addSpecialTokens: false)
        let systemIDs = context.tokenize(turnText(role: "system", content: systemMessage), addSpecialTokens: false)
        var ids = systemIDs
        var labels = Array(repeating: ignoredLabel, count: systemIDs.count)
        for turn in conversation.turns {
            let turnIDs = context.tokenize(turnText(role: role(of: turn.speaker), content: turn.text),
                                           addSpecialTokens: false)
            ids += turnIDs
            guard turn.speaker == .gpt else {
                labels += Array(repeating: ignoredLabel, count: turnIDs.count)
                continue
            }
            switch labeling {
            case .llavaOneVision:
                labels += turnIDs
            case .replies:
                // The reply starts where the turn's ids leave the header's (a reply starting
                // with white space can merge with the header's "\n"); the final "\n" is not learned.
                let replyStart = zip(header, turnIDs).prefix { $0 == $1 }.count
                labels += turnIDs.indices.map { position in
                    position >= replyStart && position < turnIDs.count - 1 ? turnIDs[position] : ignoredLabel
                }
            }
        }
        if labeling == .llavaOneVision {
            let alwaysLearned = Set([context.tokenizer.id(for: Self.turnStart), context.tokenizer.id(for: Self.turnEnd)]
                .compactMap { $0 } + context.tokenizer.encode("\n", addSpecialTokens: false))
            for position in ids.indices where alwaysLearned.contains(ids[position]) {
                labels[position] = ids[position]
            }
        }
        var encoded = EncodedConversation(inputIDs: ids, labels: labels)
        encoded.ignoreImagePositions(context.imageTokenID)
        return encoded
    }

    /// The system turn, the conversation's turns and `<|im_start|>assistant\n`.
    public func encodePrompt(_ conversation: Conversation, using context: TemplateContext) -> [Int] {
        precondition(conversation.turns.last?.speaker == .human, "a prompt ends with a human turn")
        var text = turnText(role: "system", content: systemMessage)
        for turn in conversation.turns {
            text += turnText(role: role(of: turn.speaker), content: turn.text)
        }
        text += Self.turnStart + role(of: .gpt) + "\n"
        return context.tokenize(text, addSpecialTokens: false)
    }
}
