import Evaluation
import Foundation
import Tensor

/// Answers benchmark items with a LLaVA model: the item's prompt as one question with its image
/// (`<image>\n` in front, the model's template around it), greedy by default.
public struct ModelAnswerGenerator: AnswerGenerator {
    /// The model.
    public let chat: ChatModel
    /// How answers are generated.
    public var options: ReplyOptions
    /// When set, the visual tokens are shuffled (robustness analysis).
    public var patchShuffle: PatchShuffle?

    /// A generator over `chat` with `options`.
    public init(chat: ChatModel, options: ReplyOptions, patchShuffle: PatchShuffle? = nil) {
        self.chat = chat
        self.options = options
        self.patchShuffle = patchShuffle
    }

    /// The model's raw reply text to `item`.
    public func answer(to item: EvaluationItem) throws -> String {
        guard item.imagePaths.count <= 1 else {
            throw ExperimentError("question \(item.questionID) has \(item.imagePaths.count) images; a LLaVA-1.5 prompt holds one")
        }
        let image = try item.imagePaths.first.map(ChatModel.loadImage)
        let hook = patchShuffle.map { shuffle in { (tokens: Tensor) in shuffle(tokens) } }
        return try chat.answer(item.prompt, image: image, options: options, visualTokenHook: hook).text
    }
}
