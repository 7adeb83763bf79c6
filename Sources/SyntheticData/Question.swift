/// The question styles of the training mix; each mirrors one benchmark's format.
public enum QuestionKind: String, CaseIterable, Sendable {
    /// "How many red circles are there?" → "3" (open counting, as MME's count questions).
    case count
    /// CV-Bench Count: four numeric options → "B".
    case countChoice
    /// CV-Bench Relation: left/right or above/below between two objects → "A".
    case relationChoice
    /// What's Up: four captions that differ only in the relation → "C".
    case relationCaption
    /// POPE: "Is there a red circle in the image?" → "Yes" / "No".
    case existence
    /// "What color is the star?" → "red".
    case color
    /// "What shape is the red object?" → "star".
    case shape
    /// MMVP: a two-option question about one image of a pair that differs in one detail → "A".
    case pairChoice
}

/// Which objects a counting question counts: a colour, a kind, or both.
public struct ObjectFilter: Hashable, Sendable {
    public var color: ShapeColor?
    public var kind: ShapeKind?

    /// Creates a filter; at least one of the two should be given.
    public init(color: ShapeColor?, kind: ShapeKind?) {
        self.color = color
        self.kind = kind
    }

    /// Whether objects of a category are counted.
    public func matches(_ category: ObjectCategory) -> Bool {
        (color == nil || category.color == color) && (kind == nil || category.kind == kind)
    }

    /// "red circles", "circles" or "red shapes".
    public var pluralPhrase: String {
        switch (color, kind) {
        case let (color?, kind?): return "\(color.name) \(kind.pluralName)"
        case let (nil, kind?): return kind.pluralName
        case let (color?, nil): return "\(color.name) shapes"
        case (nil, nil): return "shapes"
        }
    }
}

/// What a question asks about a scene, in a form a test can re-evaluate from the object list.
public enum Query: Hashable, Sendable {
    /// How many objects the filter matches.
    case count(ObjectFilter)
    /// Whether an object of the category is present.
    case existence(ObjectCategory)
    /// The relation of the only `subject` object to the only `reference` object.
    case relation(subject: ObjectCategory, reference: ObjectCategory)
    /// The colour of the only object of a kind.
    case color(of: ShapeKind)
    /// The kind of the only object of a colour.
    case kind(of: ShapeColor)
}

/// The answer to a query.
public enum Answer: Hashable, Sendable {
    case number(Int)
    case yesNo(Bool)
    case relation(SpatialRelation)
    case color(ShapeColor)
    case kind(ShapeKind)
}

/// A question about one scene with its answer, in the text form a model sees.
public struct Question: Hashable, Sendable {
    public var kind: QuestionKind
    public var query: Query
    /// The answer, known from how the scene was built.
    public var answer: Answer
    /// The question with its options, in the benchmark's format (what its files hold).
    public var prompt: String
    /// The answer-format instruction that `Evaluation` appends to the benchmark's prompts.
    public var instruction: String
    /// The short answer a model should give: "3", "Yes", "B", "red".
    public var response: String
    /// The options in the order shown (empty for open questions).
    public var choices: [String]
    /// The index of the correct option in `choices` (nil for open questions).
    public var correctChoice: Int?

    /// Creates a question.
    public init(kind: QuestionKind, query: Query, answer: Answer, prompt: String, instruction: String,
                response: String, choices: [String] = [], correctChoice: Int? = nil) {
        self.kind = kind
        self.query = query
        self.answer = answer
        self.prompt = prompt
        self.instruction = instruction
        self.response = response
        self.choices = choices
        self.correctChoice = correctChoice
    }

    /// The user turn without the image placeholder: the prompt, a newline and the instruction.
    public var text: String { prompt + "\n" + instruction }
}
