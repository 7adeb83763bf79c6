import Evaluation
import XCTest

/// Problems a user can cause with benchmark data: each error names the file and the record.
final class DataErrorTests: XCTestCase {
    private func folder(with files: [String: String]) throws -> URL {
        let directory = try makeTemporaryDirectory()
        for (name, contents) in files {
            let url = directory.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try contents.write(to: url, atomically: true, encoding: .utf8)
        }
        return directory
    }

    func testMissingFilesSayWhatWasExpected() throws {
        let empty = try makeTemporaryDirectory()
        XCTAssertEqual(evaluationError(try MMVP().load(from: empty)),
                       .missingFile(empty.appendingPathComponent("Questions.csv"), expected: "MMVP questions (Questions.csv)"))
        for benchmark in Benchmarks.all {
            guard case .missingFile? = evaluationError(try benchmark.load(from: empty)) else {
                return XCTFail("\(benchmark.name) should report a missing file")
            }
        }
    }

    func testMalformedJSONLineIsNamed() throws {
        let directory = try folder(with: ["coco_pope_random.json": """
            {"question_id": 1, "image": "a.jpg", "text": "Is there a cat?", "label": "yes"}
            {"question_id": 2, "image": "a.jpg", "text": "Is there a dog?", "label": "yes"
            """])
        XCTAssertEqual(evaluationError(try POPE().load(from: directory)),
                       .malformedRecord(file: directory.appendingPathComponent("coco_pope_random.json"),
                                        record: "line 2", reason: "not valid JSON"))
    }

    func testBadFieldValuesAreNamed() throws {
        let pope = try folder(with: ["coco_pope_popular.json": #"{"question_id": 1, "image": "a.jpg", "text": "Is there a cat?", "label": "maybe"}"#])
        XCTAssertEqual(evaluationError(try POPE().load(from: pope))?.description,
                       "\(pope.path)/coco_pope_popular.json, line 1: label 'maybe' is neither yes nor no")

        let cvBench = try folder(with: ["test_2d.jsonl": #"{"idx": 1, "type": "2D", "task": "Count", "choices": ["0", "1"], "answer": "(C)", "prompt": "p", "filename": "f.png", "source": "COCO"}"#])
        XCTAssertEqual(evaluationError(try CVBench2D().load(from: cvBench)),
                       .malformedRecord(file: cvBench.appendingPathComponent("test_2d.jsonl"), record: "line 1",
                                        reason: "answer 'C' is not one of the 2 option letters"))

        let mmstar = try folder(with: ["mmstar.jsonl": #"{"index": 3, "question": "q", "answer": "B", "category": "math", "image": "3.png"}"#])
        XCTAssertEqual(evaluationError(try MMStar().load(from: mmstar)),
                       .malformedRecord(file: mmstar.appendingPathComponent("mmstar.jsonl"), record: "line 1",
                                        reason: "missing field 'l2_category' or 'l2-category'"))
    }

    func testCSVRowWithWrongFieldCountIsNamed() throws {
        let directory = try folder(with: ["Questions.csv": "Index,Question,Options,Correct Answer\n1,Is it red?,(a) Yes (b) No,(a)\n2,Is it, red?,(a) Yes (b) No,(b)\n"])
        XCTAssertEqual(evaluationError(try MMVP().load(from: directory)),
                       .malformedRecord(file: directory.appendingPathComponent("Questions.csv"), record: "line 3",
                                        reason: "has 5 fields, the header has 4"))
    }

    func testMMEQuestionFileErrors() throws {
        let badAnswer = try folder(with: ["color/1.txt": "Is it red? Please answer yes or no.\tYes\nIs it blue? Please answer yes or no.\tPerhaps\n",
                                          "color/1.jpg": ""])
        XCTAssertEqual(evaluationError(try MME().load(from: badAnswer)),
                       .malformedRecord(file: badAnswer.appendingPathComponent("color/1.txt"), record: "line 2",
                                        reason: "answer 'Perhaps' is neither Yes nor No"))
        let noImage = try folder(with: ["color/1.txt": "Is it red? Please answer yes or no.\tYes\n"])
        XCTAssertEqual(evaluationError(try MME().load(from: noImage)),
                       .missingFile(noImage.appendingPathComponent("color/1.jpg"),
                                    expected: "the image (.jpg or .png) of \(noImage.appendingPathComponent("color/1.txt").path)"))
    }

    func testWhatsUpRecordErrorsNameTheElement() throws {
        let directory = try folder(with: ["coco_qa_one_obj.json": #"[[139, "A dog on the left", "A dog on the right"], [285, "A bear on the top"]]"#])
        XCTAssertEqual(evaluationError(try WhatsUp().load(from: directory)),
                       .malformedRecord(file: directory.appendingPathComponent("coco_qa_one_obj.json"), record: "element [1]",
                                        reason: "not [image_id, true caption, false caption]"))
    }

    func testDuplicateQuestionIdsAreRejected() throws {
        let directory = try folder(with: ["mmstar.jsonl": """
            {"index": 3, "question": "q", "answer": "B", "category": "math", "l2_category": "geometry", "image": "3.png"}
            {"index": 3, "question": "q", "answer": "C", "category": "math", "l2_category": "geometry", "image": "3.png"}
            """])
        guard case .duplicateQuestionID("3", _, _)? = evaluationError(try MMStar().load(from: directory)) else {
            return XCTFail("expected a duplicate question id error")
        }
    }
}
