import Experiments
import Foundation
import Models
import SafeTensors
import Tensor
import Training
import Vision
import XCTest

/// Prompt rendering, stage-2 image preprocessing and generation of `ChatModel`, on the tiny
/// `llava` fixture (references from transformers 5.24).
final class GenerationTests: XCTestCase {
    /// transformers' greedy continuation (`generate.safetensors`: 24 prompt ids with the image
    /// tokens already expanded, 8 new tokens) through the path every reply takes.
    func testGreedyTokensMatchTransformers() throws {
        let chat = try ExperimentFixtures.chat()
        let reference = try SafeTensorsFile(url: ExperimentFixtures.llava.appendingPathComponent("generate.safetensors"))
        let prompt = try reference.intRows("prompt")[0], expected = try reference.intRows("generated")[0]
        let options = GenerationOptions(maxNewTokens: expected.count - prompt.count, stopTokenIDs: chat.stopTokenIDs)
        let tokens = try chat.generateTokens(inputIDs: prompt, pixelValues: try reference.tensor("pixel_values"),
                                             options: options, stopStrings: chat.stopStrings)
        XCTAssertEqual(prompt + tokens, expected)
    }

    /// Pad to square with the CLIP mean colour, resize, crop, normalise: transformers' values
    /// for a 40×24 and a 17×33 image within 1e-5 (float32 rounding of the normalisation).
    func testImagesArePreprocessedAsLLaVAStageTwo() throws {
        let chat = try ExperimentFixtures.chat()
        let reference = try SafeTensorsFile(url: ExperimentFixtures.images.appendingPathComponent("reference.safetensors"))
        for name in ["img0.png", "img1.png"] {
            let image = try ChatModel.loadImage(ExperimentFixtures.images.appendingPathComponent(name))
            let pixels = chat.pixelValues(for: image)
            XCTAssertEqual(pixels.shape, [1, 3, 32, 32])
            let expected = try reference.floats("\(name).pad")
            let worst = zip(pixels.scalars, expected).map { abs($0 - $1) }.max()!
            XCTAssertLessThan(worst, 1e-5, name)
        }
    }

    /// A Llama decoder gets vicuna_v1: system prompt, `USER: <image>\n{q} ASSISTANT:`, the image
    /// placeholder expanded to the 16 visual tokens of a 4×4 grid.
    func testPromptIsRenderedWithTheTemplateAndExpanded() throws {
        let chat = try ExperimentFixtures.chat()
        XCTAssertEqual(chat.template.name, "vicuna_v1")
        XCTAssertEqual(chat.stopTokenIDs, [2])
        let ids = chat.promptIDs(for: Conversation.prompt(question: "What is shown?", hasImage: true))
        let imageID = chat.model.config.imageTokenID
        let first = try XCTUnwrap(ids.firstIndex(of: imageID))
        XCTAssertEqual(Array(ids[first..<(first + 16)]), Array(repeating: imageID, count: 16))
        XCTAssertEqual(ids.filter { $0 == imageID }.count, 16)
        var collapsed = ids
        collapsed.removeSubrange(first..<(first + 15))
        let text = VicunaV1Template.defaultSystemMessage + " USER: <image>\nWhat is shown? ASSISTANT:"
        XCTAssertEqual(collapsed, chat.context.tokenize(text))
        XCTAssertEqual(collapsed.first, 1, "BOS first")
    }

    func testDefaultTemplateFollowsTheDecoder() throws {
        guard case .llava(let qwen) = try ModelLoader.load(ExperimentFixtures.llavaQwen) else { return XCTFail("not LLaVA") }
        XCTAssertEqual(ChatModel.defaultTemplateName(for: qwen.config.decoder), "chatml")
        XCTAssertEqual(ChatModel.defaultTemplateName(for: try ExperimentFixtures.chat().model.config.decoder), "vicuna_v1")
        XCTAssertEqual(ChatModel.stageTwoPreparation(for: qwen.config.vision).preset, .siglip(size: qwen.config.vision.imageSize))
    }

