/// The wording of questions and prompts. Training questions end with the same instructions that
/// `Evaluation` appends to each benchmark's questions (lmms-eval's and LLaVA-1.5's), so a model
/// trained on the training split meets the evaluation prompts it was trained for.
enum PromptText {
    /// Appended by `Evaluation` to POPE questions (and used for every open question here).
    static let shortAnswer = "Answer the question using a single word or phrase."
    /// Appended by `Evaluation` to CV-Bench, MMVP and What's Up prompts.
    static let optionLetter = "Answer with the option's letter from the given choices directly."

    /// The letter of option `index`: "A", "B", ...
    static func letter(_ index: Int) -> String {
        String(UnicodeScalar(UInt8(65 + index)))
    }

    /// A CV-Bench record's `prompt`: the question, then "(A) …" lines.
    static func cvBench(_ question: String, choices: [String]) -> String {
        let options = choices.enumerated().map { "(\(letter($0.offset))) \($0.element)" }
        return "\(question) Select from the following choices.\n" + options.joined(separator: "\n")
    }

    /// What `Evaluation` shows for a What's Up item: the captions as "A. …" lines.
    static func whatsUp(captions: [String]) -> String {
        "Which caption describes the image correctly?\n" + lettered(captions)
    }

    /// What `Evaluation` shows for an MMVP item: the question, then "A. …\nB. …".
    static func mmvp(_ question: String, options: [String]) -> String {
        question + "\n" + lettered(options)
    }

    /// A What's Up caption: "A red circle to the left of a blue square".
    static func caption(_ subject: ObjectCategory, _ relation: SpatialRelation, _ reference: ObjectCategory) -> String {
        let text = "\(subject.nameWithArticle) \(relation.captionPhrase) \(reference.nameWithArticle)"
        return text.prefix(1).uppercased() + text.dropFirst()
    }

    /// A CV-Bench Relation question: "Where is the red circle located with respect to the blue square?"
    static func relationQuestion(_ subject: ObjectCategory, _ reference: ObjectCategory) -> String {
        "Where is the \(subject.name) located with respect to the \(reference.name)?"
    }

    /// A CV-Bench Relation prompt's question, which names both objects first, as CV-Bench does.
    static func relationPromptQuestion(_ subject: ObjectCategory, _ reference: ObjectCategory) -> String {
        "Considering the relative positions of the \(subject.name) and the \(reference.name) in the image "
            + "provided, where is the \(subject.name) located with respect to the \(reference.name)?"
    }

    /// "a red circle", "an orange shape": the phrase after the indefinite article its first letter takes.
    static func withArticle(_ phrase: String) -> String {
        (phrase.first.map { "aeiou".contains($0) } ?? false ? "an " : "a ") + phrase
    }

    /// "Hello" → "Hello", "left" → "Left".
    static func capitalized(_ word: String) -> String {
        word.prefix(1).uppercased() + word.dropFirst()
    }

    private static func lettered(_ options: [String]) -> String {
        options.enumerated().map { "\(letter($0.offset)). \($0.element)" }.joined(separator: "\n")
    }
}
