import Foundation
import Vision
import XCTest

/// `resizedBicubic` and `resizedNearest` against Pillow's `Image.resize(size, BICUBIC / NEAREST)`
/// (recorded in Fixtures/resize.json and nearest.json by make_fixtures.py with Pillow 13).
/// Pillow's arithmetic is replicated, so the tolerance is 0.
final class ResizeTests: XCTestCase {
    /// Down- and up-scaling, one axis only, extreme ratios, both pass orders.
    func testMatchesPillowBicubicExactly() throws {
        try assertMatchesPillow("resize.json", caseCount: 11) { $0.resizedBicubic(width: $1, height: $2) }
    }

    /// Up, down, mixed; 35x21 needs Pillow's accumulated positions.
    func testNearestMatchesPillowExactly() throws {
        try assertMatchesPillow("nearest.json", caseCount: 8) { $0.resizedNearest(width: $1, height: $2) }
    }

    func testSameSizeIsIdentity() throws {
        let image = try RGBImage(contentsOfFile: Fixtures.path("images/img1.png"))
        XCTAssertEqual(image.resizedBicubic(width: image.width, height: image.height), image)
        XCTAssertEqual(image.resizedNearest(width: image.width, height: image.height), image)
    }

    /// Resizes the fixture's source image to every recorded size with `resize(image, width,
    /// height)` and compares with Pillow's pixels.
    private func assertMatchesPillow(_ fixture: String, caseCount: Int,
                                     _ resize: (RGBImage, Int, Int) -> RGBImage) throws {
        let reference = try Fixtures.json(fixture)
        let source = try RGBImage(contentsOfFile: Fixtures.path(reference["source"] as! String))
        let cases = reference["cases"] as! [[String: Any]]
        XCTAssertEqual(cases.count, caseCount, fixture)
        for entry in cases {
            let width = entry["width"] as! Int, height = entry["height"] as! Int
            let resized = resize(source, width, height)
            XCTAssertEqual(resized.size, ImageSize(width: width, height: height))
            assertClose(resized.pixels, Fixtures.bytes(base64: entry["rgb_base64"]), tolerance: 0,
                        "\(fixture) \(width)x\(height)")
        }
    }
}
