import Foundation
import Training
import Vision

/// A multi-turn conversation with a LLaVA model about one image (or none), as `viral chat` holds
/// it: every question is answered with the whole conversation so far as the prompt.
public final class ChatSession {
    /// What a line of input led to.
    public enum Event: Equatable {
        /// The assistant's reply to a question.
        case reply(Reply)
        /// A note for the user (a command's effect, help).
        case note(String)
        /// A problem with the line; the session goes on.
        case problem(String)
        /// The user asked to end the session.
        case quit
    }

    /// The commands a line can start with.
    public static let help = """
        commands: /image PATH  talk about another image (starts a new conversation)
                  /reset       forget the conversation so far
                  /quit        end the session (also /exit or end of input)
        """

    /// The model.
    public let chat: ChatModel
    /// How replies are generated.
    public var options: ReplyOptions
    /// The turns so far: human, assistant, human, … .
    public private(set) var turns: [ConversationTurn] = []
    /// The image the conversation is about, if any.
    public private(set) var image: RGBImage?
    /// Where the image came from.
    public private(set) var imagePath: String?

    /// A session about the image at `imageURL` (or without an image).
    public init(chat: ChatModel, options: ReplyOptions = ReplyOptions(), image imageURL: URL? = nil) throws {
        self.chat = chat
        self.options = options
        if let imageURL { try setImage(imageURL) }
    }

    /// Switches to the image at `url` and starts a new conversation: a LLaVA-1.5 prompt holds one
    /// image, placed in the first question.
    public func setImage(_ url: URL) throws {
        image = try ChatModel.loadImage(url)
        imagePath = url.path
        turns = []
    }

    /// Forgets the conversation (the image stays).
    public func reset() {
        turns = []
    }

    /// Asks `question` with the conversation so far and keeps both the question and the reply.
    public func send(_ question: String) throws -> Reply {
        let text = question.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { throw ExperimentError("the question is empty") }
        if text.contains(imagePlaceholder) {
            throw ExperimentError(image == nil
                ? "\"\(imagePlaceholder)\" needs an image: start with --image PATH or type /image PATH"
                : "the image is already in the conversation; type the question without \"\(imagePlaceholder)\"")
        }
        // The image goes before the first question, as in LLaVA's evaluation and CLI.
        let isFirst = turns.isEmpty
        let humanText = isFirst ? Conversation.prompt(question: text, hasImage: image != nil).turns[0].text : text
        let conversation = Conversation(turns: turns + [ConversationTurn(.human, humanText)], hasImage: image != nil)
        let reply = try chat.reply(to: conversation, image: image, options: options)
        turns = conversation.turns + [ConversationTurn(.gpt, reply.text)]
        return reply
    }

    /// Handles one line of input: a command or a question.
    public func handle(line: String) -> Event {
        let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty { return .note("") }
        guard trimmed.hasPrefix("/") else {
            do {
                return .reply(try send(trimmed))
            } catch {
                return .problem("\(error)")
            }
        }
        let parts = trimmed.split(separator: " ", maxSplits: 1).map(String.init)
        switch parts[0] {
        case "/quit", "/exit":
            return .quit
        case "/reset":
            reset()
            return .note("(conversation cleared)")
        case "/image":
            guard parts.count == 2 else { return .problem("usage: /image PATH") }
            let path = parts[1].trimmingCharacters(in: .whitespaces)
            do {
                try setImage(URL(fileURLWithPath: path))
                return .note("(new conversation about \(path))")
            } catch {
                return .problem("\(error)")
            }
        case "/help":
            return .note(Self.help)
        default:
            return .problem("unknown command \(parts[0])\n\(Self.help)")
        }
    }

    /// Reads lines until `/quit` or the end of input, writing each reply as `ASSISTANT: …` and
    /// notes to `write`, problems to `writeProblem`. Works with piped input.
    public func run(readLine: () -> String?, write: (String) -> Void, writeProblem: (String) -> Void) {
        while let line = readLine() {
            switch handle(line: line) {
            case .reply(let reply):
                write("ASSISTANT: \(reply.text)" + (reply.ending == .maxTokens ? " […max tokens]" : ""))
            case .note(let text):
                if !text.isEmpty { write(text) }
            case .problem(let text):
                writeProblem("error: \(text)")
            case .quit:
                return
            }
        }
    }
}
