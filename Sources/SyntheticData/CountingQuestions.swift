/// Counting questions: open ("How many red circles are there?" → "3") and CV-Bench Count style
/// (four numeric options → a letter).
enum CountingQuestions {
    /// The most objects a counting scene holds, so that even the smallest image stays uncluttered.
    static let maximumObjects = 6

    /// A scene with 0–5 objects matching a random filter among up to 6 objects, and its question.
    static func make(_ kind: QuestionKind, side: Int, sample: String,
                     using generator: inout SeededGenerator) throws -> (scene: Scene, question: Question) {
        precondition(kind == .count || kind == .countChoice, "not a counting kind: \(kind)")
        let filter = randomFilter(using: &generator)
        let count = generator.index(weightedBy: [1, 4, 4, 4, 4, 3])
        let distractors = count == 0 ? generator.integer(in: 1...3)
            : generator.integer(in: 0...min(3, maximumObjects - count))
        let scene = try SceneLayout.compose(side: side, sample: sample, using: &generator) {
            layout, generator -> Scene? in
            populate(&layout, filter: filter, count: count, distractors: distractors, using: &generator)
                ? layout.scene : nil
        }
        let query = Query.count(filter)
        guard kind == .countChoice else {
            return (scene, Question(kind: kind, query: query, answer: .number(count),
                                    prompt: "How many \(filter.pluralPhrase) are there?",
                                    instruction: PromptText.shortAnswer, response: String(count)))
        }
        let question = cvBenchQuestion(filter)
        let choices = countChoices(answer: count, using: &generator)
        let correct = choices.firstIndex(of: String(count))!
        return (scene, Question(kind: kind, query: query, answer: .number(count),
                                prompt: PromptText.cvBench(question, choices: choices),
                                instruction: PromptText.optionLetter, response: PromptText.letter(correct),
                                choices: choices, correctChoice: correct))
    }

    /// The question as CV-Bench words it: "How many red circles are in the image?"
    static func cvBenchQuestion(_ filter: ObjectFilter) -> String {
        "How many \(filter.pluralPhrase) are in the image?"
    }

    /// Four distinct counts in random order, the answer among them, the others within 3 of it.
    static func countChoices(answer: Int, using generator: inout SeededGenerator) -> [String] {
        let others = generator.shuffled(Array(max(0, answer - 3)...(answer + 3)).filter { $0 != answer })
        return generator.shuffled([answer] + others.prefix(3)).map(String.init)
    }

    /// Colour and kind (half the time), kind only or colour only (a quarter each), uniformly.
    static func randomFilter(using generator: inout SeededGenerator) -> ObjectFilter {
        let color = generator.element(of: ShapeColor.allCases), kind = generator.element(of: ShapeKind.allCases)
        switch generator.index(weightedBy: [2, 1, 1]) {
        case 0: return ObjectFilter(color: color, kind: kind)
        case 1: return ObjectFilter(color: nil, kind: kind)
        default: return ObjectFilter(color: color, kind: nil)
        }
    }

    /// Adds `count` objects the filter matches and `distractors` it does not; half the time the
    /// distractors share the colour or the kind of a fully specified filter, to be hard to tell apart.
    static func populate(_ layout: inout SceneLayout, filter: ObjectFilter, count: Int, distractors: Int,
                         using generator: inout SeededGenerator) -> Bool {
        let sizes = SizeClass.choices(forObjectCount: count + distractors)
        guard layout.addFillers(count, sizes: sizes, using: &generator, where: filter.matches) else { return false }
        let nearMiss = filter.color != nil && filter.kind != nil && generator.chance(0.5)
        return layout.addFillers(distractors, sizes: sizes, using: &generator) { category in
            !filter.matches(category)
                && (!nearMiss || category.color == filter.color || category.kind == filter.kind)
        }
    }
}
