import Foundation
import XCTest
@testable import Training

final class RecordReadingTests: XCTestCase {
    func testJSONListWithStringIntegerAndMissingIDsAndSpeakerAliases() throws {
        let folder = try TemporaryFolder()
        let file = try folder.write("""
        [
          {"id": "000000033471", "image": "coco/1.jpg",
           "conversations": [{"from": "human", "value": "<image>\\nWhat?"}, {"from": "gpt", "value": "A bus."}]},
          {"id": 17, "conversations": [{"from": "user", "value": "Hi"}, {"from": "Assistant", "value": "Hello"},
                                       {"from": "Human", "value": "Bye"}]},
          {"conversations": [{"from": "human", "value": "No id"}]}
        ]
        """, to: "data.json")
        let records = try ConversationRecordReader.read(contentsOf: file).map { try $0.get() }
        XCTAssertEqual(records.map(\.id), ["000000033471", "17", "#2"])
        XCTAssertEqual(records.map(\.image), ["coco/1.jpg", nil, nil])
        XCTAssertEqual(records[1].turns, [ConversationTurn(.human, "Hi"), ConversationTurn(.gpt, "Hello"),
                                          ConversationTurn(.human, "Bye")])
        XCTAssertEqual(records[2].location, RecordLocation(file: file.path, index: 2))
        XCTAssertEqual(records[0].location.description, file.path + "[0]")
    }

    func testJSONLinesKeepLineNumbersAndSkipBlankLines() throws {
        let folder = try TemporaryFolder()
        let first = try recordJSON(id: "a", image: nil, turns: [("human", "q"), ("gpt", "a")])
        let second = try recordJSON(id: 2, image: "x.png", turns: [("human", "<image>"), ("gpt", "b")])
        let file = try folder.write("\(first)\n\n  \n\(second)\n{\"id\": \"broken\"\n", to: "data.jsonl")
        let results = try ConversationRecordReader.read(contentsOf: file)
        XCTAssertEqual(results.count, 3)
        let records = try results.prefix(2).map { try $0.get() }
        XCTAssertEqual(records.map(\.id), ["a", "2"])
        XCTAssertEqual(records.map(\.location.line), [1, 4])
        XCTAssertEqual(records.map(\.location.index), [0, 1])
        guard case .failure(let bad) = results[2], case .malformedJSON = bad.problem else {
            return XCTFail("line 5 should be malformed JSON: \(results[2])")
        }
        XCTAssertEqual(bad.location.line, 5)
        XCTAssertTrue(bad.description.hasPrefix(file.path + ":5: record #2: malformed JSON"), bad.description)
    }

    func testMalformedFieldsAreReportedPerRecord() throws {
        let folder = try TemporaryFolder()
        let file = try folder.write("""
        [
          [1, 2],
          {"id": 1.5, "conversations": []},
          {"id": "list", "image": ["a.png", "b.png"], "conversations": [{"from": "human", "value": "q"}]},
          {"id": "noturns"},
          {"id": "empty", "conversations": []},
          {"id": "turn", "conversations": [{"from": "human"}]},
          {"id": "who", "conversations": [{"from": "system", "value": "You are"}]}
        ]
        """, to: "data.json")
        let problems = try ConversationRecordReader.read(contentsOf: file).map { result -> String in
            guard case .failure(let bad) = result else { return "ok" }
            return bad.description.replacingOccurrences(of: file.path, with: "F")
        }
        XCTAssertEqual(problems, [
            "F[0]: record #0: is not a JSON object",
            "F[1]: record #1: field \"id\" must be a string or an integer",
            "F[2]: record 'list': field \"image\" lists several images, which is not supported",
            "F[3]: record 'noturns': field \"conversations\" is missing",
            "F[4]: record 'empty': \"conversations\" is empty",
            "F[5]: record 'turn': field \"conversations[0].value\" is missing or not a string",
            "F[6]: record 'who': conversations[0] is from \"system\" (expected human, user, gpt or assistant)",
        ])
    }

    func testWholeFileErrorsNameTheFile() throws {
        let folder = try TemporaryFolder()
        let broken = try folder.write("[{\"id\": 1,", to: "broken.json")
        XCTAssertThrowsError(try ConversationRecordReader.read(contentsOf: broken)) { error in
            guard case TrainingDataError.invalidJSON(let path, _) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(path, broken.path)
        }
        let object = try folder.write("{\"id\": 1}", to: "object.json")
        XCTAssertThrowsError(try ConversationRecordReader.read(contentsOf: object)) { error in
            XCTAssertEqual("\(error)", "data file '\(object.path)' is not a JSON list of records: the top level is not a list")
        }
        let missing = folder.url.appendingPathComponent("missing.json")
        XCTAssertThrowsError(try ConversationRecordReader.read(contentsOf: missing)) { error in
            XCTAssertTrue("\(error)".contains("cannot read data file '\(missing.path)'"), "\(error)")
        }
    }

