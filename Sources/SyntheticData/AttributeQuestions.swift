/// Attribute questions about an object singled out by its other attribute:
/// "What color is the star?" → "red" and "What shape is the red object?" → "star".
enum AttributeQuestions {
    /// A scene with one object of a random category and 1–3 others that differ from it in the
    /// attribute that names it (the kind for `.color` questions, the colour for `.shape` ones).
    static func make(_ kind: QuestionKind, side: Int, sample: String,
                     using generator: inout SeededGenerator) throws -> (scene: Scene, question: Question) {
        precondition(kind == .color || kind == .shape, "not an attribute kind: \(kind)")
        let target = generator.element(of: ObjectCategory.all)
        let fillers = generator.integer(in: 1...3)
        let scene = try SceneLayout.compose(side: side, sample: sample, using: &generator) {
            layout, generator -> Scene? in
            let sizes = SizeClass.choices(forObjectCount: fillers + 1)
            guard layout.add(target, size: generator.element(of: sizes), using: &generator) != nil,
                  layout.addFillers(fillers, sizes: sizes, using: &generator, where: { category in
                      kind == .color ? category.kind != target.kind : category.color != target.color
                  })
            else { return nil }
            return layout.scene
        }
        let question: Question
        if kind == .color {
            question = Question(kind: kind, query: .color(of: target.kind), answer: .color(target.color),
                                prompt: colorQuestion(target.kind), instruction: PromptText.shortAnswer,
                                response: target.color.name)
        } else {
            question = Question(kind: kind, query: .kind(of: target.color), answer: .kind(target.kind),
                                prompt: "What shape is the \(target.color.name) object?",
                                instruction: PromptText.shortAnswer,
                                response: target.kind.name)
        }
        return (scene, question)
    }

    /// "What color is the star?"
    static func colorQuestion(_ kind: ShapeKind) -> String {
        "What color is the \(kind.name)?"
    }
}
