import Foundation
import XCTest
@testable import Text

/// Files this tokenizer cannot or must not load produce errors naming the file and the problem.
final class ErrorTests: XCTestCase {
    private func loadError(base: String = "qwen-style.json", edit: (inout [String: Any]) -> Void) throws -> String {
        let url = try writeTokenizerFile(base: base, for: self, edit: edit)
        do {
            _ = try Tokenizer(contentsOf: url)
        } catch let error as TokenizerError {
            XCTAssertEqual(error.errorDescription, error.description)
            XCTAssertTrue(error.description.hasPrefix(url.path), error.description)
            return error.description
        }
        XCTFail("loading succeeded")
        return ""
    }

    func testUnsupportedComponentsNameTheComponentAndType() throws {
        XCTAssertTrue(try loadError { $0["pre_tokenizer"] = ["type": "Digits", "individual_digits": true] }
            .hasSuffix("tokenizer.json: unsupported pre_tokenizer type \"Digits\""))
        XCTAssertTrue(try loadError { $0["normalizer"] = ["type": "BertNormalizer"] }
            .hasSuffix("unsupported normalizer type \"BertNormalizer\""))
        XCTAssertTrue(try loadError { $0["decoder"] = ["type": "WordPiece", "prefix": "##"] }
            .hasSuffix("unsupported decoder type \"WordPiece\""))
        XCTAssertTrue(try loadError { $0["post_processor"] = ["type": "BertProcessing"] }
            .hasSuffix("unsupported post_processor type \"BertProcessing\""))
        XCTAssertTrue(try loadError { $0["model"] = ["type": "Unigram", "vocab": [] as [Any]] }
            .hasSuffix("unsupported model type \"Unigram\""))
        // Nested inside a sequence, too.
        XCTAssertTrue(try loadError {
            $0["pre_tokenizer"] = ["type": "Sequence", "pretokenizers": [["type": "Whitespace"]]]
        }.hasSuffix("unsupported pre_tokenizer type \"Whitespace\""))
    }

    func testMalformedFieldsNameTheField() throws {
        XCTAssertTrue(try loadError { root in
            var model = root["model"] as! [String: Any]
            var merges = model["merges"] as! [Any]
            merges[3] = ["Ġ", "no-such-token"]
            model["merges"] = merges
            root["model"] = model
        }.contains("field \"model.merges[3]\" uses token \"no-such-token\" that is not in the vocabulary"))
        XCTAssertTrue(try loadError { $0["model"] = ["type": "BPE", "merges": [] as [Any]] }
            .contains("field \"model.vocab\" is missing"))
        XCTAssertTrue(try loadError { $0["added_tokens"] = [["id": "seven", "content": "x"]] }
            .contains("field \"added_tokens[0].id\" must be an integer, found a string"))
        XCTAssertTrue(try loadError(base: "llama-style.json") { root in
            var model = root["model"] as! [String: Any]
            model["unk_token"] = "<missing>"
            root["model"] = model
        }.contains("field \"model.unk_token\" is not in the vocabulary"))
    }

    func testUnreadableAndInvalidFiles() throws {
        let folder = try makeTemporaryFolder(for: self)
        let missing = folder.appendingPathComponent("absent.json")
        XCTAssertThrowsError(try Tokenizer(contentsOf: missing)) { error in
            guard case TokenizerError.unreadableFile(let file, _) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(file, missing.path)
        }
        let broken = folder.appendingPathComponent("broken.json")
        try Data(#"{"model": {"vocab": {"a": 0,}}}"#.utf8).write(to: broken)
        XCTAssertThrowsError(try Tokenizer(contentsOf: broken)) { error in
            guard case TokenizerError.invalidJSON(_, let offset, _) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(offset, 28)  // the "}" where a member name must follow ","
        }
    }
}