    func testImagePlaceholderMovesToTheFrontAsLLaVADoes() throws {
        let cases: [(String, String)] = [
            ("What is this?\n<image>", "<image>\nWhat is this?"),
            ("<image>\nWhat?", "<image>\nWhat?"),
            ("Look at <image> and tell me", "<image>\nLook at  and tell me"),
            ("<image> a <image> b", "<image>\na  b"),
            ("<image>", "<image>"),
            // Python's strip removes U+001C (a separator control); Swift's whitespace set does not.
            ("\u{1C}Hi <image>\u{3000}", "<image>\nHi"),
        ]
        for (text, expected) in cases {
            let moved = try conversation([(.human, text), (.gpt, "ok")], hasImage: true)
            XCTAssertEqual(moved.turns[0].text, expected, text)
        }
    }

    func testConversationRulesReportTurnNumbersOfTheRecord() throws {
        func problem(_ turns: [(Speaker, String)], image: Bool) -> RecordProblem? {
            let record = ConversationRecord(id: "r", image: image ? "i.png" : nil,
                                            turns: turns.map { ConversationTurn($0.0, $0.1) },
                                            location: RecordLocation(file: "f", index: 0))
            guard case .failure(let problem) = Conversation.normalizing(record) else { return nil }
            return problem
        }
        XCTAssertNil(problem([(.gpt, "dropped"), (.human, "<image>q"), (.gpt, "a")], image: true))
        XCTAssertEqual(problem([(.gpt, "only the assistant")], image: false), .noHumanTurn)
        XCTAssertEqual(problem([(.human, "q"), (.human, "q again")], image: false),
                       .turnOutOfOrder(turn: 1, found: .human, expected: .gpt))
        XCTAssertEqual(problem([(.gpt, "x"), (.human, "q"), (.gpt, "a"), (.gpt, "b")], image: false),
                       .turnOutOfOrder(turn: 3, found: .gpt, expected: .human))
        XCTAssertEqual(problem([(.human, "q <image>"), (.gpt, "a")], image: false), .placeholderWithoutImage(turn: 0))
        XCTAssertEqual(problem([(.human, "q"), (.gpt, "a")], image: true), .missingPlaceholder)
        XCTAssertEqual(problem([(.human, "<image>"), (.gpt, "<image>")], image: true), .placeholderInAssistantTurn(turn: 1))
        XCTAssertEqual(problem([(.human, "<image>"), (.gpt, "a"), (.human, "<image>")], image: true),
                       .placeholdersInSeveralTurns(turns: [0, 2]))
    }

    func testPlainTemplateNeedsAnImageCaptionPair() throws {
        let pair = try conversation([(.human, "<image>"), (.gpt, "caption")], hasImage: true)
        XCTAssertNil(PlainTemplate().problem(with: pair))
        let textOnly = try conversation([(.human, "q"), (.gpt, "a")], hasImage: false)
        XCTAssertEqual(PlainTemplate().problem(with: textOnly), .notACaptionPair(turnCount: 2, hasImage: false))
        let long = try conversation([(.human, "<image>"), (.gpt, "a"), (.human, "b")], hasImage: true)
        XCTAssertEqual(PlainTemplate().problem(with: long)?.description,
                       "the plain template needs an image and one human turn then one assistant turn, "
                           + "but the record has 3 turns and an image")
    }

    /// Swift's `String` matches by grapheme cluster: "</s>" followed by a combining accent is not
    /// found by `components(separatedBy:)`, but Python (and LLaVA) cut there.
    func testTextIsCutOnCodePointsLikePython() {
        XCTAssertEqual(PythonText.split("a</s>\u{301}b</s>", separator: "</s>"), ["a", "\u{301}b", ""])
        XCTAssertEqual(PythonText.split("", separator: "</s>"), [""])
        XCTAssertTrue(PythonText.contains("x<image>\u{301}", "<image>"))
        XCTAssertEqual(PythonText.strip(" \t\u{85}a b\u{A0}\n"), "a b")
        XCTAssertEqual(PythonText.strip("\u{200B}a"), "\u{200B}a", "zero-width space is not white space in Python")
    }
}
