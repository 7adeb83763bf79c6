/// Spatial-relation questions between two objects that are the only ones of their categories:
/// CV-Bench Relation style (two options on one axis) and What's Up style (four captions).
enum RelationQuestions {
    /// Two distinct categories drawn uniformly: the subject and the reference.
    static func randomPair(using generator: inout SeededGenerator) -> (subject: ObjectCategory, reference: ObjectCategory) {
        let subject = generator.element(of: ObjectCategory.all)
        let reference = generator.element(of: ObjectCategory.all.filter { $0 != subject })
        return (subject, reference)
    }

    /// Places the reference anywhere and the subject where `relation` holds between them; returns
    /// the subject's index in the layout, or nil when no position was found.
    static func placePair(_ layout: inout SceneLayout, subject: ObjectCategory, subjectSize: SizeClass,
                          reference: ObjectCategory, referenceSize: SizeClass, relation: SpatialRelation,
                          using generator: inout SeededGenerator) -> Int? {
        guard let placedReference = layout.add(reference, size: referenceSize, using: &generator),
              layout.add(subject, size: subjectSize, using: &generator,
                         where: { SpatialRelation.of($0, to: placedReference) == relation }) != nil
        else { return nil }
        return layout.objects.count - 1
    }

    /// A CV-Bench Relation question: subject, reference and 0–3 other objects; options are the two
    /// relations of a random axis.
    static func choice(side: Int, sample: String,
                       using generator: inout SeededGenerator) throws -> (scene: Scene, question: Question) {
        let (subject, reference) = randomPair(using: &generator)
        let relation = generator.element(of: SpatialRelation.allCases)
        let fillers = generator.integer(in: 0...3)
        let scene = try SceneLayout.compose(side: side, sample: sample, using: &generator) {
            layout, generator -> Scene? in
            let sizes = SizeClass.choices(forObjectCount: fillers + 2)
            guard placePair(&layout, subject: subject, subjectSize: generator.element(of: sizes),
                            reference: reference, referenceSize: generator.element(of: sizes),
                            relation: relation, using: &generator) != nil,
                  layout.addFillers(fillers, sizes: sizes, using: &generator,
                                    where: { $0 != subject && $0 != reference })
            else { return nil }
            return layout.scene
        }
        let choices = generator.shuffled(relation.axis.relations).map(\.rawValue)
        let correct = choices.firstIndex(of: relation.rawValue)!
        let prompt = PromptText.cvBench(PromptText.relationPromptQuestion(subject, reference), choices: choices)
        return (scene, Question(kind: .relationChoice, query: .relation(subject: subject, reference: reference),
                                answer: .relation(relation), prompt: prompt, instruction: PromptText.optionLetter,
                                response: PromptText.letter(correct),
                                choices: choices, correctChoice: correct))
    }

    /// The four What's Up captions of an object pair, the one for `relation` first and the others
    /// in `SpatialRelation` order, as the Controlled files list them.
    static func captions(_ subject: ObjectCategory, _ reference: ObjectCategory,
                         correct relation: SpatialRelation) -> [String] {
        ([relation] + SpatialRelation.allCases.filter { $0 != relation })
            .map { PromptText.caption(subject, $0, reference) }
    }

    /// A two-object scene (as in What's Up's Controlled images) with the relation `relation`.
    static func captionScene(subject: ObjectCategory, subjectSize: SizeClass, reference: ObjectCategory,
                             referenceSize: SizeClass, relation: SpatialRelation, background: Background?,
                             side: Int, sample: String, using generator: inout SeededGenerator) throws -> Scene {
        try SceneLayout.compose(side: side, sample: sample, using: &generator) { layout, generator -> Scene? in
            if let background { layout.background = background }
            guard placePair(&layout, subject: subject, subjectSize: subjectSize, reference: reference,
                            referenceSize: referenceSize, relation: relation, using: &generator) != nil
            else { return nil }
            return layout.scene
        }
    }

    /// A What's Up style training question: two objects, four captions shown in random order.
    static func caption(side: Int, sample: String,
                        using generator: inout SeededGenerator) throws -> (scene: Scene, question: Question) {
        let (subject, reference) = randomPair(using: &generator)
        let relation = generator.element(of: SpatialRelation.allCases)
        let scene = try captionScene(
            subject: subject, subjectSize: generator.element(of: SizeClass.allCases), reference: reference,
            referenceSize: generator.element(of: SizeClass.allCases), relation: relation, background: nil,
            side: side, sample: sample, using: &generator)
        let captions = captions(subject, reference, correct: relation)
        let shown = generator.shuffled(captions)
        let correct = shown.firstIndex(of: captions[0])!
        return (scene, Question(kind: .relationCaption, query: .relation(subject: subject, reference: reference),
                                answer: .relation(relation), prompt: PromptText.whatsUp(captions: shown),
                                instruction: PromptText.optionLetter, response: PromptText.letter(correct),
                                choices: shown, correctChoice: correct))
    }
}
