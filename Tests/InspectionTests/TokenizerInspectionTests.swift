import Foundation
import Inspection
import XCTest

/// `viral tokenize` on the shared tokenizer fixtures: ids (with the post-processor) and decoded
/// text computed by Hugging Face `tokenizers` (TextTests/Fixtures/cases.json), exact.
final class TokenizerInspectionTests: XCTestCase {
    private func cases() throws -> [[String: Any]] {
        let data = try Data(contentsOf: Fixtures.text.appendingPathComponent("cases.json"))
        return try JSONSerialization.jsonObject(with: data) as! [[String: Any]]
    }

    func testRoundTripOnBothTokenizerStyles() throws {
        for (file, prefix) in [("llama-style.json", "llama"), ("qwen-style.json", "qwen")] {
            let tokenizer = try TokenizerInspection.loadTokenizer(Fixtures.text.appendingPathComponent(file))
            let cases = try cases()
            XCTAssertEqual(cases.count, 9)
            for entry in cases {
                let text = entry["text"] as! String, ids = entry["\(prefix)_ids"] as! [Int]
                let printed = TokenizerInspection.encode(text, with: tokenizer)
                XCTAssertEqual(printed, "[" + ids.map(String.init).joined(separator: ", ") + "]", "\(file) \(text.debugDescription)")
                // The printed form is a JSON array that parses back to the same ids.
                XCTAssertEqual(try JSONSerialization.jsonObject(with: Data(printed.utf8)) as? [Int], ids)
                XCTAssertEqual(try TokenizerInspection.decode(printed, with: tokenizer), entry["\(prefix)_decoded"] as! String,
                               "\(file) \(text.debugDescription)")
            }
        }
    }

    func testSpecialTokensAndIDForms() throws {
        let tokenizer = try TokenizerInspection.loadTokenizer(Fixtures.text.appendingPathComponent("llama-style.json"))
        XCTAssertEqual(TokenizerInspection.encode("Hello world", with: tokenizer), "[1, 361, 298, 607, 437, 361, 627, 333, 325]")
        XCTAssertEqual(TokenizerInspection.encode("Hello world", with: tokenizer, addSpecialTokens: false),
                       "[361, 298, 607, 437, 361, 627, 333, 325]")
        XCTAssertEqual(try TokenizerInspection.decode("1,361,298,607,437,361,627,333,325", with: tokenizer), "<s> Hello world")
        XCTAssertEqual(try TokenizerInspection.decode(" [1, 361, 298,607 ,437, 361, 627, 333, 325] ", with: tokenizer,
                                                      skipSpecialTokens: true), "Hello world")
        XCTAssertEqual(try TokenizerInspection.parseIDs("[]"), [])
        XCTAssertEqual(try TokenizerInspection.parseIDs("7"), [7])
    }

    /// A folder is accepted in place of its tokenizer.json (here the LLaVA fixture's, whose
    /// `<image>` is id 319).
    func testFolderHoldingTokenizerJSON() throws {
        let tokenizer = try TokenizerInspection.loadTokenizer(Fixtures.text.appendingPathComponent("llava"))
        XCTAssertEqual(TokenizerInspection.encode("<image>", with: tokenizer, addSpecialTokens: false), "[319]")
    }

    func testErrors() throws {
        let tokenizer = try TokenizerInspection.loadTokenizer(Fixtures.text.appendingPathComponent("qwen-style.json"))
        XCTAssertThrowsError(try TokenizerInspection.decode("[1, x]", with: tokenizer)) { error in
            XCTAssertTrue("\(error)".contains("\"x\" is not a token id"), "\(error)")
        }
        XCTAssertThrowsError(try TokenizerInspection.decode("1,,2", with: tokenizer)) { error in
            XCTAssertTrue("\(error)".contains("\"\" is not a token id"), "\(error)")
        }
        XCTAssertThrowsError(try TokenizerInspection.decode("[5, 100000]", with: tokenizer)) { error in
            XCTAssertTrue("\(error)".contains("token id 100000"), "\(error)")
        }
        let missing = Fixtures.text.appendingPathComponent("absent.json")
        XCTAssertThrowsError(try TokenizerInspection.loadTokenizer(missing)) { error in
            XCTAssertTrue("\(error)".contains(missing.path), "\(error)")
        }
    }
}
