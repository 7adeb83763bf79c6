import SyntheticData
import Training

/// The texts a model meets in the synthetic experiment, from which the built-in tokenizer learns
/// its vocabulary.
///
/// The corpus is the suite itself — every training question and existence check (prompt and
/// answer-format instruction, as `Evaluation` also words it), answer and scene description,
/// the CV-Bench, MMVP and What's Up prompts, the What's Up captions — plus the `vicuna_v1` system
/// prompt and role headers, the description request, and a lexicon of every name a question can
/// use (each category with and without an article, plurals, capitalised colours and relations,
/// digits, option letters), so that a suite planned with another seed uses no word the tokenizer
/// has not seen.
public enum SyntheticCorpus {
    /// The default plan the tokenizer learns from: enough records that every question form occurs.
    public static let defaultOptions = SynthesisOptions(imageSize: 64, trainingCount: 2000, evaluationCount: 200, seed: 0)

    /// Every distinct text of the suite planned with `options`, the chat template's fixed texts
    /// and the lexicon, in first-seen order.
    public static func texts(options: SynthesisOptions = defaultOptions) throws -> [String] {
        let dataset = try SyntheticDataset(options: options)
        var texts = fixedTexts + lexicon
        for record in dataset.training.records {
            texts += [record.question.text, record.question.response, SceneDescription.text(of: record.scene)]
            texts += record.checks.map(\.text)
        }
        for item in dataset.cvBench.items {
            texts += [item.question.text, item.question.response]
        }
        for pair in dataset.mmvp.pairs {
            texts += pair.questions.flatMap { [$0.text, $0.response] }
        }
        texts += dataset.whatsUp.items.flatMap(\.captions)
        var seen = Set<String>()
        return texts.filter { seen.insert($0).inserted }
    }

    /// The `vicuna_v1` system prompt, the role headers and the answer words of the parsers.
    static let fixedTexts = [VicunaV1Template.defaultSystemMessage, "USER: ", " ASSISTANT: ", "Yes", "No", "yes", "no",
                             SceneDescription.prompt]

    /// Every name a question or answer can use, whatever the seed.
    static var lexicon: [String] {
        var words: [String] = []
        for category in ObjectCategory.all {
            let article = category.nameWithArticle
            words += [category.name, category.pluralName, article, article.prefix(1).uppercased() + article.dropFirst()]
        }
        for color in ShapeColor.allCases {
            words += [color.name, color.name.prefix(1).uppercased() + color.name.dropFirst()]
        }
        for kind in ShapeKind.allCases {
            words += [kind.name, kind.pluralName]
        }
        for relation in SpatialRelation.allCases {
            let name = relation.rawValue
            words += [name, name.prefix(1).uppercased() + name.dropFirst(), relation.captionPhrase]
        }
        words += (0...9).map(String.init) + ["A", "B", "C", "D", "(A)", "(B)", "(C)", "(D)", "A.", "B.", "C.", "D."]
        return words
    }
}
