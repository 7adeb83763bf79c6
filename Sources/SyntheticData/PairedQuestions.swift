/// The one detail in which the two images of an MMVP-style pair differ.
public enum PairChange: String, CaseIterable, Sendable {
    /// One object has another colour.
    case color
    /// One object has moved to the other side of a reference object.
    case position
    /// One more object of a category.
    case count
}

/// Two scenes that differ in one detail, and the two-option question whose answer differs
/// between them (MMVP, Tong et al. 2024).
public struct ScenePair: Hashable, Sendable {
    public var change: PairChange
    public var scenes: [Scene]
    /// The question asked of both images, without options.
    public var question: String
    /// The two options, the same for both images.
    public var options: [String]
    /// The question about each scene, with its answer and its correct option.
    public var questions: [Question]
}

/// Builds MMVP-style pairs.
enum PairedQuestions {
    /// A pair whose difference is `change`; the images come in random order.
    static func make(_ change: PairChange, side: Int, sample: String,
                     using generator: inout SeededGenerator) throws -> ScenePair {
        var pair: ScenePair
        switch change {
        case .color: pair = try colorPair(side: side, sample: sample, using: &generator)
        case .position: pair = try positionPair(side: side, sample: sample, using: &generator)
        case .count: pair = try countPair(side: side, sample: sample, using: &generator)
        }
        if generator.chance(0.5) {
            pair.scenes.reverse()
            pair.questions.reverse()
        }
        return pair
    }

    /// The only object of a kind, in two colours; 1–3 objects of other kinds beside it.
    private static func colorPair(side: Int, sample: String, using generator: inout SeededGenerator) throws -> ScenePair {
        let kind = generator.element(of: ShapeKind.allCases)
        let colors = Array(generator.shuffled(ShapeColor.allCases).prefix(2))
        let fillers = generator.integer(in: 1...3)
        let first = try SceneLayout.compose(side: side, sample: sample, using: &generator) {
            layout, generator -> SceneLayout? in
            let sizes = SizeClass.choices(forObjectCount: fillers + 1)
            guard layout.add(ObjectCategory(color: colors[0], kind: kind), size: generator.element(of: sizes),
                             using: &generator) != nil,
                  layout.addFillers(fillers, sizes: sizes, using: &generator, where: { $0.kind != kind })
            else { return nil }
            return layout
        }
        var second = first
        second.recolor(objectAt: 0, to: colors[1])
        let options = generator.shuffled(colors)
        return makePair(.color, scenes: [first.scene, second.scene],
                        question: AttributeQuestions.colorQuestion(kind),
                        options: options.map { PromptText.capitalized($0.name) },
                        query: .color(of: kind), answers: colors.map(Answer.color),
                        correct: colors.map { options.firstIndex(of: $0)! })
    }

    /// The only subject object on one side of the only reference object, then on the other;
    /// 0–2 other objects stay put.
    private static func positionPair(side: Int, sample: String,
                                     using generator: inout SeededGenerator) throws -> ScenePair {
        let (subject, reference) = RelationQuestions.randomPair(using: &generator)
        let relation = generator.element(of: SpatialRelation.allCases)
        let fillers = generator.integer(in: 0...2)
        let layouts = try SceneLayout.compose(side: side, sample: sample, using: &generator) {
            layout, generator -> [SceneLayout]? in
            let sizes = SizeClass.choices(forObjectCount: fillers + 2)
            guard let subjectIndex = RelationQuestions.placePair(
                      &layout, subject: subject, subjectSize: generator.element(of: sizes), reference: reference,
                      referenceSize: generator.element(of: sizes), relation: relation, using: &generator),
                  layout.addFillers(fillers, sizes: sizes, using: &generator,
                                    where: { $0 != subject && $0 != reference })
            else { return nil }
            let placedReference = layout.objects[subjectIndex - 1]
            var moved = layout
            guard moved.move(objectAt: subjectIndex, using: &generator,
                             where: { SpatialRelation.of($0, to: placedReference) == relation.opposite })
            else { return nil }
            return [layout, moved]
        }
        let options = relation.axis.relations
        let question = relation.axis == .horizontal
            ? "Is the \(subject.name) to the left or to the right of the \(reference.name)?"
            : "Is the \(subject.name) above or below the \(reference.name)?"
        let relations = [relation, relation.opposite]
        return makePair(.position, scenes: layouts.map(\.scene), question: question,
                        options: options.map { PromptText.capitalized($0.rawValue) },
                        query: .relation(subject: subject, reference: reference), answers: relations.map(Answer.relation),
                        correct: relations.map { options.firstIndex(of: $0)! })
    }

    /// 1–4 objects of a category, then one more; 0–2 objects of other categories.
    private static func countPair(side: Int, sample: String, using generator: inout SeededGenerator) throws -> ScenePair {
        let category = generator.element(of: ObjectCategory.all)
        let count = generator.integer(in: 1...4)
        let fillers = generator.integer(in: 0...min(2, CountingQuestions.maximumObjects - count - 1))
        let layouts = try SceneLayout.compose(side: side, sample: sample, using: &generator) {
            layout, generator -> [SceneLayout]? in
            let sizes = SizeClass.choices(forObjectCount: count + fillers + 1)
            guard layout.addFillers(count, sizes: sizes, using: &generator, where: { $0 == category }),
                  layout.addFillers(fillers, sizes: sizes, using: &generator, where: { $0 != category })
            else { return nil }
            var more = layout
            guard more.add(category, size: generator.element(of: sizes), using: &generator) != nil else { return nil }
            return [layout, more]
        }
        let filter = ObjectFilter(color: category.color, kind: category.kind)
        return makePair(.count, scenes: layouts.map(\.scene), question: CountingQuestions.cvBenchQuestion(filter),
                        options: [String(count), String(count + 1)], query: .count(filter),
                        answers: [.number(count), .number(count + 1)], correct: [0, 1])
    }

    /// Assembles a pair with one question per scene in MMVP's format.
    private static func makePair(_ change: PairChange, scenes: [Scene], question: String, options: [String],
                                 query: Query, answers: [Answer], correct: [Int]) -> ScenePair {
        let prompt = PromptText.mmvp(question, options: options)
        let questions = zip(answers, correct).map { answer, correct in
            Question(kind: .pairChoice, query: query, answer: answer, prompt: prompt,
                     instruction: PromptText.optionLetter, response: PromptText.letter(correct),
                     choices: options, correctChoice: correct)
        }
        return ScenePair(change: change, scenes: scenes, question: question, options: options, questions: questions)
    }
}
