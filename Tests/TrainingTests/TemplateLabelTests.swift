import Foundation
import Text
import XCTest
@testable import Training

/// Hand-checked label masks on small conversations. The Llama-style fixture vocabulary is almost
/// one token per character, so "▁a▁cat." is the token run ▁ a ▁ c a t . (the "▁" before an
/// answer is learned because LLaVA's "-2" assumes it merges into the answer's first token).
final class TemplateLabelTests: XCTestCase {
    func testVicunaLearnsEachAnswerAndItsEndOfSequence() throws {
        let tokenizer = try Fixtures.llamaTokenizer()
        let encoded = VicunaV1Template().encode(try conversation([
            (.human, "<image>\nwhat is it"), (.gpt, "a cat."), (.human, "and now"), (.gpt, "two cats."),
        ], hasImage: true), using: llamaContext(tokenizer))

        XCTAssertEqual(learnedTokenRuns(encoded, tokenizer), ["▁a▁cat.</s>", "▁two▁cats.</s>"])
        XCTAssertEqual(encoded.inputIDs.first, 1, "BOS first")
        XCTAssertEqual(encoded.labels.first, ignoredLabel)
        let imagePositions = encoded.inputIDs.indices.filter { encoded.inputIDs[$0] == llavaImageIndex }
        XCTAssertEqual(imagePositions.count, 1)
        // LLaVA's quirks around the image: the trailing space of "USER: " is its own "▁" token,
        // and the text after the image is tokenized as a new piece with a leading "▁".
        let image = imagePositions[0]
        let tokens = encoded.inputIDs.map { tokenizer.token(for: $0) ?? "<image>" }
        XCTAssertEqual(Array(tokens[(image - 2)...(image + 3)]), [":", "▁", "<image>", "▁", "\n", "w"])
        XCTAssertEqual(encoded.labels[image], ignoredLabel)
        XCTAssertFalse(encoded.labelsMaskedForMismatch)
    }

    func testPlainLearnsTheCaptionAndItsNewlineButNotTheImage() throws {
        let tokenizer = try Fixtures.llamaTokenizer()
        let encoded = PlainTemplate().encode(try conversation([
            (.human, "<image>\ndescribe"), (.gpt, "a red square."),
        ], hasImage: true), using: llamaContext(tokenizer))

        XCTAssertEqual(Array(encoded.inputIDs.prefix(2)), [1, llavaImageIndex])
        XCTAssertEqual(Array(encoded.labels.prefix(2)), [ignoredLabel, ignoredLabel])
        XCTAssertEqual(learnedTokenRuns(encoded, tokenizer), ["▁a▁red▁square.\n"])
        XCTAssertEqual(Array(encoded.labels.dropFirst(2)), Array(encoded.inputIDs.dropFirst(2)))
    }

    func testChatMLRepliesLearnsEachReplyAndItsEndTokenOnly() throws {
        let tokenizer = try Fixtures.qwenTokenizer()
        let encoded = ChatMLTemplate().encode(try conversation([
            (.human, "<image>\nwhat is it?"), (.gpt, "a cat."), (.human, "and now?"), (.gpt, "two cats."),
        ], hasImage: true), using: qwenContext(tokenizer))

        XCTAssertEqual(runsText(encoded, tokenizer), ["a cat.<|im_end|>", "two cats.<|im_end|>"])
        // Everything else, the system turn, user turns, headers and the "\n" after <|im_end|>, is ignored.
        XCTAssertEqual(encoded.labels.filter { $0 != ignoredLabel }.count,
                       tokenizer.encode("a cat.", addSpecialTokens: false).count
                           + tokenizer.encode("two cats.", addSpecialTokens: false).count + 2)
        XCTAssertEqual(encoded.inputIDs.filter { $0 == llavaImageIndex }.count, 1)
        XCTAssertEqual(tokenizer.decode(encoded.inputIDs.filter { $0 != llavaImageIndex }),
                       "<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n"
                           + "<|im_start|>user\n\nwhat is it?<|im_end|>\n<|im_start|>assistant\na cat.<|im_end|>\n"
                           + "<|im_start|>user\nand now?<|im_end|>\n<|im_start|>assistant\ntwo cats.<|im_end|>\n")
    }

