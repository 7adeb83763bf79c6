import Foundation

/// Drills that teach a decoder to check a question's words against the image: several POPE-style
/// yes/no questions about one scene, asked inside its training conversation, half about something
/// it shows and half about something it does not, so that neither the question nor the image
/// alone tells an answer.
///
/// Why several per image: asked one balanced existence question per image, the built-in decoder
/// sat at chance (loss ln 2 / 2) for 1000–2000 steps in 3 of 4 runs, answering every question
/// about an image alike; asked four per image, where each image is both a "yes" and a "no", the
/// loss left chance within 400 steps in each run tried (colour drills: `viral train` seeds 1 and 2
/// from the shipped warm start, and `prepare-models` seed 0, 2026-12-06).
public enum ExistenceDrill {
    /// What the questions name.
    public enum Subject: String, CaseIterable, Sendable {
        /// A colour: "Is there a red shape in the image?"
        case color
        /// A category, with near-miss negatives that share a colour or a kind with an object of
        /// the scene: "Is there a red star in the image?" beside a red circle and a blue star.
        case category
    }

    /// One question of a drill with its answer.
    public struct Item: Hashable, Sendable {
        /// "Is there a red shape in the image?"
        public var prompt: String
        /// Whether the scene shows what the question names.
        public var present: Bool
        /// "Yes" or "No".
        public var response: String { present ? "Yes" : "No" }
        /// The user turn without the image placeholder: the prompt and the short-answer instruction.
        public var text: String { prompt + "\n" + PromptText.shortAnswer }

        /// The question and its answer as two LLaVA conversation turns.
        var turns: [[String: String]] { [["from": "human", "value": text], ["from": "gpt", "value": response]] }
    }

    /// Up to `count` distinct questions about `scene`, alternately about something present and
    /// something absent (as many of each as the scene allows), in a random order.
    static func items(about scene: Scene, subject: Subject, count: Int,
                      using generator: inout SeededGenerator) -> [Item] {
        let (present, absent) = candidates(in: scene, subject: subject)
        var presentPool = generator.shuffled(present), absentPool = generator.shuffled(absent)
        var items: [Item] = []
        for index in 0..<count {
            let asksPresent = index % 2 == 0
            guard let name = asksPresent ? presentPool.popLast() : absentPool.popLast() else { continue }
            items.append(Item(prompt: ExistenceQuestions.popeQuestion(name), present: asksPresent))
        }
        return generator.shuffled(items)
    }

    /// The two checks a training conversation adds after its benchmark question: one about a
    /// colour and one about a category (a near miss when absent), one answered "Yes" and the other
    /// "No" (which is which drawn at random), in a random order — so the conversation's image is
    /// both a "yes" and a "no", as in a drill.
    static func checks(about scene: Scene, using generator: inout SeededGenerator) -> [Item] {
        let colorPresent = generator.chance(0.5)
        let picks: [(Subject, Bool)] = [(.color, colorPresent), (.category, !colorPresent)]
        let items = picks.compactMap { subject, present -> Item? in
            let (presentNames, absentNames) = candidates(in: scene, subject: subject)
            let names = present ? presentNames : absentNames
            guard !names.isEmpty else { return nil }
            return Item(prompt: ExistenceQuestions.popeQuestion(generator.element(of: names)), present: present)
        }
        return generator.shuffled(items)
    }

    /// The phrases ("a red shape", "an orange star") of what the scene shows and of what a
    /// question may ask about as absent.
    static func candidates(in scene: Scene, subject: Subject) -> (present: [String], absent: [String]) {
        let categories = Set(scene.categories)
        switch subject {
        case .color:
            let colors = Set(categories.map(\.color))
            let phrase = { (color: ShapeColor) in PromptText.withArticle(color.name + " shape") }
            return (ShapeColor.allCases.filter(colors.contains).map(phrase),
                    ShapeColor.allCases.filter { !colors.contains($0) }.map(phrase))
        case .category:
            let nearMisses = ObjectCategory.all.filter { candidate in
                !categories.contains(candidate)
                    && categories.contains { $0.color == candidate.color || $0.kind == candidate.kind }
            }
            return (ObjectCategory.all.filter(categories.contains).map(\.nameWithArticle), nearMisses.map(\.nameWithArticle))
        }
    }

    /// A `train.json` that adds drills to the conversations of `split`: for each record,
    /// `questionsPerImage` questions on `subject`, each with the short-answer instruction, asked
    /// after the record's own question and checks and before its description (a question the
    /// checks already ask is left out). Drawn from the seed's "drill" stream.
    ///
    /// Why inside the split's conversations: drills alone (four questions, nothing else) for 1600
    /// steps left the built-in LLaVA answering every CV-Bench question of the seed-21 split with
    /// "Yes", "No" or nothing and "Describe the image." with "Yes" (2026-12-07); the demo's
    /// training then had to teach the formats again.
    public static func annotations(for split: TrainingSplit, subject: Subject, questionsPerImage: Int,
                                   seed: UInt64) throws -> Data {
        let objects: [[String: Any]] = split.records.enumerated().map { index, record in
            var generator = SeededGenerator(seed: seed, stream: "drill \(subject.rawValue)", index: index)
            let checked = Set(record.checks.map(\.prompt))
            let drill = items(about: record.scene, subject: subject, count: questionsPerImage, using: &generator)
                .filter { !checked.contains($0.prompt) }
            return ["id": record.id, "image": record.imagePath, "conversations": record.conversation(adding: drill)]
        }
        return try DataFileFormat.json(objects)
    }
}
