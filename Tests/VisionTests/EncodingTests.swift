import Foundation
import Vision
import XCTest

/// PNG writing: exact round trips through our decoder, atomic replacement, errors naming the file.
final class EncodingTests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws {
        folder = try Fixtures.temporaryFolder()
    }

    override func tearDownWithError() throws {
        try FileManager.default.removeItem(at: folder)
    }

    /// Deterministic samples covering 0...255 in every channel.
    private func samples(count: Int) -> [UInt8] {
        (0..<count).map { UInt8(truncatingIfNeeded: $0 * 37 + ($0 / 7) * 11) }
    }

    func testRoundTripIsExactForGrayRGBAndRGBA() throws {
        for layout in [ChannelLayout.gray, .rgb, .rgba] {
            let width = 29, height = 17
            let buffer = ImageBuffer(width: width, height: height, layout: layout,
                                     samples: samples(count: width * height * layout.channelCount))
            let path = folder.appendingPathComponent("\(layout).png").path
            try buffer.writePNG(to: path)
            let decoded = try ImageBuffer(contentsOfFile: path)
            XCTAssertEqual(decoded, buffer, "\(layout)")
        }
    }

    func testRGBImageRoundTripIsExact() throws {
        let image = RGBImage(width: 10, height: 6, pixels: samples(count: 10 * 6 * 3))
        let path = folder.appendingPathComponent("rgb.png").path
        try image.writePNG(to: path)
        XCTAssertEqual(try RGBImage(contentsOfFile: path), image)
    }

    /// Overwriting replaces the file and leaves no temporary file behind.
    func testWriteReplacesAtomicallyWithoutLeftovers() throws {
        let path = folder.appendingPathComponent("plot.png").path
        try RGBImage(width: 4, height: 4, filledWith: .black).writePNG(to: path)
        let white = RGBImage(width: 5, height: 3, filledWith: .white)
        try white.writePNG(to: path)
        XCTAssertEqual(try RGBImage(contentsOfFile: path), white)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path), ["plot.png"])
    }

    func testWriteIntoMissingFolderNamesTheFile() {
        let path = folder.appendingPathComponent("no/such/folder/out.png").path
        XCTAssertThrowsError(try RGBImage(width: 2, height: 2, filledWith: .black).writePNG(to: path)) { error in
            XCTAssertTrue("\(error)".contains(path), "\(error)")
        }
    }

    func testEncodingAnEmptyImageThrows() {
        XCTAssertThrowsError(try RGBImage(width: 0, height: 0, pixels: []).writePNG(to: folder.appendingPathComponent("e.png").path)) { error in
            XCTAssertTrue("\(error)".contains("no pixels"), "\(error)")
        }
    }
}
