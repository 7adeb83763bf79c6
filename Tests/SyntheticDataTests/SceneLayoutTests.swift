import XCTest
@testable import SyntheticData

final class SceneLayoutTests: XCTestCase {
    /// Objects never overlap or touch and lie inside the image, at the smallest, default and a
    /// large image size.
    func testObjectsAreApartAndInsideTheImage() throws {
        for side in [48, 64, 160] {
            let dataset = try SyntheticDataset(
                options: SynthesisOptions(imageSize: side, trainingCount: 300, evaluationCount: 120, seed: 3))
            for (label, scene) in Plans.scenes(of: dataset) {
                XCTAssertEqual(scene.side, side)
                XCTAssertFalse(scene.objects.isEmpty, label)
                for (i, object) in scene.objects.enumerated() {
                    let box = object.boundingBox
                    XCTAssert(box.minX >= 0 && box.minY >= 0 && box.maxX <= Double(side) && box.maxY <= Double(side),
                              "\(label): object \(i) leaves the \(side)-pixel image: \(box)")
                    for other in scene.objects[(i + 1)...] {
                        let b = other.boundingBox
                        let separated = box.maxX < b.minX || b.maxX < box.minX || box.maxY < b.minY || b.maxY < box.minY
                        XCTAssert(separated, "\(label): objects overlap: \(object) and \(other)")
                    }
                }
            }
        }
    }

    /// The boxes of the layout's shapes are tight: rendering a lone object on a plain background
    /// changes pixels in the box's first and last rows and columns, and none outside it.
    func testBoundingBoxesAreTight() {
        for kind in ShapeKind.allCases {
            let object = SceneObject(kind: kind, color: .blue, size: .large, centerX: 32, centerY: 32, radius: 12)
            let background = Background.Tone(200, 200, 200)
            let image = Scene(side: 64, background: .plain(background), objects: [object]).render()
            var painted: (minX: Int, minY: Int, maxX: Int, maxY: Int) = (64, 64, -1, -1)
            for y in 0..<64 {
                for x in 0..<64 where image[x, y] != .init(red: 200, green: 200, blue: 200) {
                    painted = (min(painted.minX, x), min(painted.minY, y), max(painted.maxX, x), max(painted.maxY, y))
                }
            }
            // Nothing is painted outside the box, and the painted pixels reach to within a pixel of
            // every edge (sharp tips can slip between the 4 × 4 samples of their edge pixel).
            let box = object.boundingBox
            XCTAssertGreaterThanOrEqual(painted.minX, Int(box.minX.rounded(.down)), "\(kind) left edge")
            XCTAssertLessThanOrEqual(painted.minX, Int(box.minX.rounded(.down)) + 1, "\(kind) left edge")
            XCTAssertLessThanOrEqual(painted.maxX, Int(box.maxX.rounded(.up)) - 1, "\(kind) right edge")
            XCTAssertGreaterThanOrEqual(painted.maxX, Int(box.maxX.rounded(.up)) - 2, "\(kind) right edge")
            XCTAssertGreaterThanOrEqual(painted.minY, Int(box.minY.rounded(.down)), "\(kind) top edge")
            XCTAssertLessThanOrEqual(painted.minY, Int(box.minY.rounded(.down)) + 1, "\(kind) top edge")
            XCTAssertLessThanOrEqual(painted.maxY, Int(box.maxY.rounded(.up)) - 1, "\(kind) bottom edge")
            XCTAssertGreaterThanOrEqual(painted.maxY, Int(box.maxY.rounded(.up)) - 2, "\(kind) bottom edge")
        }
    }
}
