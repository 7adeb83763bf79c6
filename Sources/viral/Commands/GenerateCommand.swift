import ArgumentParser
import Experiments
import Foundation

/// `viral generate`: one reply of a LLaVA model to a prompt about an image.
struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Answer one prompt about an image with a LLaVA model and print the reply.")

    @OptionGroup var modelOptions: ModelOptions
    @OptionGroup var replyOptions: ReplyOptionGroup

    @Option(help: "The image (PNG or JPEG); without it the prompt is text only.")
    var image: String?

    @Option(help: "The question or instruction.")
    var prompt: String

    func run() throws {
        let image = try image.map { try ChatModel.loadImage(URL(fileURLWithPath: $0)) }
        let chat = try modelOptions.load()
        print(try chat.answer(prompt, image: image, options: replyOptions.replyOptions).text)
    }
}
