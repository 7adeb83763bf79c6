import Foundation
import Text
import XCTest
@testable import Training

/// Ids and labels against LLaVA's own preprocessing. `Fixtures/template-references.json` was made
/// by `Fixtures/make_template_references.py`, which re-implements LLaVA's `preprocess_multimodal`,
/// `preprocess_v1`, `preprocess_plain`, `tokenizer_image_token`, the `vicuna_v1` prompt and
/// LLaVA-NeXT's `preprocess_qwen` (OneVision) on top of the Hugging Face `tokenizers` library
/// (0.23.3), with the same two tokenizer files. Comparisons are exact.
final class TemplateReferenceTests: XCTestCase {
    struct Turn: Decodable {
        var from: String
        var value: String
    }

    struct Case: Decodable {
        var name: String
        var image: Bool
        var conversations: [Turn]
        var input_ids: [Int]
        var labels: [Int]
        var mismatch: Bool?
        var legacy: Bool?
        var prompt: String?
    }

    struct References: Decodable {
        var image_token_index: Int
        var vicuna_v1: [Case]
        var plain: [Case]
        var chatml_onevision: [Case]
    }

    private func references() throws -> References {
        let data = try Data(contentsOf: Fixtures.folder.appendingPathComponent("template-references.json"))
        return try JSONDecoder().decode(References.self, from: data)
    }

    private func conversation(of reference: Case) throws -> Conversation {
        let turns = reference.conversations.map { ConversationTurn(Speaker(fromField: $0.from)!, $0.value) }
        let record = ConversationRecord(id: reference.name, image: reference.image ? "image.png" : nil, turns: turns,
                                        location: RecordLocation(file: "references", index: 0))
        return try Conversation.normalizing(record).get()
    }

    func testVicunaV1MatchesLLaVAPreprocessV1() throws {
        let references = try references()
        XCTAssertEqual(references.image_token_index, llavaImageIndex)
        let context = llamaContext(try Fixtures.llamaTokenizer())
        XCTAssertEqual(references.vicuna_v1.count, 9)
        for reference in references.vicuna_v1 {
            let template = VicunaV1Template(legacyTokenizer: reference.legacy ?? true)
            let conversation = try conversation(of: reference)
            XCTAssertEqual(template.render(conversation.turns, replyHeader: false), reference.prompt, reference.name)
            let encoded = template.encode(conversation, using: context)
            XCTAssertEqual(encoded.inputIDs, reference.input_ids, reference.name)
            XCTAssertEqual(encoded.labels, reference.labels, reference.name)
            XCTAssertEqual(encoded.labelsMaskedForMismatch, reference.mismatch, reference.name)
        }
        // The cases cover both outcomes of LLaVA's consistency check.
        XCTAssertTrue(references.vicuna_v1.contains { $0.mismatch == true })
        XCTAssertTrue(references.vicuna_v1.contains { $0.mismatch == false && $0.labels.contains { $0 != ignoredLabel } })
    }

    func testPlainMatchesLLaVAPreprocessPlain() throws {
        let references = try references()
        let context = llamaContext(try Fixtures.llamaTokenizer())
        XCTAssertEqual(references.plain.count, 2)
        for reference in references.plain {
            let encoded = PlainTemplate().encode(try conversation(of: reference), using: context)
            XCTAssertEqual(encoded.inputIDs, reference.input_ids, reference.name)
            XCTAssertEqual(encoded.labels, reference.labels, reference.name)
        }
    }

    func testChatMLOneVisionLabelingMatchesLLaVANeXTPreprocessQwen() throws {
        let references = try references()
        let context = qwenContext(try Fixtures.qwenTokenizer())
        let template = ChatMLTemplate(labeling: .llavaOneVision)
        XCTAssertEqual(references.chatml_onevision.count, 8)
        for reference in references.chatml_onevision {
            let encoded = template.encode(try conversation(of: reference), using: context)
            XCTAssertEqual(encoded.inputIDs, reference.input_ids, reference.name)
            XCTAssertEqual(encoded.labels, reference.labels, reference.name)
        }
    }

    /// The ids of the `replies` labeling are the same as OneVision's; only the labels differ.
    func testChatMLRepliesLabelingHasTheSameIDs() throws {
        let references = try references()
        let context = qwenContext(try Fixtures.qwenTokenizer())
        for reference in references.chatml_onevision {
            let encoded = ChatMLTemplate().encode(try conversation(of: reference), using: context)
            XCTAssertEqual(encoded.inputIDs, reference.input_ids, reference.name)
            XCTAssertNotEqual(encoded.labels, reference.labels, reference.name)
        }
    }
}
