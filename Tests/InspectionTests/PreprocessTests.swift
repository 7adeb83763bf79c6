import Foundation
import Inspection
import SafeTensors
import XCTest

/// `viral preprocess` against transformers' CLIP processor on the shared images
/// (VisionTests/Fixtures/images: shortest edge 32, crop 32; `.pad` expands to square with the mean
/// colour first). Tolerance: one uint8 step before normalisation, (1/255)/std per channel, + 1e-6.
final class PreprocessTests: XCTestCase {
    private let clipStd: [Float] = [0.26862954, 0.26130258, 0.27577711]

    func testCLIPPresetMatchesTransformersThroughTheWrittenFile() throws {
        let reference = try SafeTensorsFile(url: Fixtures.images.appendingPathComponent("reference.safetensors"))
        let folder = try temporaryFolder(for: self)
        var compared = 0
        for image in ["img0.png", "img1.png", "img2.png", "img3.png"] {
            for pad in [false, true] {
                let tensors = try PixelValuesExport.pixelValues(imageAt: Fixtures.images.appendingPathComponent(image).path,
                                                                preset: .clip, size: 32, pad: pad)
                let url = folder.appendingPathComponent("\(image).\(pad).safetensors")
                try tensors.write(to: url)
                let written = try SafeTensorsFile(url: url)
                XCTAssertEqual(written.names, ["pixel_values"])
                XCTAssertEqual(try written.info("pixel_values").shape, [1, 3, 32, 32])
                let actual = try written.floats("pixel_values")
                let expected = try reference.floats("\(image).\(pad ? "pad" : "crop")")
                XCTAssertEqual(actual.count, expected.count)
                let plane = 32 * 32
                for channel in 0..<3 {
                    let tolerance = 1 / 255 / clipStd[channel] + 1e-6
                    let worst = (channel * plane..<(channel + 1) * plane).map { abs(actual[$0] - expected[$0]) }.max()!
                    XCTAssertLessThanOrEqual(worst, tolerance, "\(image) pad=\(pad) channel \(channel)")
                }
                compared += 1
            }
        }
        XCTAssertEqual(compared, 8)
    }

    func testPresetSizes() throws {
        let image = Fixtures.images.appendingPathComponent("img1.png").path
        XCTAssertEqual(try PixelValuesExport.pixelValues(imageAt: image, preset: .siglip)["pixel_values"]?.shape, [1, 3, 384, 384])
        XCTAssertEqual(try PixelValuesExport.pixelValues(imageAt: image, preset: .dinov2, size: 28, pad: true)["pixel_values"]?.shape,
                       [1, 3, 28, 28])
    }

    func testErrorsNameTheProblem() {
        let missing = Fixtures.images.appendingPathComponent("absent.png").path
        XCTAssertThrowsError(try PixelValuesExport.pixelValues(imageAt: missing, preset: .clip)) { error in
            XCTAssertTrue("\(error)".contains(missing), "\(error)")
        }
        let image = Fixtures.images.appendingPathComponent("img0.png").path
        XCTAssertThrowsError(try PixelValuesExport.pixelValues(imageAt: image, preset: .clip, size: 0)) { error in
            XCTAssertTrue("\(error)".contains("--size"), "\(error)")
        }
    }
}
