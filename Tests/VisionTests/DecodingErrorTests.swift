import Foundation
import Vision
import XCTest

/// Broken input throws an `ImageError` naming the file and the problem; libpng/libjpeg errors
/// never abort the process.
final class DecodingErrorTests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws {
        folder = try Fixtures.temporaryFolder()
    }

    override func tearDownWithError() throws {
        try FileManager.default.removeItem(at: folder)
    }

    /// Writes `bytes` to a file in the temporary folder and returns its path.
    private func file(_ name: String, _ bytes: Data) throws -> String {
        let url = folder.appendingPathComponent(name)
        try bytes.write(to: url)
        return url.path
    }

    /// Decodes `path` expecting a failure whose message contains the path and `problem`.
    private func assertFails(_ path: String, mentioning problem: String,
                             file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try RGBImage(contentsOfFile: path), file: file, line: line) { error in
            let message = (error as? LocalizedError)?.errorDescription ?? ""
            XCTAssertTrue(error is ImageError, "\(error)", file: file, line: line)
            XCTAssertTrue(message.contains(path), "message does not name the file: \(message)", file: file, line: line)
            XCTAssertTrue(message.lowercased().contains(problem), "message lacks '\(problem)': \(message)",
                          file: file, line: line)
        }
    }

    func testTruncatedPNGThrows() throws {
        let png = try Data(contentsOf: URL(fileURLWithPath: Fixtures.path("codecs/rgb8.png")))
        let path = try file("cut.png", png.prefix(png.count / 2))
        assertFails(path, mentioning: "truncated")
    }

    func testPNGCutInsideHeaderThrows() throws {
        let png = try Data(contentsOf: URL(fileURLWithPath: Fixtures.path("codecs/rgb8.png")))
        let path = try file("header.png", png.prefix(20))
        assertFails(path, mentioning: "truncated")
    }

    func testCorruptPNGDataThrows() throws {
        var png = try Data(contentsOf: URL(fileURLWithPath: Fixtures.path("images/img2.png")))
        // Overwrite the middle of the compressed data: zlib rejects the stream.
        for index in (png.count / 2)..<(png.count / 2 + 16) { png[index] ^= 0x5A }
        let path = try file("corrupt.png", png)
        assertFails(path, mentioning: "idat")
    }

    func testTruncatedJPEGThrows() throws {
        for name in ["baseline.jpg", "progressive.jpg"] {
            let jpeg = try Data(contentsOf: URL(fileURLWithPath: Fixtures.path("codecs/\(name)")))
            let path = try file("cut-\(name)", jpeg.prefix(jpeg.count * 2 / 3))
            assertFails(path, mentioning: "truncated")
        }
    }

    /// A fatal libjpeg error (not a warning): the frame header declares a height of 0.
    func testJPEGWithEmptyFrameThrows() throws {
        var jpeg = try Data(contentsOf: URL(fileURLWithPath: Fixtures.path("codecs/baseline.jpg")))
        let marker = try XCTUnwrap(jpeg.indices.first { jpeg[$0] == 0xFF && jpeg[$0 + 1] == 0xC0 })
        // SOF0: marker, length (2 bytes), precision (1 byte), then the height (2 bytes).
        jpeg[marker + 5] = 0
        jpeg[marker + 6] = 0
        let path = try file("empty-frame.jpg", jpeg)
        assertFails(path, mentioning: "empty jpeg image")
    }

    func testNonImageFileThrows() throws {
        let path = try file("notes.png", Data("just some text\n".utf8))
        assertFails(path, mentioning: "not a png or jpeg")
    }

    func testEmptyFileThrows() throws {
        let path = try file("empty.jpg", Data())
        assertFails(path, mentioning: "not a png or jpeg")
    }

    func testMissingFileThrows() {
        assertFails(folder.appendingPathComponent("missing.png").path, mentioning: "cannot read")
    }
}
