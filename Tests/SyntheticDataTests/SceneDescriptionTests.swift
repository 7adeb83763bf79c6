import XCTest
@testable import SyntheticData

/// The description that ends every training conversation names each object and its cell of a
/// 3 × 3 grid, in reading order.
final class SceneDescriptionTests: XCTestCase {
    func object(_ color: ShapeColor, _ kind: ShapeKind, x: Double, y: Double) -> SceneObject {
        SceneObject(kind: kind, color: color, size: .small, centerX: x, centerY: y, radius: 5)
    }

    func testListsObjectsInReadingOrderWithTheirCells() {
        let scene = Scene(side: 60, background: .plain(.init(128, 128, 128)), objects: [
            object(.green, .star, x: 30, y: 50),
            object(.blue, .square, x: 30, y: 30),
            object(.orange, .circle, x: 50, y: 10),
            object(.red, .circle, x: 10, y: 10),
        ])
        XCTAssertEqual(SceneDescription.text(of: scene),
                       "A red circle at the top left, an orange circle at the top right, a blue square in the centre "
                       + "and a green star at the bottom.")
        XCTAssertEqual(SceneDescription.text(of: Scene(side: 60, background: scene.background, objects: [scene.objects[0]])),
                       "A green star at the bottom.")
        XCTAssertEqual(SceneDescription.place(row: 1, column: 0), "on the left")
    }

    /// Every training record's description names as many objects as its scene holds.
    func testEveryTrainingDescriptionNamesEveryObject() {
        for record in Plans.small.training.records {
            let text = SceneDescription.text(of: record.scene)
            let named = ShapeKind.allCases.map { kind in text.components(separatedBy: " \(kind.name) ").count - 1 }
            XCTAssertEqual(named.reduce(0, +), record.scene.objects.count, text)
        }
    }
}
