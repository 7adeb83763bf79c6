import Foundation
import XCTest
@testable import Text

/// Characters outside the vocabulary: `<0xNN>` byte tokens, the unknown token, and decoding of
/// broken byte sequences.
final class ByteFallbackTests: XCTestCase {
    func testEmojiBecomesItsUTF8ByteTokens() throws {
        let tokenizer = try Tokenizer(contentsOf: fixturesURL.appendingPathComponent("llama-style.json"))
        let byteIDs = ["<0xF0>", "<0x9F>", "<0x90>", "<0x95>"].map { tokenizer.id(for: $0)! }
        XCTAssertEqual(byteIDs, [243, 162, 147, 152])
        let metaspace = tokenizer.id(for: "▁")!
        XCTAssertEqual(tokenizer.encode("🐕", addSpecialTokens: false), [metaspace] + byteIDs)
        XCTAssertEqual(tokenizer.decode([metaspace] + byteIDs + byteIDs), "🐕🐕")
        // A cut-off sequence is not valid UTF-8: one U+FFFD per byte, as the library's ByteFallback.
        XCTAssertEqual(tokenizer.decode(Array(byteIDs.prefix(2)) + [tokenizer.id(for: "a")!]), "\u{FFFD}\u{FFFD}a")
    }

    func testWithoutByteFallbackUnknownCharactersFuseIntoOneUnknownToken() throws {
        let url = try writeTokenizerFile(base: "llama-style.json", for: self) { root in
            var model = root["model"] as! [String: Any]
            model["byte_fallback"] = false
            root["model"] = model
        }
        let tokenizer = try Tokenizer(contentsOf: url)
        let metaspace = tokenizer.id(for: "▁")!
        XCTAssertEqual(tokenizer.encode("☃🐕☃", addSpecialTokens: false), [metaspace, 0])
        XCTAssertEqual(tokenizer.decode([metaspace, 0]), "<unk>")
    }

    func testByteLevelDecodingReplacesInvalidUTF8() throws {
        let tokenizer = try Tokenizer(contentsOf: fixturesURL.appendingPathComponent("qwen-style.json"))
        let ids = tokenizer.encode("🐕")
        XCTAssertEqual(ids.count, 4)
        XCTAssertEqual(tokenizer.decode(ids), "🐕")
        // Three of four bytes: one maximal invalid subsequence, one U+FFFD (Rust's from_utf8_lossy).
        XCTAssertEqual(tokenizer.decode(Array(ids.prefix(3)) + tokenizer.encode("x")), "\u{FFFD}x")
    }
}
