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

    func testAnnotationsAreMultiTurnConversationsAboutTheSplitsImages() throws {
        let split = Plans.small.training
        let data = try ExistenceDrill.annotations(for: split, subject: .category, questionsPerImage: 4, seed: 7)
        XCTAssertEqual(data, try ExistenceDrill.annotations(for: split, subject: .category, questionsPerImage: 4, seed: 7))
        XCTAssertNotEqual(data, try ExistenceDrill.annotations(for: split, subject: .category, questionsPerImage: 4, seed: 8))
        let records = try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [[String: Any]])
        XCTAssertEqual(records.count, split.records.count)
        let first = try XCTUnwrap(records.first)
        XCTAssertEqual(first["image"] as? String, split.records[0].imagePath)
        let turns = try XCTUnwrap(first["conversations"] as? [[String: String]])
        XCTAssertEqual(turns.count, 8)
        XCTAssertEqual(turns.map { $0["from"] }, Array(repeating: ["human", "gpt"], count: 4).flatMap { $0 })
        XCTAssertTrue(turns[0]["value"]!.hasPrefix("<image>\nIs there "))
        XCTAssertTrue(turns[0]["value"]!.hasSuffix("?\n" + PromptText.shortAnswer))
        XCTAssertFalse(turns[2]["value"]!.contains("<image>"), "the image comes with the first question only")
        XCTAssertTrue(["Yes", "No"].contains(turns[1]["value"]!))
    }
}