    /// The reply is the decoded new tokens, cut at the first stop string, trimmed; the ending says why.
    func testRepliesStopAtMaxTokensAndAtStopStrings() throws {
        let chat = try ExperimentFixtures.chat()
        let image = ExperimentFixtures.picture(width: 40, height: 24, variant: 1)
        let long = try chat.answer("What is shown?", image: image, options: ReplyOptions(maxNewTokens: 12))
        XCTAssertEqual(long.ending, .maxTokens)
        XCTAssertEqual(long.tokenIDs.count, 12)
        let decoded = chat.tokenizer.decode(long.tokenIDs, skipSpecialTokens: true)
        XCTAssertEqual(long.text, decoded.trimmingCharacters(in: .whitespacesAndNewlines))

        // A stop string taken from the middle of that text ends the reply before it.
        let characters = Array(decoded)
        let stop = String(characters[(characters.count / 2)...].prefix(2))
        let cut = try chat.answer("What is shown?", image: image, options: ReplyOptions(maxNewTokens: 12, extraStopStrings: [stop]))
        XCTAssertEqual(cut.ending, .stopString)
        XCTAssertLessThan(cut.tokenIDs.count, 12)
        XCTAssertEqual(Array(long.tokenIDs.prefix(cut.tokenIDs.count)), cut.tokenIDs, "the same greedy tokens until the stop")
        let before = String(decoded[..<decoded.range(of: stop)!.lowerBound])
        XCTAssertEqual(cut.text, before.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    func testBadOptionsAndMissingImagesThrowClearly() throws {
        let chat = try ExperimentFixtures.chat()
        XCTAssertThrowsError(try chat.answer("Hi", image: nil, options: ReplyOptions(maxNewTokens: 0))) {
            XCTAssertTrue("\($0)".contains("max tokens"), "\($0)")
        }
        XCTAssertThrowsError(try chat.answer("Hi", image: nil, options: ReplyOptions(topP: 0))) {
            XCTAssertTrue("\($0)".contains("top-p"), "\($0)")
        }
        let noImage = Conversation.prompt(question: "What is it?", hasImage: true)
        XCTAssertThrowsError(try chat.reply(to: noImage, image: nil)) { XCTAssertTrue("\($0)".contains("image"), "\($0)") }
        let folder = try ExperimentFixtures.temporaryFolder(for: self)
        XCTAssertThrowsError(try ChatModel.load(model: folder.appendingPathComponent("absent"))) {
            XCTAssertTrue("\($0)".contains("absent"), "\($0)")
        }
        XCTAssertThrowsError(try ChatModel.load(model: ExperimentFixtures.llavaQwen)) {
            XCTAssertTrue("\($0)".contains("no tokenizer.json"), "\($0)")
        }
    }

    /// Sampling with a seed is reproducible.
    func testSamplingIsSeeded() throws {
        let chat = try ExperimentFixtures.chat()
        let image = ExperimentFixtures.picture(width: 32, height: 32, variant: 2)
        let options = ReplyOptions(maxNewTokens: 10, temperature: 1.5, topP: 0.9, seed: 7)
        let first = try chat.answer("Describe it.", image: image, options: options)
        let second = try chat.answer("Describe it.", image: image, options: options)
        XCTAssertEqual(first.tokenIDs, second.tokenIDs)
    }
}

/// Several questions answered in one batched generation get the replies they get one by one.
final class BatchedAnswerTests: XCTestCase {
    func testBatchedAnswersEqualSingleAnswers() throws {
        let chat = try ExperimentFixtures.chat()
        let image = ExperimentFixtures.picture(width: 40, height: 30, variant: 2)
        let questions = ["What is shown?", "How many shapes are there in this picture?", "Is it red?"]
        let options = ReplyOptions(maxNewTokens: 7)
        let alone = try questions.map { try chat.answer($0, image: image, options: options) }
        let together = try chat.answers(questions, image: image, options: options)
        XCTAssertEqual(together.map(\.tokenIDs), alone.map(\.tokenIDs))
        XCTAssertEqual(together.map(\.text), alone.map(\.text))
    }
}
