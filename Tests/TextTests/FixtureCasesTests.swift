import Foundation
import XCTest
@testable import Text

/// The shared fixture cases: ids and decoded text computed by transformers/tokenizers, which
/// must match exactly.
final class FixtureCasesTests: XCTestCase {
    private struct Case {
        let text: String
        let ids: [Int]
        let decoded: String
    }

    private func cases(_ prefix: String) throws -> [Case] {
        let entries = try readJSONFixture("cases.json") as! [[String: Any]]
        return entries.map { entry in
            Case(text: entry["text"] as! String, ids: entry["\(prefix)_ids"] as! [Int],
                 decoded: entry["\(prefix)_decoded"] as! String)
        }
    }

    private func check(_ file: String, prefix: String) throws {
        let tokenizer = try Tokenizer(contentsOf: fixturesURL.appendingPathComponent(file))
        let cases = try cases(prefix)
        XCTAssertEqual(cases.count, 9)
        for testCase in cases {
            let ids = tokenizer.encode(testCase.text)
            XCTAssertEqual(ids, testCase.ids, "\(file): \(testCase.text.debugDescription)")
            XCTAssertEqual(tokenizer.decode(testCase.ids), testCase.decoded, "\(file): \(testCase.text.debugDescription)")
        }
    }

    func testLlamaStyleCases() throws {
        try check("llama-style.json", prefix: "llama")
    }

    func testQwenStyleCases() throws {
        try check("qwen-style.json", prefix: "qwen")
    }

    func testLlavaImageTokenAndConfiguration() throws {
        let folder = fixturesURL.appendingPathComponent("llava")
        let config = try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("config.json"))) as! [String: Any]
        let imageTokenIndex = config["image_token_index"] as! Int
        let tokenizer = try Tokenizer(contentsOf: folder.appendingPathComponent("tokenizer.json"))

        XCTAssertEqual(tokenizer.id(for: "<image>"), imageTokenIndex)
        XCTAssertEqual(tokenizer.token(for: imageTokenIndex), "<image>")
        XCTAssertEqual(tokenizer.encode("<image>", addSpecialTokens: false), [imageTokenIndex])
        XCTAssertEqual(tokenizer.encode("USER: <image>\nHi").filter { $0 == imageTokenIndex }.count, 1)
        XCTAssertEqual(tokenizer.vocabularySize, imageTokenIndex + 1)

        // tokenizer_config.json beside the file: bos <s>, eos </s>, pad <unk>, max length 256.
        XCTAssertEqual(tokenizer.configuration?.bosToken, "<s>")
        XCTAssertEqual(tokenizer.bosTokenID, 1)
        XCTAssertEqual(tokenizer.eosTokenID, 2)
        XCTAssertEqual(tokenizer.padTokenID, 0)
        XCTAssertEqual(tokenizer.configuration?.modelMaxLength, 256)
        XCTAssertNil(tokenizer.configuration?.chatTemplate)
    }
}
