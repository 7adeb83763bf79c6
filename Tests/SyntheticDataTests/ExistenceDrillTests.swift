import Foundation
import XCTest
@testable import SyntheticData

/// Existence drills ask several yes/no questions about one scene, as many "Yes" as "No" where the
/// scene allows, each answer true of the scene, near-miss negatives for categories.
final class ExistenceDrillTests: XCTestCase {
    func object(_ color: ShapeColor, _ kind: ShapeKind) -> SceneObject {
        SceneObject(kind: kind, color: color, size: .small, centerX: 20, centerY: 20, radius: 5)
    }

    func testCandidatesNameWhatTheSceneShowsAndNearMisses() {
        let scene = Scene(side: 64, background: .plain(.init(128, 128, 128)),
                          objects: [object(.red, .circle), object(.orange, .star)])
        let colors = ExistenceDrill.candidates(in: scene, subject: .color)
        XCTAssertEqual(colors.present, ["a red shape", "an orange shape"])
        XCTAssertEqual(colors.absent, ["a green shape", "a blue shape", "a yellow shape", "a purple shape"])

        let categories = ExistenceDrill.candidates(in: scene, subject: .category)
        XCTAssertEqual(categories.present, ["a red circle", "an orange star"])
        // Absent categories sharing the colour or the kind of an object: the 5 other circles, the 5
        // other stars and the 4 red and 4 orange shapes of the other four kinds.
        XCTAssertEqual(categories.absent.count, 18)
        XCTAssertTrue(categories.absent.contains("a red star"))
        XCTAssertTrue(categories.absent.contains("an orange circle"))
        XCTAssertFalse(categories.absent.contains("a blue square"), "a category sharing nothing is not a near miss")
    }

    /// Every question of every drill about the small plan's training scenes is answered truly, is
    /// asked once per conversation, and the answers of a conversation are half "Yes" when the scene
    /// shows enough.
    func testDrillAnswersAreTrueBalancedAndDistinct() throws {
        for subject in ExistenceDrill.Subject.allCases {
            var yes = 0, total = 0
            for (index, record) in Plans.small.training.records.enumerated() {
                var generator = SeededGenerator(seed: 3, stream: "test", index: index)
                let items = ExistenceDrill.items(about: record.scene, subject: subject, count: 4, using: &generator)
                XCTAssertEqual(Set(items.map(\.prompt)).count, items.count, "a question is asked once")
                let (present, absent) = ExistenceDrill.candidates(in: record.scene, subject: subject)
                XCTAssertEqual(items.filter(\.present).count, min(2, present.count))
                XCTAssertEqual(items.filter { !$0.present }.count, min(2, absent.count))
                for item in items {
                    let named = item.prompt.dropFirst("Is there ".count).dropLast(" in the image?".count)
                    XCTAssertTrue((item.present ? present : absent).contains(String(named)), item.prompt)
                    XCTAssertEqual(item.response, item.present ? "Yes" : "No")
                }
                yes += items.filter(\.present).count
                total += items.count
            }
            XCTAssertEqual(Double(yes) / Double(total), 0.5, accuracy: 0.05, subject.rawValue)
        }
    }

    /// Each training record's two checks: one about a colour ("… shape"), one about a category,
    /// one answered "Yes" and one "No", each true of the record's scene; the colour is the "Yes"
    /// about half of the time.
    func testTrainingRecordsCheckAColourAndACategoryOnceEach() throws {
        var colorYes = 0
        let records = Plans.small.training.records
        for record in records {
            XCTAssertEqual(record.checks.count, 2, record.id)
            XCTAssertEqual(record.checks.filter(\.present).count, 1, record.id)
            let subjects = record.checks.map { $0.prompt.hasSuffix(" shape in the image?") ? "color" : "category" }
            XCTAssertEqual(Set(subjects), ["color", "category"], record.id)
            for (check, subject) in zip(record.checks, subjects) {
                let (present, absent) = ExistenceDrill.candidates(in: record.scene, subject: .init(rawValue: subject)!)
                let named = String(check.prompt.dropFirst("Is there ".count).dropLast(" in the image?".count))
                XCTAssertTrue((check.present ? present : absent).contains(named), check.prompt)
                if subject == "color" && check.present { colorYes += 1 }
            }
        }
        XCTAssertEqual(Double(colorYes) / Double(records.count), 0.5, accuracy: 0.15)
    }

    func testAnnotationsAddTheDrillToTheSplitsConversations() throws {
        let split = Plans.small.training
        let data = try ExistenceDrill.annotations(for: split, subject: .category, questionsPerImage: 4, seed: 7)
        XCTAssertEqual(data, try ExistenceDrill.annotations(for: split, subject: .category, questionsPerImage: 4, seed: 7))
        XCTAssertNotEqual(data, try ExistenceDrill.annotations(for: split, subject: .category, questionsPerImage: 4, seed: 8))
        let records = try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [[String: Any]])
        XCTAssertEqual(records.count, split.records.count)
        var drillQuestions = 0
        for (object, record) in zip(records, split.records) {
            XCTAssertEqual(object["image"] as? String, record.imagePath)
            let turns = try XCTUnwrap(object["conversations"] as? [[String: String]])
            let own = record.conversation()
            // The record's question and checks, the drill, then the record's description.
            XCTAssertEqual(Array(turns.prefix(own.count - 2)), Array(own.prefix(own.count - 2)), record.id)
            XCTAssertEqual(Array(turns.suffix(2)), Array(own.suffix(2)), record.id)
            let drill = turns[(own.count - 2)..<(turns.count - 2)]
            XCTAssertEqual(drill.map { $0["from"] }, Array(repeating: ["human", "gpt"], count: drill.count / 2).flatMap { $0 })
            let prompts = stride(from: drill.startIndex, to: drill.endIndex, by: 2).map { drill[$0]["value"]! }
            XCTAssertEqual(Set(prompts).count, prompts.count, "no question twice")
            XCTAssertTrue(Set(prompts).isDisjoint(with: record.checks.map(\.text)), "no check asked again")
            for (prompt, answer) in zip(prompts, stride(from: drill.startIndex + 1, to: drill.endIndex, by: 2).map { drill[$0]["value"]! }) {
                XCTAssertTrue(prompt.hasPrefix("Is there ") && prompt.hasSuffix("?\n" + PromptText.shortAnswer), prompt)
                XCTAssertTrue(["Yes", "No"].contains(answer))
                XCTAssertFalse(prompt.contains("<image>"), "the image comes with the record's question only")
            }
            drillQuestions += prompts.count
        }
        XCTAssertGreaterThan(Double(drillQuestions) / Double(records.count), 3.5, "about four per image")
    }
}
