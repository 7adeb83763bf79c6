import Foundation
import XCTest
@testable import Text

/// Every variant of Fixtures/reference-cases.json: a fixture tokenizer with some components
/// replaced, and the ids and decoded texts the `tokenizers` library (version in the file's
/// `produced_by`) computed for a set of tricky texts. All must match exactly.
final class ReferenceVariantTests: XCTestCase {
    /// Applies a variant's replacements as make_reference_cases.py does: top-level fields are
    /// replaced (`{"append": [...]}` extends the base list instead), model fields are replaced
    /// (`"merges": "as strings"` rewrites the base merges as "a b" strings after a #version line).
    private func tokenizer(for variant: [String: Any]) throws -> Tokenizer {
        let overrides = variant["overrides"] as! [String: Any]
        let modelOverrides = variant["model_overrides"] as! [String: Any]
        let url = try writeTokenizerFile(base: variant["base"] as! String, for: self) { root in
            for (key, value) in overrides {
                if let append = (value as? [String: Any])?["append"] as? [Any] {
                    root[key] = (root[key] as! [Any]) + append
                } else {
                    root[key] = value
                }
            }
            var model = root["model"] as! [String: Any]
            for (key, value) in modelOverrides {
                if key == "merges", value as? String == "as strings" {
                    let pairs = model["merges"] as! [[String]]
                    model["merges"] = ["#version: 0.2"] + pairs.map { "\($0[0]) \($0[1])" }
                } else {
                    model[key] = value
                }
            }
            root["model"] = model
        }
        return try Tokenizer(contentsOf: url)
    }

    func testAllVariantsMatchTheLibrary() throws {
        let reference = try readJSONFixture("reference-cases.json") as! [String: Any]
        let variants = reference["variants"] as! [[String: Any]]
        XCTAssertEqual(variants.count, 23)
        var checked = 0
        for variant in variants {
            let name = variant["name"] as! String
            let tokenizer = try tokenizer(for: variant)
            XCTAssertEqual(tokenizer.vocabularySize, variant["vocabulary_size"] as? Int, name)
            for testCase in variant["cases"] as! [[String: Any]] {
                let text = testCase["text"] as! String
                let label = "\(name): \(text.debugDescription)"
                let ids = tokenizer.encode(text)
                XCTAssertEqual(ids, testCase["ids"] as! [Int], label)
                XCTAssertEqual(tokenizer.encode(text, addSpecialTokens: false),
                               testCase["ids_without_special_tokens"] as! [Int], label)
                XCTAssertEqual(tokenizer.decode(ids), testCase["decoded"] as! String, label)
                XCTAssertEqual(tokenizer.decode(ids, skipSpecialTokens: true),
                               testCase["decoded_skipping_special_tokens"] as! String, label)
                checked += 1
            }
            for testCase in variant["decode_cases"] as! [[String: Any]] {
                let ids = testCase["ids"] as! [Int]
                let label = "\(name): decode \(ids)"
                XCTAssertEqual(tokenizer.decode(ids), testCase["decoded"] as! String, label)
                XCTAssertEqual(tokenizer.decode(ids, skipSpecialTokens: true),
                               testCase["decoded_skipping_special_tokens"] as! String, label)
            }
        }
        XCTAssertGreaterThan(checked, 800)
    }
}
