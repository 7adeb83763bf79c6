import Foundation
import XCTest
import JSON

/// The hand-written JSON parser (safetensors headers, checkpoint indexes, tokenizer.json) against
/// documents with known contents.
final class JSONParserTests: XCTestCase {
    private func parse(_ text: String) throws -> JSONValue {
        try JSONParser.parse(Data(text.utf8))
    }

    func testEscapesAndSurrogatePairs() throws {
        let value = try parse(#"{"s": "a\"b\\c\/d\n\t\u0041\u00e9\ud83d\udc15 Ġ▁", "k": "plain"}"#)
        guard case .string(let text)? = value["s"] else { return XCTFail("not a string") }
        XCTAssertEqual(text, "a\"b\\c/d\n\tAé🐕 Ġ▁")
        guard case .string(let plain)? = value["k"] else { return XCTFail("not a string") }
        XCTAssertEqual(plain, "plain")
    }

    func testNumbersLiteralsAndNesting() throws {
        let value = try parse(" [0, -12, 3.5, 1e30, -2.5E-3, 123456789012345678901, true, false, null, [], {}] ")
        guard case .array(let items) = value else { return XCTFail("not an array") }
        let numbers = items.prefix(6).map { $0.doubleValue ?? .nan }
        XCTAssertEqual(numbers, [0, -12, 3.5, 1e30, -2.5e-3, Double("123456789012345678901")!])
        guard case .bool(true) = items[6], case .bool(false) = items[7], case .null = items[8],
              case .array(let empty) = items[9], empty.isEmpty, case .object(let members) = items[10], members.isEmpty
        else { return XCTFail("literals or empty containers wrong: \(items)") }
    }

    func testObjectsKeepFileOrder() throws {
        guard case .object(let members) = try parse(#"{"b": 1, "a": 2, "c": {"x": [1, 2]}}"#) else {
            return XCTFail("not an object")
        }
        XCTAssertEqual(members.map(\.key), ["b", "a", "c"])
    }

    func testDuplicateKeysStayVisible() throws {
        guard case .object(let members) = try parse(#"{"a": 1, "a": 2}"#) else { return XCTFail("not an object") }
        XCTAssertEqual(members.map(\.key), ["a", "a"])
        XCTAssertEqual(try parse(#"{"a": 1, "a": 2}"#)["a"]?.doubleValue, 1, "the subscript gives the first")
    }

    func testNestingIsLimited() {
        let deep = String(repeating: "[", count: JSONParser.maximumDepth + 1) + String(repeating: "]", count: JSONParser.maximumDepth + 1)
        XCTAssertThrowsError(try parse(deep))
        let allowed = String(repeating: "[", count: JSONParser.maximumDepth) + String(repeating: "]", count: JSONParser.maximumDepth)
        XCTAssertNoThrow(try parse(allowed))
    }

    /// An unterminated string is reported where it opens.
    func testMalformedDocumentsReportTheOffset() {
        for (text, offset) in [("{\"a\": }", 6), ("[1 2]", 3), ("\"open", 0), ("{} x", 3), ("[tru]", 1)] {
            XCTAssertThrowsError(try parse(text), text) { error in
                XCTAssertEqual((error as? JSONSyntaxError)?.offset, offset, text)
            }
        }
    }
}
