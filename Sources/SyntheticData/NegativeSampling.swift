/// POPE's three ways of choosing absent objects to ask about (Li et al. 2023), for shapes.
public enum NegativeSampling: String, CaseIterable, Sendable {
    /// Absent categories drawn uniformly.
    case random
    /// The most frequent categories of the dataset that are absent from the image.
    case popular
    /// The absent categories that "co-occur" most with the present ones. Shapes co-occur by
    /// sharing an attribute, so these are the near misses: same colour and another kind, or same
    /// kind and another colour, ranked by how many present categories they share an attribute with
    /// (then by frequency). For a red circle and a blue star: "red star" and "blue circle" first.
    case adversarial

    /// `count` distinct categories absent from `present`, chosen by this strategy;
    /// `frequencyRanking` lists all categories from most to least frequent in the dataset.
    func negatives(count: Int, present: Set<ObjectCategory>, frequencyRanking: [ObjectCategory],
                   using generator: inout SeededGenerator) -> [ObjectCategory] {
        let absent = frequencyRanking.filter { !present.contains($0) }
        switch self {
        case .random:
            return Array(generator.shuffled(absent).prefix(count))
        case .popular:
            return Array(absent.prefix(count))
        case .adversarial:
            let score = { (candidate: ObjectCategory) in
                present.filter { $0.color == candidate.color || $0.kind == candidate.kind }.count
            }
            // A stable sort by score keeps the frequency order among equal scores.
            let ranked = absent.enumerated().sorted { (score($0.element), $1.offset) > (score($1.element), $0.offset) }
            return ranked.prefix(count).map(\.element)
        }
    }
}

/// POPE-style existence questions: "Is there a red circle in the image?" → "Yes" / "No".
enum ExistenceQuestions {
    /// The question text as POPE words it, about a phrase with its article ("a red circle").
    static func popeQuestion(_ phrase: String) -> String {
        "Is there \(phrase) in the image?"
    }

    /// A training question: 2–5 objects from the prior; half the questions ask about a present
    /// category, the others about an absent one chosen by a random strategy (popularity by the prior).
    static func make(side: Int, sample: String,
                     using generator: inout SeededGenerator) throws -> (scene: Scene, question: Question) {
        let objectCount = generator.integer(in: 2...5)
        let scene = try SceneLayout.compose(side: side, sample: sample, using: &generator) {
            layout, generator -> Scene? in
            layout.addFillers(objectCount, sizes: SizeClass.choices(forObjectCount: objectCount),
                              using: &generator, where: { _ in true }) ? layout.scene : nil
        }
        let present = scene.categories
        let asksPresent = generator.chance(0.5)
        let category: ObjectCategory
        if asksPresent {
            category = generator.element(of: present)
        } else {
            let strategy = generator.element(of: NegativeSampling.allCases)
            category = strategy.negatives(count: 1, present: Set(present), frequencyRanking: CategoryPrior.byFrequency,
                                          using: &generator)[0]
        }
        return (scene, Question(kind: .existence, query: .existence(category), answer: .yesNo(asksPresent),
                                prompt: popeQuestion(category.nameWithArticle), instruction: PromptText.shortAnswer,
                                response: asksPresent ? "Yes" : "No"))
    }
}
