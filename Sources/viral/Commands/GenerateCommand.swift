import ArgumentParser
import Experiments
import Foundation

/// `viral generate`: one reply of a LLaVA model to a prompt about an image.
struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Answer one or more prompts about an image with a LLaVA model and print the replies, in order.")

    @OptionGroup var modelOptions: ModelOptions
    @OptionGroup var replyOptions: ReplyOptionGroup

    @Option(help: "The image (PNG or JPEG); without it the prompt is text only.")
    var image: String?

    @Option(help: "The question or instruction; repeat to ask several, each on its own.")
    var prompt: [String]

    func validate() throws {
        guard !prompt.isEmpty else { throw ValidationError("missing --prompt TEXT") }
    }

    @OptionGroup var threadOptions: ThreadOptions
    @OptionGroup var precisionOptions: PrecisionOptions

    func run() throws {
        threadOptions.apply()
        precisionOptions.apply()
        let image = try image.map { try ChatModel.loadImage(URL(fileURLWithPath: $0)) }
        let chat = try modelOptions.load()
        // Several prompts are answered together in one batched generation.
        for reply in try chat.answers(prompt, image: image, options: replyOptions.replyOptions) {
            print(reply.text)
        }
    }
}
