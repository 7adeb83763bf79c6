import Models
import Tensor
import Training
import Vision

/// How a reply is generated.
public struct ReplyOptions: Sendable {
    /// Most new tokens.
    public var maxNewTokens: Int
    /// 0 = greedy; otherwise the logits are divided by it before sampling.
    public var temperature: Float
    /// Nucleus sampling mass (1 = the whole distribution).
    public var topP: Float
    /// Seed of the sampler (used when `temperature` > 0).
    public var seed: UInt64
    /// Text that ends a reply besides the template's stop strings.
    public var extraStopStrings: [String]

    /// Greedy, up to `maxNewTokens` tokens, by default.
    public init(maxNewTokens: Int = 512, temperature: Float = 0, topP: Float = 1, seed: UInt64 = 0,
                extraStopStrings: [String] = []) {
        self.maxNewTokens = maxNewTokens
        self.temperature = temperature
        self.topP = topP
        self.seed = seed
        self.extraStopStrings = extraStopStrings
    }

    /// Throws when a value cannot work.
    func validate() throws {
        guard maxNewTokens > 0 else { throw ExperimentError("max tokens must be positive (got \(maxNewTokens))") }
        guard temperature >= 0, temperature.isFinite else {
            throw ExperimentError("temperature must be 0 (greedy) or positive (got \(temperature))")
        }
        guard topP > 0, topP <= 1 else { throw ExperimentError("top-p must lie in (0, 1] (got \(topP))") }
        if extraStopStrings.contains("") { throw ExperimentError("a stop string must not be empty") }
    }
}

/// A generated reply.
public struct Reply: Sendable, Equatable {
    /// Why generation ended.
    public enum Ending: String, Sendable {
        /// An end-of-sequence or end-of-turn token.
        case stopToken
        /// A stop string appeared in the text.
        case stopString
        /// The token budget ran out.
        case maxTokens
    }

    /// The reply's text: special tokens dropped, cut before the first stop string, white space
    /// trimmed at both ends (as LLaVA's evaluation scripts do).
    public var text: String
    /// Every generated id, the final stop token included.
    public var tokenIDs: [Int]
    /// Why generation ended.
    public var ending: Ending
}

extension ChatModel {
    /// Continues `inputIDs` (image placeholders already expanded to `imageTokenCount` ids) with
    /// the image's pixel values spliced in; stops on `options.stopTokenIDs`, after
    /// `options.maxNewTokens`, or once the decoded new text contains one of `stopStrings`.
    /// This is the single generation path of `reply`, `viral generate`, `viral chat` and `viral eval`.
    /// - Parameter visualTokenHook: transforms the projected visual tokens [images, N, D] first
    ///   (the patch-shuffle analysis).
    public func generateTokens(inputIDs: [Int], pixelValues: Tensor?, options: GenerationOptions,
                               stopStrings: [String] = [],
                               visualTokenHook: ((Tensor) -> Tensor)? = nil) throws -> [Int] {
        let embeddings = try noGrad {
            try model.inputEmbeddings(inputIDs: [inputIDs], pixelValues: pixelValues, visualTokenHook: visualTokenHook).embeddings
        }
        let tokenizer = self.tokenizer
        let endsWithStopString: (([Int]) -> Bool)? = stopStrings.isEmpty ? nil : { generated in
            let text = tokenizer.decode(generated)
            return stopStrings.contains { text.contains($0) }
        }
        return model.languageModel.generate(promptEmbeddings: embeddings, options: options, shouldStop: endsWithStopString)
    }

    /// The assistant's reply to a conversation that ends with a human turn. `image` is required
    /// when the conversation has one and ignored otherwise.
    public func reply(to conversation: Conversation, image: RGBImage?, options: ReplyOptions = ReplyOptions(),
                      visualTokenHook: ((Tensor) -> Tensor)? = nil) throws -> Reply {
        try options.validate()
        guard conversation.turns.last?.speaker == .human else {
            throw ExperimentError("a conversation to reply to must end with a human turn")
        }
        var pixels: Tensor?
        if conversation.hasImage {
            guard let image else { throw ExperimentError("the conversation refers to an image but none was given") }
            pixels = pixelValues(for: image)
        }
        let ids = promptIDs(for: conversation)
        let stops = stopStrings + options.extraStopStrings
        let generation = GenerationOptions(maxNewTokens: options.maxNewTokens, temperature: options.temperature,
                                           topP: options.topP, stopTokenIDs: stopTokenIDs, seed: options.seed)
        let generated = try generateTokens(inputIDs: ids, pixelValues: pixels, options: generation,
                                           stopStrings: stops, visualTokenHook: visualTokenHook)
        return makeReply(generated, stopStrings: stops)
    }

    /// The reply to one question about an image (or without one), as LLaVA's evaluation asks it:
    /// `<image>\n` before the question, rendered by the template.
    public func answer(_ question: String, image: RGBImage?, options: ReplyOptions = ReplyOptions(),
                       visualTokenHook: ((Tensor) -> Tensor)? = nil) throws -> Reply {
        try reply(to: Conversation.prompt(question: question, hasImage: image != nil), image: image,
                  options: options, visualTokenHook: visualTokenHook)
    }

    /// Replies to several questions about the same image (or none) in one batched generation
    /// (left-padded prompts sharing a KV cache); each reply equals what `answer` gives alone,
    /// except that sampling draws from one stream per question.
    public func answers(_ questions: [String], image: RGBImage?, options: ReplyOptions = ReplyOptions()) throws -> [Reply] {
        try options.validate()
        let pixels = image.map { pixelValues(for: $0) }
        let prompts = try questions.map { question -> Tensor in
            let ids = promptIDs(for: Conversation.prompt(question: question, hasImage: image != nil))
            return try noGrad { try model.inputEmbeddings(inputIDs: [ids], pixelValues: pixels).embeddings }
        }
        let generation = GenerationOptions(maxNewTokens: options.maxNewTokens, temperature: options.temperature,
                                           topP: options.topP, stopTokenIDs: stopTokenIDs, seed: options.seed)
        let stops = stopStrings + options.extraStopStrings
        return model.languageModel.generate(batch: prompts, options: generation).map { makeReply($0, stopStrings: stops) }
    }

    private func makeReply(_ generated: [Int], stopStrings: [String]) -> Reply {
        var text = tokenizer.decode(generated, skipSpecialTokens: true)
        var ending = Reply.Ending.maxTokens
        if let last = generated.last, stopTokenIDs.contains(last) { ending = .stopToken }
        let cuts = stopStrings.compactMap { text.range(of: $0)?.lowerBound }
        if let cut = cuts.min() {
            text = String(text[..<cut])
            ending = .stopString
        }
        return Reply(text: text.trimmingCharacters(in: .whitespacesAndNewlines), tokenIDs: generated, ending: ending)
    }
}
