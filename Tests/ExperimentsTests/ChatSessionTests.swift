import Experiments
import Foundation
import Training
import XCTest

/// The conversation state and the line commands of `viral chat`.
final class ChatSessionTests: XCTestCase {
    func testHistoryIsKeptAndTheFirstTurnIsTheOneShotPrompt() throws {
        let folder = try ExperimentFixtures.temporaryFolder(for: self)
        let image = try ExperimentFixtures.writePictures(1, into: folder)[0]
        let chat = try ExperimentFixtures.chat()
        let options = ReplyOptions(maxNewTokens: 6)
        let session = try ChatSession(chat: chat, options: options, image: image)
        let first = try session.send("What is shown?")
        let oneShot = try chat.answer("What is shown?", image: try ChatModel.loadImage(image), options: options)
        XCTAssertEqual(first, oneShot)
        XCTAssertEqual(session.turns.map(\.speaker), [.human, .gpt])
        XCTAssertEqual(session.turns[0].text, "<image>\nWhat is shown?")
        XCTAssertEqual(session.turns[1].text, first.text)

        // The second question is asked after the whole first round.
        _ = try session.send("And the colours?")
        XCTAssertEqual(session.turns.map(\.speaker), [.human, .gpt, .human, .gpt])
        XCTAssertEqual(session.turns[2].text, "And the colours?")
        let secondPrompt = chat.promptIDs(for: Conversation(turns: Array(session.turns.prefix(3)), hasImage: true))
        let firstPrompt = chat.promptIDs(for: Conversation(turns: Array(session.turns.prefix(1)), hasImage: true))
        XCTAssertEqual(Array(secondPrompt.prefix(firstPrompt.count)), firstPrompt, "the first round stays at the front")

        XCTAssertEqual(session.handle(line: "/reset"), .note("(conversation cleared)"))
        XCTAssertTrue(session.turns.isEmpty)
        XCTAssertNotNil(session.image, "reset keeps the image")
    }

    func testCommands() throws {
        let folder = try ExperimentFixtures.temporaryFolder(for: self)
        let images = try ExperimentFixtures.writePictures(2, into: folder)
        let session = try ChatSession(chat: try ExperimentFixtures.chat(), options: ReplyOptions(maxNewTokens: 4))
        guard case .problem(let message) = session.handle(line: "<image> what is this?") else { return XCTFail() }
        XCTAssertTrue(message.contains("/image PATH"), message)

        XCTAssertEqual(session.handle(line: "/image \(images[0].path)"), .note("(new conversation about \(images[0].path))"))
        guard case .reply = session.handle(line: "What is this?") else { return XCTFail("no reply") }
        XCTAssertEqual(session.turns.count, 2)
        _ = session.handle(line: "/image \(images[1].path)")
        XCTAssertTrue(session.turns.isEmpty, "a new image starts a new conversation")
        XCTAssertEqual(session.imagePath, images[1].path)

        let missing = folder.appendingPathComponent("absent.png").path
        guard case .problem(let notFound) = session.handle(line: "/image \(missing)") else { return XCTFail() }
        XCTAssertTrue(notFound.contains(missing), notFound)
        XCTAssertEqual(session.imagePath, images[1].path, "a failed switch keeps the image")
        guard case .problem(let unknown) = session.handle(line: "/colour") else { return XCTFail() }
        XCTAssertTrue(unknown.contains("unknown command /colour"), unknown)
        XCTAssertEqual(session.handle(line: "/quit"), .quit)
        XCTAssertEqual(session.handle(line: "   "), .note(""))
    }

    /// Lines are read until /quit; replies go to the output, problems to the problem stream.
    func testRunReadsLinesUntilQuit() throws {
        let session = try ChatSession(chat: try ExperimentFixtures.chat(), options: ReplyOptions(maxNewTokens: 3))
        var input = ["Hello?", "/nope", "/reset", "/quit", "Never read"]
        var written: [String] = [], problems: [String] = []
        session.run(readLine: { input.isEmpty ? nil : input.removeFirst() },
                    write: { written.append($0) }, writeProblem: { problems.append($0) })
        XCTAssertEqual(input, ["Never read"])
        XCTAssertEqual(written.count, 2)
        XCTAssertTrue(written[0].hasPrefix("ASSISTANT: "), written[0])
        XCTAssertEqual(written[1], "(conversation cleared)")
        XCTAssertEqual(problems.count, 1)
        XCTAssertTrue(problems[0].hasPrefix("error: unknown command /nope"), problems[0])
    }
}
