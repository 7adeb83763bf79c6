@testable import Experiments
import Foundation
import SyntheticData
import Text
import Training
import XCTest

final class BuiltinTokenizerTests: XCTestCase {
    /// Learned once from the default corpus and written to a temporary folder, as the demo does.
    static let folder: URL = {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("viral-builtin-tokenizer-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try! builtin.write(to: folder)
        return folder
    }()
    static let builtin = BuiltinTokenizer(corpus: try! SyntheticCorpus.texts())
    static let tokenizer = try! Tokenizer(contentsOf: folder.appendingPathComponent("tokenizer.json"))

    override class func tearDown() {
        try? FileManager.default.removeItem(at: folder)
    }

    func testVocabularyLayoutAndSize() throws {
        let builtin = Self.builtin, tokenizer = Self.tokenizer
        XCTAssertEqual(Array(builtin.vocabulary.prefix(3)), ["<unk>", "<s>", "</s>"])
        XCTAssertEqual(builtin.vocabulary[3], "<0x00>")
        XCTAssertEqual(builtin.vocabulary[258], "<0xFF>")
        XCTAssertEqual(tokenizer.vocabularySize, builtin.size)
        XCTAssertLessThan(builtin.size, 1000, "a few hundred tokens")
        XCTAssertEqual(tokenizer.id(for: "<image>"), builtin.imageTokenID)
        XCTAssertEqual(tokenizer.id(for: "<pad>"), builtin.padTokenID)
        XCTAssertEqual(builtin.padTokenID, builtin.size - 1)
        XCTAssertEqual(tokenizer.bosTokenID, 1)
        XCTAssertEqual(tokenizer.eosTokenID, 2)
        XCTAssertEqual(tokenizer.padTokenID, builtin.padTokenID)
        XCTAssertEqual(tokenizer.configuration?.modelMaxLength, BuiltinTokenizer.modelMaxLength)
        for word in ["\u{2581}red", "\u{2581}circle", "\u{2581}circles", "\u{2581}crosses", "\u{2581}USER", "\u{2581}ASSISTANT",
                     "\u{2581}user's", "How", "Answer", "\u{2581}left", "\u{2581}Below", "\u{2581}3", "\u{2581}Yes"] {
            XCTAssertNotNil(tokenizer.id(for: word), "no token \(word)")
        }
    }

    /// Every text of a suite planned with another seed than the corpus's encodes with one token
    /// per word and one per other character, and decodes back exactly.
    func testCorpusOfAnotherSeedEncodesWordByWordAndRoundTrips() throws {
        let options = SynthesisOptions(imageSize: 64, trainingCount: 400, evaluationCount: 120, seed: 12345)
        let texts = try SyntheticCorpus.texts(options: options)
        XCTAssertGreaterThan(texts.count, 300)
        for text in texts {
            let ids = Self.tokenizer.encode(text, addSpecialTokens: false)
            let normalized = WordMerges.normalized(text)
            let words = WordMerges.words(ofNormalized: normalized)
            let wordScalars = words.reduce(0) { $0 + $1.unicodeScalars.count }
            XCTAssertEqual(ids.count, words.count + normalized.unicodeScalars.count - wordScalars, text)
            XCTAssertFalse(ids.contains(0), "an <unk> in \(text)")
            XCTAssertFalse(ids.contains { (3...258).contains($0) }, "a byte-fallback token in \(text)")
            XCTAssertEqual(Self.tokenizer.decode(ids), text)
            XCTAssertEqual(Self.tokenizer.decode(Self.tokenizer.encode(text), skipSpecialTokens: true), text)
        }
    }

    func testUnseenCharactersFallBackToBytesAndRoundTrip() {
        let text = "Zebra ünïcode ✓ 42"
        let ids = Self.tokenizer.encode(text, addSpecialTokens: false)
        XCTAssertTrue(ids.contains { (3...258).contains($0) }, "byte fallback")
        XCTAssertEqual(Self.tokenizer.decode(ids), text)
    }

    /// A training conversation through LLaVA's vicuna_v1 template: short, the image placeholder
    /// one `<image>` id, and LLaVA's label arithmetic agrees with the tokens (no masked sample).
    func testVicunaConversationPassesLLaVAsLabelCheck() throws {
        let dataset = try SyntheticDataset(options: SynthesisOptions(imageSize: 64, trainingCount: 16, evaluationCount: 4, seed: 3))
        let context = TemplateContext(tokenizer: Self.tokenizer, imageTokenID: Self.builtin.imageTokenID,
                                      padTokenID: Self.builtin.padTokenID, modelMaxLength: BuiltinTokenizer.modelMaxLength)
        for record in dataset.training.records {
            let conversation = Conversation(turns: [ConversationTurn(.human, "<image>\n" + record.question.text),
                                                    ConversationTurn(.gpt, record.question.response)], hasImage: true)
            let encoded = VicunaV1Template().encode(conversation, using: context)
            XCTAssertFalse(encoded.labelsMaskedForMismatch, record.id)
            XCTAssertEqual(encoded.inputIDs.filter { $0 == Self.builtin.imageTokenID }.count, 1)
            XCTAssertLessThan(encoded.inputIDs.count, 160, record.question.text)
            let learned = zip(encoded.inputIDs, encoded.labels).filter { $0.1 != ignoredLabel }.map(\.0)
            XCTAssertEqual(Self.tokenizer.decode(learned), record.question.response + "</s>", record.id)
        }
    }
}
