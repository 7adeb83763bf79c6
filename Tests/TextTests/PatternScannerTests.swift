import Foundation
import XCTest
@testable import Text

/// The hand-written scanners for the GPT-2, Qwen2 and Llama 3 pre-tokenizer regexes against how
/// the `tokenizers` library (Oniguruma) cuts 410 random strings (Fixtures/pretokenize-cases.json,
/// made by make_reference_cases.py). Pieces must match exactly.
final class PatternScannerTests: XCTestCase {
    private func pieces(_ text: String, _ pattern: SplitPattern) -> [String] {
        let scalars = Array(text.unicodeScalars)
        return pattern.matches(in: scalars).map { String(String.UnicodeScalarView(scalars[$0])) }
    }

    private func check(_ name: String, _ pattern: SplitPattern) throws {
        let reference = try readJSONFixture("pretokenize-cases.json") as! [String: Any]
        let texts = reference["texts"] as! [String]
        let expected = reference[name] as! [[String]]
        XCTAssertEqual(texts.count, 410)
        for (text, pieces) in zip(texts, expected) {
            XCTAssertEqual(self.pieces(text, pattern), pieces, "\(name): \(text.debugDescription)")
        }
    }

    func testGPT2ScannerMatchesTheLibrary() throws {
        try check("gpt2", .gpt2)
    }

    func testQwen2ScannerMatchesTheLibrary() throws {
        try check("qwen2", .contractionWordDigit(maximumDigits: 1))
    }

    func testLlama3ScannerMatchesTheLibrary() throws {
        try check("llama3", .contractionWordDigit(maximumDigits: 3))
    }

    func testKnownPatternsSelectTheScanners() throws {
        func pattern(_ regex: String) throws -> SplitPattern {
            try SplitPattern(JSONNode(value: .object([("Regex", .string(regex))]), path: "pattern", file: "test"))
        }
        guard case .gpt2 = try pattern(PatternScanners.gpt2Pattern) else { return XCTFail("GPT-2 pattern not recognised") }
        guard case .contractionWordDigit(1) = try pattern(PatternScanners.qwen2Pattern) else {
            return XCTFail("Qwen2 pattern not recognised")
        }
        guard case .contractionWordDigit(3) = try pattern(PatternScanners.llama3Pattern) else {
            return XCTFail("Llama 3 pattern not recognised")
        }
        guard case .regex = try pattern(#"\d+"#) else { return XCTFail("other patterns must use NSRegularExpression") }
        // Whitespace before a word: the last space goes with the word, the rest stands alone.
        XCTAssertEqual(pieces("a   b", .gpt2), ["a", "  ", " b"])
        XCTAssertEqual(pieces("a   b\n\n c  ", .contractionWordDigit(maximumDigits: 1)), ["a", "  ", " b", "\n\n", " c", "  "])
    }

    func testUnknownRegexIsAnErrorNamingTheField() {
        let node = JSONNode(value: .object([("Regex", .string("(unclosed"))]), path: "pre_tokenizer.pattern", file: "t.json")
        XCTAssertThrowsError(try SplitPattern(node)) { error in
            XCTAssertTrue("\(error)".contains("pre_tokenizer.pattern.Regex"), "\(error)")
        }
    }
}
