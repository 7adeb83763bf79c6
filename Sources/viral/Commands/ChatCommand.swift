import ArgumentParser
import Experiments
import Foundation

/// `viral chat`: a conversation with a LLaVA model on standard input.
struct ChatCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chat",
        abstract: "Talk with a LLaVA model: one question per line, the conversation kept across turns.",
        discussion: ChatSession.help)

    @OptionGroup var modelOptions: ModelOptions
    @OptionGroup var replyOptions: ReplyOptionGroup

    @Option(help: "The image to talk about (PNG or JPEG).")
    var image: String?

    @OptionGroup var threadOptions: ThreadOptions
    @OptionGroup var precisionOptions: PrecisionOptions

    func run() throws {
        threadOptions.apply()
        precisionOptions.apply()
        let session = try ChatSession(chat: try modelOptions.load(), options: replyOptions.replyOptions,
                                      image: image.map { URL(fileURLWithPath: $0) })
        session.run(readLine: { Swift.readLine() },
                    write: { print($0); fflush(stdout) },
                    writeProblem: { FileHandle.standardError.write(Data(($0 + "\n").utf8)) })
    }
}
