import Foundation
import Plot
import XCTest

final class PNGEncoderTests: XCTestCase {
    func testChecksumsMatchPublishedCheckValues() {
        // The standard check values for the ASCII string "123456789".
        XCTAssertEqual(Checksum.crc32(Array("123456789".utf8)), 0xCBF4_3926)
        XCTAssertEqual(Checksum.adler32(Array("123456789".utf8)), 0x091E_01DE)
        // Adler-32 of 100 000 bytes of 0xFF exercises the modulo of long inputs; value from Python's zlib.adler32.
        XCTAssertEqual(Checksum.adler32([UInt8](repeating: 0xFF, count: 100_000)), 0x149A_302C)
    }

    func testRoundTripOfImageLargerThanOneStoredBlock() throws {
        // 200 × 150 × 3 + 150 filter bytes = 90 150 bytes: two stored blocks.
        var pixels = [UInt8](repeating: 0, count: 200 * 150 * 3)
        for index in pixels.indices { pixels[index] = UInt8((index * 7 + index / 600) % 256) }
        let image = try RGBImage(width: 200, height: 150, pixels: pixels)
        let decoded = try PNGReader(PNGEncoder.encode(image))
        XCTAssertEqual(decoded.width, 200)
        XCTAssertEqual(decoded.height, 150)
        XCTAssertEqual(decoded.pixels, pixels)
        XCTAssertEqual(decoded.chunkTypes, ["IHDR", "IDAT", "IEND"])
    }

    func testCorruptedByteIsDetected() throws {
        var bytes = PNGEncoder.encode(RGBImage(width: 4, height: 4, background: .black))
        bytes[bytes.count - 20] ^= 0x01
        XCTAssertThrowsError(try PNGReader(bytes))
    }

    func testWriteReplacesFileAndNamesPathOnFailure() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("plot-encoder-\(getpid())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("image.png").path
        try PNGEncoder.write(RGBImage(width: 3, height: 2, background: .black), to: path)
        try PNGEncoder.write(RGBImage(width: 5, height: 4), to: path)
        let decoded = try PNGReader([UInt8](Data(contentsOf: URL(fileURLWithPath: path))))
        XCTAssertEqual(decoded.width, 5)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path), ["image.png"])

        let missing = folder.appendingPathComponent("no-such-folder/image.png").path
        XCTAssertThrowsError(try PNGEncoder.write(RGBImage(width: 1, height: 1), to: missing)) { error in
            XCTAssertTrue("\(error)".contains(missing), "\(error)")
        }
    }

    func testPixelCountIsValidated() {
        XCTAssertThrowsError(try RGBImage(width: 2, height: 2, pixels: [0, 0, 0])) { error in
            XCTAssertEqual("\(error)", "RGB image: expected 12 bytes (width × height × 3), got 3")
        }
    }
}
