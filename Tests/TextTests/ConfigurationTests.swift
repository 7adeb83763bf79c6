import Foundation
import XCTest
@testable import Text

/// `tokenizer_config.json` and `chat_template.jinja` beside a `tokenizer.json`.
final class ConfigurationTests: XCTestCase {
    private func folder(with files: [String: String]) throws -> URL {
        let folder = try makeTemporaryFolder(for: self)
        try FileManager.default.copyItem(at: fixturesURL.appendingPathComponent("qwen-style.json"),
                                         to: folder.appendingPathComponent("tokenizer.json"))
        for (name, text) in files { try Data(text.utf8).write(to: folder.appendingPathComponent(name)) }
        return folder
    }

    func testTokenObjectsTemplateListAndUnlimitedLength() throws {
        let configuration = #"""
        {"bos_token": null,
         "eos_token": {"__type": "AddedToken", "content": "<|im_end|>", "lstrip": false},
         "pad_token": "<|endoftext|>",
         "chat_template": [{"name": "tool_use", "template": "T"},
                           {"name": "default", "template": "{% for m in messages %}{{ m['content'] }}\n{% endfor %}"}],
         "model_max_length": 1e30}
        """#
        let folder = try folder(with: ["tokenizer_config.json": configuration])
        let tokenizer = try Tokenizer(contentsOf: folder.appendingPathComponent("tokenizer.json"))
        XCTAssertNil(tokenizer.bosTokenID)
        XCTAssertEqual(tokenizer.eosTokenID, 2)
        XCTAssertEqual(tokenizer.padTokenID, 0)
        XCTAssertEqual(tokenizer.configuration?.chatTemplate, "{% for m in messages %}{{ m['content'] }}\n{% endfor %}")
        XCTAssertNil(tokenizer.configuration?.modelMaxLength)
    }

    func testChatTemplateFileIsUsedWhenTheConfigurationHasNone() throws {
        let template = "{{ bos_token }}{% for m in messages %}<|im_start|>{{ m.role }}\n{% endfor %}"
        let folder = try folder(with: ["chat_template.jinja": template])
        let tokenizer = try Tokenizer(contentsOf: folder.appendingPathComponent("tokenizer.json"))
        XCTAssertEqual(tokenizer.configuration?.chatTemplate, template)
        XCTAssertNil(tokenizer.eosTokenID)
    }

    func testWithoutConfigurationFilesThereIsNoConfiguration() throws {
        let tokenizer = try Tokenizer(contentsOf: try folder(with: [:]).appendingPathComponent("tokenizer.json"))
        XCTAssertNil(tokenizer.configuration)
        XCTAssertNil(tokenizer.bosTokenID)
        XCTAssertEqual(tokenizer.vocabularySize, 1001)
        XCTAssertEqual(tokenizer.token(for: 1000), "<image>")
        XCTAssertNil(tokenizer.token(for: 5000))
        XCTAssertNil(tokenizer.id(for: "not a token"))
    }

    func testBadConfigurationNamesTheField() throws {
        let folder = try folder(with: ["tokenizer_config.json": #"{"eos_token": 7}"#])
        XCTAssertThrowsError(try Tokenizer(contentsOf: folder.appendingPathComponent("tokenizer.json"))) { error in
            XCTAssertTrue("\(error)".contains("tokenizer_config.json: field \"eos_token.content\" is missing"), "\(error)")
        }
    }
}