    /// A reply starting with newlines merges with the header's "\n" into one token, which is
    /// then learned as part of the reply.
    func testChatMLReplyStartingWithNewlinesLearnsTheMergedToken() throws {
        let tokenizer = try Fixtures.qwenTokenizer()
        let encoded = ChatMLTemplate().encode(try conversation([(.human, "hi"), (.gpt, "\n\nhi")], hasImage: false),
                                              using: qwenContext(tokenizer))
        XCTAssertEqual(runsText(encoded, tokenizer), ["\n\n\nhi<|im_end|>"])
    }

    func testChatMLOneVisionAlsoLearnsTurnMarkersAndNewlinesEverywhere() throws {
        let tokenizer = try Fixtures.qwenTokenizer()
        let encoded = ChatMLTemplate(labeling: .llavaOneVision).encode(try conversation([
            (.human, "<image>\nwhat is it?"), (.gpt, "a cat."),
        ], hasImage: true), using: qwenContext(tokenizer))
        XCTAssertEqual(runsText(encoded, tokenizer), [
            "<|im_start|>", "\n", "<|im_end|>\n<|im_start|>", "\n", "\n",
            "<|im_end|>\n<|im_start|>assistant\na cat.<|im_end|>\n",
        ])
    }

    func testPromptsEndWithTheAssistantHeaderAndPrefixTheTrainingIDs() throws {
        let llama = try Fixtures.llamaTokenizer()
        let qwen = try Fixtures.qwenTokenizer()
        let question = Conversation.prompt(question: "what is it", hasImage: true)
        XCTAssertEqual(question.turns, [ConversationTurn(.human, "<image>\nwhat is it")])
        let exchange = try conversation([(.human, "<image>\nwhat is it"), (.gpt, "a cat.")], hasImage: true)

        let vicunaPrompt = VicunaV1Template().encodePrompt(question, using: llamaContext(llama))
        let vicunaTraining = VicunaV1Template().encode(exchange, using: llamaContext(llama)).inputIDs
        XCTAssertEqual(Array(vicunaTraining.prefix(vicunaPrompt.count)), vicunaPrompt)
        XCTAssertEqual(vicunaPrompt.suffix(10).compactMap { llama.token(for: $0) }.joined(), "ASSISTANT:")

        let chatPrompt = ChatMLTemplate().encodePrompt(question, using: qwenContext(qwen))
        let chatTraining = ChatMLTemplate().encode(exchange, using: qwenContext(qwen)).inputIDs
        XCTAssertEqual(Array(chatTraining.prefix(chatPrompt.count)), chatPrompt)
        XCTAssertTrue(qwen.decode(chatPrompt.filter { $0 != llavaImageIndex }).hasSuffix("<|im_start|>assistant\n"))

        XCTAssertEqual(PlainTemplate().encodePrompt(question, using: llamaContext(llama)), [1, llavaImageIndex])
    }

    func testTemplatesAreFoundByName() throws {
        XCTAssertEqual(try conversationTemplate(named: "plain").name, "plain")
        XCTAssertEqual(try conversationTemplate(named: "v1").name, "vicuna_v1")
        XCTAssertEqual(try conversationTemplate(named: "qwen").name, "chatml")
        XCTAssertThrowsError(try conversationTemplate(named: "llama_3")) { error in
            XCTAssertTrue("\(error)".contains("llama_3"))
        }
    }

    func testChatMLNeedsItsSpecialTokens() throws {
        let context = llamaContext(try Fixtures.llamaTokenizer())
        XCTAssertThrowsError(try ChatMLTemplate().validate(for: context)) { error in
            XCTAssertTrue("\(error)".contains("<|im_start|>"), "\(error)")
        }
        XCTAssertNoThrow(try ChatMLTemplate().validate(for: qwenContext(try Fixtures.qwenTokenizer())))
    }

    /// The decoded text of each run of learned positions.
    private func runsText(_ encoded: EncodedConversation, _ tokenizer: Tokenizer) -> [String] {
        var runs: [[Int]] = []
        var current: [Int] = []
        for label in encoded.labels {
            if label == ignoredLabel {
                if !current.isEmpty { runs.append(current) }
                current = []
            } else {
                current.append(label)
            }
        }
        if !current.isEmpty { runs.append(current) }
        return runs.map { tokenizer.decode($0) }
    }
}
