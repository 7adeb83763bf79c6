/// What a benchmark's parser read from a model's raw answer.
public enum ParsedAnswer: Equatable, Sendable {
    /// An answer in the vocabulary of the answer key ("yes"/"no", "A", "B", ...).
    case answer(String)
    /// The parser found no usable answer; it never counts as correct.
    case unrecognized

    /// The parsed answer, or nil when it was not recognised.
    public var text: String? {
        if case let .answer(text) = self { return text }
        return nil
    }
}

/// A model's answer to one item, parsed and judged.
public struct ScoredPrediction: Equatable, Sendable {
    /// The question that was asked.
    public var item: EvaluationItem
    /// The model's answer as generated.
    public var rawAnswer: String
    /// What the benchmark's parser read from `rawAnswer`.
    public var parsed: ParsedAnswer
    /// Whether the parsed answer matches the item's answer key.
    public var isCorrect: Bool

    /// Creates a scored prediction.
    public init(item: EvaluationItem, rawAnswer: String, parsed: ParsedAnswer, isCorrect: Bool) {
        self.item = item
        self.rawAnswer = rawAnswer
        self.parsed = parsed
        self.isCorrect = isCorrect
    }
}
