/// The text the LLaVA code base uses for "the image goes here".
public let imagePlaceholder = "<image>"

/// A conversation ready for a template: human and assistant turns alternating from a human
/// turn, with the image placeholder where LLaVA puts it.
public struct Conversation: Hashable, Sendable {
    /// The turns: human, assistant, human, … (it may end with either).
    public var turns: [ConversationTurn]
    /// Whether an image goes with the conversation; then exactly one human turn starts with
    /// `<image>\n`.
    public var hasImage: Bool

    /// Creates a conversation from turns that already follow the rules above.
    public init(turns: [ConversationTurn], hasImage: Bool) {
        self.turns = turns
        self.hasImage = hasImage
    }

    /// A one-question conversation for generation: with an image, the question is preceded by
    /// `<image>\n` as in LLaVA's evaluation scripts (a placeholder already in it is moved there).
    public static func prompt(question: String, hasImage: Bool) -> Conversation {
        let text = hasImage ? movingPlaceholderToFront(question) : question
        return Conversation(turns: [ConversationTurn(.human, text)], hasImage: hasImage)
    }

    /// The conversation of `record` with LLaVA's preprocessing, or what makes it unusable.
    ///
    /// As LLaVA's `preprocess_v1` does, a leading assistant turn is dropped; the rest must
    /// alternate human, assistant, … . As `preprocess_multimodal` does, the human turn holding
    /// `<image>` becomes `<image>\n` + the rest of its text (all placeholders removed, then
    /// stripped). LLaVA would silently mis-train on records where the placeholders do not match
    /// the image (none, several turns, an assistant turn, or no image at all); those are reported.
    public static func normalizing(_ record: ConversationRecord) -> Result<Conversation, RecordProblem> {
        let hasImage = record.image != nil
        guard !record.turns.isEmpty else { return .failure(.emptyConversation) }
        guard record.turns.contains(where: { $0.speaker == .human }) else { return .failure(.noHumanTurn) }

        let droppedCount = record.turns[0].speaker == .gpt ? 1 : 0
        var turns = Array(record.turns.dropFirst(droppedCount))
        for (position, turn) in turns.enumerated() {
            let expected: Speaker = position % 2 == 0 ? .human : .gpt
            if turn.speaker != expected {
                return .failure(.turnOutOfOrder(turn: position + droppedCount, found: turn.speaker, expected: expected))
            }
        }

        let placeholderTurns = turns.indices.filter { PythonText.contains(turns[$0].text, imagePlaceholder) }
        if let first = placeholderTurns.first, !hasImage {
            return .failure(.placeholderWithoutImage(turn: first + droppedCount))
        }
        if let assistantTurn = placeholderTurns.first(where: { turns[$0].speaker == .gpt }) {
            return .failure(.placeholderInAssistantTurn(turn: assistantTurn + droppedCount))
        }
        if hasImage {
            guard let imageTurn = placeholderTurns.first else { return .failure(.missingPlaceholder) }
            guard placeholderTurns.count == 1 else {
                return .failure(.placeholdersInSeveralTurns(turns: placeholderTurns.map { $0 + droppedCount }))
            }
            turns[imageTurn].text = movingPlaceholderToFront(turns[imageTurn].text)
        }
        return .success(Conversation(turns: turns, hasImage: hasImage))
    }

    /// LLaVA's `preprocess_multimodal`: `("<image>\n" + text.replace("<image>", "").strip()).strip()`.
    static func movingPlaceholderToFront(_ text: String) -> String {
        let rest = PythonText.strip(PythonText.removingAll(imagePlaceholder, from: text))
        return PythonText.strip(imagePlaceholder + "\n" + rest)
    }
}
