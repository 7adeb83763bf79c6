import Evaluation
import XCTest

/// Expected values were checked against the reference Python functions (LLaVA `eval_pope.py` with
/// the lowercasing noted in `YesNoParsing.pope`, lmms-eval MME `parse_pred_ans`, Cambrian
/// `extract_mcq_answer`, lmms-eval MMVP `_extract_answer_letter`, lmms-eval MMStar `exact_match`)
/// run on the same strings.
final class AnswerParsingTests: XCTestCase {
    func testPOPE() {
        let expected = [
            "Yes, there is a dog.": "yes", "no.": "no", "Not at all": "no", "There is no cat": "no",
            " YES": "yes", "": "yes", "NO": "no", "No\nThere is a cat": "no", "(B).": "yes",
            "The dog is not on the left. Yes.": "no", "Yes. There is no cat.": "yes",
            "None of them": "yes", "There isn't": "yes", "No, there is not.": "no",
        ]
        for (answer, parsed) in expected {
            XCTAssertEqual(YesNoParsing.pope(answer), parsed, "'\(answer)'")
        }
    }

    func testMME() {
        let expected: [String: String?] = [
            "Yes, there is a dog.": "yes", "no.": "no", "Not at all": "no", "There is no cat": nil,
            " YES": "yes", "": nil, "y": "yes", "n": "no", "x": nil, "None of them": "no",
            "Yes. There is no cat.": "yes", "(B).": nil, "I don't know": nil,
        ]
        for (answer, parsed) in expected {
            XCTAssertEqual(YesNoParsing.mme(answer), parsed, "'\(answer)'")
        }
    }

    func testCambrianLetters() {
        let expected: [String: String?] = [
            "(B).": "B", "The answer is C": "C", "B) left": "B", "Answer: (a)": "A", "C. 3": "C",
            "a": "A", "": nil, "I think it is B": nil, "Option B": nil, "(": nil, "E": nil,
            "the answer is: (D).": nil,  // Cambrian keeps ": (d" and reads ":"
        ]
        for (answer, parsed) in expected {
            XCTAssertEqual(ChoiceParsing.cambrian(answer, letters: "ABCD"), parsed, "'\(answer)'")
        }
    }

    func testMMVPLetters() {
        let expected: [String: String?] = [
            "(B).": "B", "B) left": "B", "Answer: (a)": "A", "a.": "A", "Option B": "B",
            "The answer is (b)": "B", "Yes, there is a dog.": "A", "I think it is B": "B",
            "Before noon": "B", "The answer is C": nil, "": nil, "no.": nil,
        ]
        for (answer, parsed) in expected {
            XCTAssertEqual(ChoiceParsing.mmvp(answer), parsed, "'\(answer)'")
        }
    }

    func testMMStarLetters() {
        let expected: [String: String?] = [
            "(B).": "B", "The answer is C": "C", "B) left": "B", "Answer: (a)": "A", "option d": "D",
            "(c)": "C", "C. 3": "C", "Before noon": "B", "I think it is B": nil, "Option ": nil,
            "(": nil, "": nil, "\nD\n": "D",
        ]
        for (answer, parsed) in expected {
            XCTAssertEqual(ChoiceParsing.mmstar(answer, letters: "ABCD"), parsed, "'\(answer)'")
        }
    }

    func testBenchmarksMarkUnparseableAnswersUnrecognizedAndWrong() throws {
        let items = try CVBench2D().load(from: fixtures.appendingPathComponent("cvbench"))
        let judged = CVBench2D().judge(rawAnswer: "", for: items[0])
        XCTAssertEqual(judged.parsed, .unrecognized)
        XCTAssertFalse(judged.isCorrect)
        XCTAssertNil(judged.parsed.text)
    }
}
