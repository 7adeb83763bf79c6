import Evaluation
import XCTest

final class WhatsUpTests: XCTestCase {
    private let whatsUp = WhatsUp()

    private func items() throws -> [EvaluationItem] {
        try whatsUp.load(from: fixtures.appendingPathComponent("whatsup"))
    }

    /// A right or a wrong option letter for an item.
    private func letter(for item: EvaluationItem, right: Bool) -> String {
        right ? item.answer : ["A", "B", "C", "D"].first { $0 != item.answer }!
    }

    func testLoadsAllSubsetsAndShowsTheCorrectCaptionUnderTheAnswerLetter() throws {
        let items = try items()
        XCTAssertEqual(items.count, 16)
        let mug = try XCTUnwrap(items.first { $0.questionID == "controlled_a/mug_left_of_table" })
        XCTAssertEqual(mug.imagePaths, [fixtures.appendingPathComponent("whatsup/controlled_images/mug_left_of_table.jpeg")])
        XCTAssertEqual(mug.grouping, [Grouping.subset: "controlled_a", Grouping.set: "controlled_a/mug|table",
                                      Grouping.pair: "controlled_a/mug|table/left-right"])
        let coco = try XCTUnwrap(items.first { $0.questionID == "coco_one/0" })
        XCTAssertEqual(coco.imagePaths, [fixtures.appendingPathComponent("whatsup/val2017/000000000139.jpg")])
        let gqa = try XCTUnwrap(items.first { $0.questionID == "gqa_two/1" })
        XCTAssertEqual(gqa.imagePaths, [fixtures.appendingPathComponent("whatsup/vg_images/2368312.jpg")])
        XCTAssertEqual(gqa.choices.count, 2)

        let trueCaptions = [
            "controlled_a/mug_left_of_table": "A mug to the left of a table",
            "controlled_b/cube_behind_sphere": "A cube behind a sphere",
            "coco_one/0": "A photo of a dog on the left",
            "gqa_two/1": "A photo of a lamp above a table",
        ]
        for (id, caption) in trueCaptions {
            let item = try XCTUnwrap(items.first { $0.questionID == id })
            let index = Int(item.answer.unicodeScalars.first!.value) - 65
            XCTAssertEqual(item.choices[index], caption, id)
            XCTAssertTrue(item.prompt.hasPrefix("Which caption describes the image correctly?\nA. "), id)
            XCTAssertTrue(item.prompt.hasSuffix("\nAnswer with the option's letter from the given choices directly."), id)
        }
    }

    func testShuffleIsDeterministicAndNotAlwaysFirst() throws {
        // The same letters come from an independent Python implementation of the documented
        // FNV-1a → SplitMix64 → Fisher–Yates shuffle; a change here changes every prompt.
        let letters = try items().map(\.answer).joined()
        XCTAssertEqual(letters, try items().map(\.answer).joined())
        XCTAssertEqual(letters, "DDAAABDCDBCCAABA")
    }

    func testAccuracyPairAndSetAccuracyAsTheWhatsUpPaper() throws {
        let items = try items()
        var answers: [String: String] = [:]
        for item in items {
            answers[item.questionID] = letter(for: item, right: true)
        }
        for wrong in ["controlled_a/cup_under_box", "controlled_b/cube_left_of_sphere", "coco_one/1"] {
            answers[wrong] = letter(for: items.first { $0.questionID == wrong }!, right: false)
        }
        answers["coco_one/0"] = "A photo of a dog on the left."   // the caption repeated verbatim
        answers["gqa_two/1"] = "maybe"                            // no option named
        let (metrics, predictions) = score(whatsUp, items, answers: answers)
        XCTAssertEqual(predictions.first { $0.item.questionID == "gqa_two/1" }?.parsed, .unrecognized)
        // A: 7 of 8 right; pairs mug l/r, mug on/under, cup l/r right, cup on/under wrong; set mug right.
        // B: 3 of 4 right; in-front/behind right, left/right wrong; its only set wrong.
        assertMetrics(metrics, [
            "controlled_a/accuracy": 87.5, "controlled_a/pair_accuracy": 75, "controlled_a/set_accuracy": 50,
            "controlled_b/accuracy": 75, "controlled_b/pair_accuracy": 50, "controlled_b/set_accuracy": 0,
            "controlled/accuracy": 81.25, "controlled/pair_accuracy": 62.5, "controlled/set_accuracy": 25,
            "coco_one/accuracy": 50, "coco/accuracy": 50, "gqa_two/accuracy": 50, "gqa/accuracy": 50,
            "average": 65.625,
        ])
        XCTAssertEqual(metrics.counts["controlled_a/pairs"], 4)
        XCTAssertEqual(metrics.counts["controlled_a/sets"], 2)
        XCTAssertNil(metrics.values["coco_one/pair_accuracy"])
    }
}
