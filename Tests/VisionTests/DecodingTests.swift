import Foundation
import Vision
import XCTest

/// Decoding against Pillow: `Image.open(f).convert("RGB")` as recorded in
/// Fixtures/codecs/decoded.json by make_fixtures.py (Pillow 13, its bundled libjpeg-turbo 3).
final class DecodingTests: XCTestCase {
    private func reference() throws -> [String: Any] {
        try Fixtures.json("codecs/decoded.json")
    }

    /// Every PNG variant (1/2/4/8/16-bit gray, gray+alpha, RGB, RGBA, palette with and without
    /// tRNS, Adam7-interlaced) decodes to exactly Pillow's RGB.
    func testPNGVariantsMatchPillowExactly() throws {
        let images = try reference()["images"] as! [String: [String: Any]]
        let pngs = images.keys.filter { $0.hasSuffix(".png") }.sorted()
        XCTAssertEqual(pngs.count, 22)
        for name in pngs {
            let expected = images[name]!
            let image = try RGBImage(contentsOfFile: Fixtures.path("codecs/\(name)"))
            XCTAssertEqual(image.width, expected["width"] as? Int, name)
            XCTAssertEqual(image.height, expected["height"] as? Int, name)
            assertClose(image.pixels, Fixtures.bytes(base64: expected["rgb_base64"]), tolerance: 0, name)
        }
    }

    /// The shared preprocessing fixtures decode to exactly Pillow's RGB.
    func testSharedPNGFixturesMatchPillowExactly() throws {
        let images = try reference()["shared_images"] as! [String: [String: Any]]
        let cases = try Fixtures.json("images/cases.json")["images"] as! [[String: Any]]
        for entry in cases {
            let name = entry["file"] as! String
            let image = try RGBImage(contentsOfFile: Fixtures.path("images/\(name)"))
            XCTAssertEqual(image.width, entry["width"] as? Int, name)
            XCTAssertEqual(image.height, entry["height"] as? Int, name)
            assertClose(image.pixels, Fixtures.bytes(base64: images[name]!["rgb_base64"]), tolerance: 0, name)
        }
    }

    /// JPEGs written by Pillow (baseline 4:2:0 and 4:4:4, progressive, gray, Adobe CMYK)
    /// decode within ±1 per sample of Pillow's decode (same libjpeg-turbo algorithms; Debian's
    /// 2.1.5 matched Pillow's bundled 3.x exactly when written, ±1 allows for other releases).
    func testJPEGsMatchPillowWithinOneStep() throws {
        let images = try reference()["images"] as! [String: [String: Any]]
        let jpegs = images.keys.filter { $0.hasSuffix(".jpg") }.sorted()
        XCTAssertEqual(jpegs, ["baseline.jpg", "baseline444.jpg", "cmyk.jpg", "gray.jpg", "progressive.jpg"])
        for name in jpegs {
            let expected = images[name]!
            let image = try RGBImage(contentsOfFile: Fixtures.path("codecs/\(name)"))
            XCTAssertEqual(image.width, expected["width"] as? Int, name)
            XCTAssertEqual(image.height, expected["height"] as? Int, name)
            assertClose(image.pixels, Fixtures.bytes(base64: expected["rgb_base64"]), tolerance: 1, name)
        }
    }

    /// Alpha and gray survive in `ImageBuffer`; `rgbImage` drops alpha and replicates gray.
    func testImageBufferKeepsFileLayout() throws {
        let rgba = try ImageBuffer(contentsOfFile: Fixtures.path("codecs/rgba8.png"))
        XCTAssertEqual(rgba.layout, .rgba)
        let gray = try ImageBuffer(contentsOfFile: Fixtures.path("codecs/gray8.png"))
        XCTAssertEqual(gray.layout, .gray)
        let grayAlpha = try ImageBuffer(contentsOfFile: Fixtures.path("codecs/gray-alpha8.png"))
        XCTAssertEqual(grayAlpha.layout, .grayAlpha)
        let rgb = rgba.rgbImage
        XCTAssertEqual(rgb[3, 2], RGBColor(red: rgba.samples[(2 * 13 + 3) * 4], green: rgba.samples[(2 * 13 + 3) * 4 + 1],
                                           blue: rgba.samples[(2 * 13 + 3) * 4 + 2]))
        let value = gray.samples[5 * 13 + 7]
        XCTAssertEqual(gray.rgbImage[7, 5], RGBColor(red: value, green: value, blue: value))
    }

    /// The format comes from the signature: a PNG named .jpg still decodes.
    func testFormatDetectedFromSignatureNotExtension() throws {
        let folder = try Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let misnamed = folder.appendingPathComponent("actually-a-png.jpg")
        try FileManager.default.copyItem(atPath: Fixtures.path("codecs/rgb8.png"), toPath: misnamed.path)
        let image = try RGBImage(contentsOfFile: misnamed.path)
        XCTAssertEqual(image, try RGBImage(contentsOfFile: Fixtures.path("codecs/rgb8.png")))
    }

    func testPixelSubscriptReadsAndWritesHWC() {
        var image = RGBImage(width: 3, height: 2, filledWith: RGBColor(red: 1, green: 2, blue: 3))
        image[2, 1] = RGBColor(red: 9, green: 8, blue: 7)
        XCTAssertEqual(Array(image.pixels[15..<18]), [9, 8, 7])
        XCTAssertEqual(image[2, 1], RGBColor(red: 9, green: 8, blue: 7))
        XCTAssertEqual(image[0, 0], RGBColor(red: 1, green: 2, blue: 3))
    }
}
