import XCTest
@testable import SyntheticData
import Vision

final class RenderingTests: XCTestCase {
    private let gray = Background.Tone(200, 200, 200)

    /// How much of each pixel a lone blue object covers, from its red channel (200 background,
    /// 35 paint).
    private func coverage(of object: SceneObject, side: Int = 64) -> [[Double]] {
        let image = Scene(side: side, background: .plain(gray), objects: [object]).render()
        return (0..<side).map { y in (0..<side).map { x in Double(200 - Int(image[x, y].red)) / 165 } }
    }

    /// Edges are antialiased: a circle has pixels of intermediate value, and only along its outline.
    func testEdgesHaveIntermediateValues() {
        let circle = SceneObject(kind: .circle, color: .blue, size: .large, centerX: 31.3, centerY: 30.7, radius: 10)
        let alpha = coverage(of: circle)
        var partial = 0
        for y in 0..<64 {
            for x in 0..<64 {
                let distance = ((Double(x) + 0.5 - 31.3) * (Double(x) + 0.5 - 31.3)
                    + (Double(y) + 0.5 - 30.7) * (Double(y) + 0.5 - 30.7)).squareRoot()
                if alpha[y][x] > 0.01 && alpha[y][x] < 0.99 {
                    partial += 1
                    XCTAssertLessThan(abs(distance - 10), 0.75, "partial pixel (\(x), \(y)) away from the outline")
                } else if distance < 9.25 {
                    XCTAssertEqual(alpha[y][x], 1, accuracy: 0.001, "pixel (\(x), \(y)) inside is not fully covered")
                } else if distance > 10.75 {
                    XCTAssertEqual(alpha[y][x], 0, accuracy: 0.001, "pixel (\(x), \(y)) outside is painted")
                }
            }
        }
        // The outline is 2π·10 ≈ 63 pixels long; nearly every pixel it crosses is partly covered.
        XCTAssertGreaterThan(partial, 50)
    }

    /// The painted area of each kind matches its outline's exact area (in units of r²):
    /// circle π, square (2·0.82)², diamond 2, triangle 0.86·2, star 10 · ½ · 1 · 0.5 · sin 36°,
    /// cross 2 · 1.84 · 0.64 − 0.64². Tolerance 2 %: 4 × 4 supersampling and 8-bit rounding.
    func testPaintedAreasMatchTheOutlines() {
        let expected: [ShapeKind: Double] = [
            .circle: Double.pi, .square: 1.64 * 1.64, .diamond: 2, .triangle: 1.72,
            .star: 2.5 * 0.587_785_252_3, .cross: 2 * 1.84 * 0.64 - 0.64 * 0.64,
        ]
        for kind in ShapeKind.allCases {
            let object = SceneObject(kind: kind, color: .blue, size: .large, centerX: 32.2, centerY: 31.9, radius: 14)
            let area = coverage(of: object).joined().reduce(0, +) / (14 * 14)
            XCTAssertEqual(area, expected[kind]!, accuracy: 0.02 * expected[kind]!, "\(kind)")
        }
    }

    /// In every planned scene, the pixel under each object's centre has exactly the object's colour.
    func testObjectsArePaintedWhereTheSceneSaysInTheirColour() {
        for (label, scene) in Plans.scenes(of: Plans.small).prefix(400) {
            let image = scene.render()
            for object in scene.objects {
                XCTAssertEqual(image[Int(object.centerX), Int(object.centerY)], object.color.rgb,
                               "\(label): \(object.color) \(object.kind) at (\(object.centerX), \(object.centerY))")
            }
        }
    }

    /// Backgrounds: a plain one is uniform, a gradient runs between its two tones, noise stays
    /// within its amplitude of its tone.
    func testBackgrounds() {
        let a = Background.Tone(234, 234, 230), b = Background.Tone(52, 57, 68)
        let plain = Scene(side: 8, background: .plain(a), objects: []).render()
        XCTAssertEqual(Set(plain.pixels), [234, 230])
        let gradient = Scene(side: 8, background: .gradient(from: a, to: b, direction: .horizontal), objects: []).render()
        XCTAssertEqual(gradient[0, 5], RGBColor(red: 234, green: 234, blue: 230))
        XCTAssertEqual(gradient[7, 2], RGBColor(red: 52, green: 57, blue: 68))
        let expectedRed = (234 * 4 + 52 * 3 + 3) / 7
        XCTAssertEqual(Int(gradient[3, 0].red), expectedRed)
        let noise = Scene(side: 16, background: .noise(a, amplitude: 6, seed: 5), objects: []).render()
        let reds = Set((0..<16).flatMap { y in (0..<16).map { noise[$0, y].red } })
        XCTAssertGreaterThan(reds.count, 8)
        XCTAssert(reds.allSatisfy { (228...240).contains(Int($0)) })
    }
}
