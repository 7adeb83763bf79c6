import Foundation

/// One question of a benchmark, ready to be put to a model.
public struct EvaluationItem: Equatable, Sendable {
    /// Identifier that is unique within the benchmark; predictions files refer to it.
    public var questionID: String
    /// The image(s) the question is about, in the order the model should see them.
    public var imagePaths: [URL]
    /// The user turn without the image placeholder: the chat template puts the image
    /// (e.g. LLaVA's `<image>\n`) in front of this text.
    public var prompt: String
    /// The answer key in the vocabulary of the benchmark's parser: "yes"/"no" or an option letter.
    public var answer: String
    /// The answer options in the order shown in the prompt (empty for yes/no questions).
    public var choices: [String]
    /// Grouping used by the metrics, keyed by the names in `Grouping` (split, category, pair, ...).
    public var grouping: [String: String]

    /// Creates an item.
    public init(
        questionID: String, imagePaths: [URL], prompt: String, answer: String,
        choices: [String] = [], grouping: [String: String] = [:]
    ) {
        self.questionID = questionID
        self.imagePaths = imagePaths
        self.prompt = prompt
        self.answer = answer
        self.choices = choices
        self.grouping = grouping
    }

    /// The value of one grouping key, or "" when the item has none.
    public func group(_ key: String) -> String {
        grouping[key] ?? ""
    }
}

/// Names of the grouping keys that benchmarks attach to their items.
public enum Grouping {
    /// POPE negative-sampling split: random, popular or adversarial.
    public static let split = "split"
    /// Task or category: CV-Bench task, MME category, MMStar core category.
    public static let category = "category"
    /// Finer category: MMStar L2 category.
    public static let subcategory = "subcategory"
    /// Image source: CV-Bench's ADE20K / COCO.
    public static let source = "source"
    /// Items that are scored together: an MMVP pair, the two questions of an MME image,
    /// a What's Up left/right or on/under pair.
    public static let pair = "pair"
    /// What's Up: the four images of one object pair.
    public static let set = "set"
    /// What's Up subset, e.g. controlled_a or coco_one.
    public static let subset = "subset"
}
