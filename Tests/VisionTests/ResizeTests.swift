import Foundation
import Vision
import XCTest

/// `resizedBicubic` against Pillow's `Image.resize(size, Image.BICUBIC)` (recorded in
/// Fixtures/resize.json by make_fixtures.py with Pillow 13): down- and up-scaling, one axis
/// only, extreme ratios, both pass orders. Pillow's integer arithmetic is replicated, so the
/// tolerance is 0.
final class ResizeTests: XCTestCase {
    func testMatchesPillowBicubicExactly() throws {
        let reference = try Fixtures.json("resize.json")
        let source = try RGBImage(contentsOfFile: Fixtures.path(reference["source"] as! String))
        let cases = reference["cases"] as! [[String: Any]]
        XCTAssertEqual(cases.count, 11)
        for entry in cases {
            let width = entry["width"] as! Int, height = entry["height"] as! Int
            let resized = source.resizedBicubic(width: width, height: height)
            XCTAssertEqual(resized.size, ImageSize(width: width, height: height))
            assertClose(resized.pixels, Fixtures.bytes(base64: entry["rgb_base64"]), tolerance: 0, "\(width)x\(height)")
        }
    }

    func testSameSizeIsIdentity() throws {
        let image = try RGBImage(contentsOfFile: Fixtures.path("images/img1.png"))
        XCTAssertEqual(image.resizedBicubic(width: image.width, height: image.height), image)
    }
}
