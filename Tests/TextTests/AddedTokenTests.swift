import Foundation
import XCTest
@testable import Text

/// Cutting added tokens out of the input before the model sees it.
final class AddedTokenTests: XCTestCase {
    private func llama() throws -> Tokenizer {
        try Tokenizer(contentsOf: fixturesURL.appendingPathComponent("llama-style.json"))
    }

    /// The llama fixture with extra added tokens: `[MASK]` (lstrip, rstrip), `<ab>`, `<abc>`,
    /// `<abc`, and `hello` (single word).
    private func llamaWithExtraTokens() throws -> Tokenizer {
        let url = try writeTokenizerFile(base: "llama-style.json", for: self) { root in
            func token(_ id: Int, _ content: String, lstrip: Bool = false, rstrip: Bool = false,
                       singleWord: Bool = false) -> [String: Any] {
                ["id": id, "content": content, "single_word": singleWord, "lstrip": lstrip, "rstrip": rstrip,
                 "normalized": false, "special": true]
            }
            root["added_tokens"] = (root["added_tokens"] as! [Any]) + [
                token(901, "[MASK]", lstrip: true, rstrip: true), token(904, "<ab>"), token(905, "<abc>"),
                token(906, "<abc"), token(907, "hello", singleWord: true),
            ]
        }
        return try Tokenizer(contentsOf: url)
    }

    func testSpecialTokensInTextAreSplitOutBeforeNormalization() throws {
        let tokenizer = try llama()
        // Each text piece between added tokens gets its own "▁" from the Prepend normalizer.
        let special = tokenizer.encode("special", addSpecialTokens: false)
        let tokens = tokenizer.encode(" tokens", addSpecialTokens: false)
        XCTAssertEqual(tokenizer.encode("<s>special</s> tokens", addSpecialTokens: false),
                       [1] + special + [2] + tokens)
        XCTAssertEqual(tokenizer.encode("</s><s><image><image>", addSpecialTokens: false), [2, 1, 900, 900])
        XCTAssertEqual(tokenizer.encode("<image>"), [1, 900])
        // A near miss is ordinary text.
        XCTAssertFalse(tokenizer.encode("<imag>", addSpecialTokens: false).contains(900))
    }

    func testLongestMatchWins() throws {
        let tokenizer = try llamaWithExtraTokens()
        XCTAssertEqual(tokenizer.encode("<abc>", addSpecialTokens: false), [905])
        XCTAssertEqual(tokenizer.encode("<ab><abc><abc", addSpecialTokens: false), [904, 905, 906])
        let rest = tokenizer.encode("d>", addSpecialTokens: false)
        XCTAssertEqual(tokenizer.encode("<abcd>", addSpecialTokens: false), [906] + rest)
    }

    func testStripFlagsAbsorbSurroundingWhitespace() throws {
        let tokenizer = try llamaWithExtraTokens()
        let a = tokenizer.encode("a", addSpecialTokens: false)
        let b = tokenizer.encode("b", addSpecialTokens: false)
        XCTAssertEqual(tokenizer.encode("a  [MASK] \t b", addSpecialTokens: false), a + [901] + b)
        XCTAssertEqual(tokenizer.encode("[MASK][MASK]", addSpecialTokens: false), [901, 901])
    }

    func testSingleWordTokensDoNotMatchInsideWords() throws {
        let tokenizer = try llamaWithExtraTokens()
        XCTAssertTrue(tokenizer.encode("say hello now", addSpecialTokens: false).contains(907))
        XCTAssertTrue(tokenizer.encode("hello!", addSpecialTokens: false).contains(907))
        XCTAssertFalse(tokenizer.encode("sayhello", addSpecialTokens: false).contains(907))
        XCTAssertFalse(tokenizer.encode("hello_", addSpecialTokens: false).contains(907))
    }

    func testSpecialTokensAreSkippedOnlyWhenAsked() throws {
        let tokenizer = try llama()
        let ids = tokenizer.encode("Hi</s>")
        XCTAssertEqual(tokenizer.decode(ids), "<s> Hi</s>")
        XCTAssertEqual(tokenizer.decode(ids, skipSpecialTokens: true), "Hi")
        XCTAssertTrue(tokenizer.isSpecialToken(2))
        XCTAssertFalse(tokenizer.isSpecialToken(361))
        XCTAssertEqual(tokenizer.addedTokens.first { $0.content == "<image>" }?.id, 900)
    }
}
