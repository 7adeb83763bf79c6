import ArgumentParser
import Experiments
import Foundation

/// The options that pick a LLaVA model, its tokenizer and its template.
struct ModelOptions: ParsableArguments {
    @Option(help: "LLaVA model folder (config.json + safetensors).")
    var model: String

    @Option(help: "A tokenizer.json or the folder holding it (default: the model folder).")
    var tokenizer: String?

    @Option(help: "Conversation template: vicuna_v1, chatml or plain (default: chatml for Qwen2 decoders, vicuna_v1 otherwise).")
    var template: String?

    @Option(help: "Vision tower folder of an original-LLaVA checkpoint (default: its mm_vision_tower).")
    var visionTower: String?

    func load() throws -> ChatModel {
        try ChatModel.load(model: URL(fileURLWithPath: model), visionTower: visionTower.map { URL(fileURLWithPath: $0) },
                           tokenizer: tokenizer.map { URL(fileURLWithPath: $0) }, templateName: template)
    }
}

/// The options that shape generated replies.
struct ReplyOptionGroup: ParsableArguments {
    @Option(help: "Most new tokens per reply.")
    var maxTokens = 512

    @Option(help: "Sampling temperature (0 = greedy).")
    var temperature: Float = 0

    @Option(help: "Nucleus sampling mass.")
    var topP: Float = 1

    @Option(help: "Seed of the sampler.")
    var seed: UInt64 = 0

    @Option(help: "Extra text that ends a reply (repeatable); the template's own stop string always applies.")
    var stop: [String] = []

    var replyOptions: ReplyOptions {
        ReplyOptions(maxNewTokens: maxTokens, temperature: temperature, topP: topP, seed: seed, extraStopStrings: stop)
    }
}
