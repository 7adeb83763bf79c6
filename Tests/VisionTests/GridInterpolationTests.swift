import Foundation
import SafeTensors
import Vision
import XCTest

/// Float grid resampling against `torch.nn.functional.interpolate(align_corners=False)`.
/// Tolerance 1e-5 absolute (float32 summation order differs slightly from PyTorch's kernels).
final class GridInterpolationTests: XCTestCase {
    /// NCHW (batch 1) → HWC.
    private func channelsLast(_ values: [Float], channels: Int, height: Int, width: Int) -> [Float] {
        var output = [Float](repeating: 0, count: values.count)
        for c in 0..<channels {
            for y in 0..<height {
                for x in 0..<width {
                    output[(y * width + x) * channels + c] = values[(c * height + y) * width + x]
                }
            }
        }
        return output
    }

    /// The VIRAL teacher-map fixture: bilinear 6x7 → 4x5 with 24 channels.
    func testBilinearMatchesAlignmentFixture() throws {
        let reference = try SafeTensorsFile(url: Fixtures.folder.appendingPathComponent("alignment-reference.safetensors"))
        XCTAssertEqual(try reference.info("resample.input").shape, [1, 24, 6, 7])
        XCTAssertEqual(try reference.info("resample.output").shape, [1, 24, 4, 5])
        XCTAssertEqual(try reference.int64s("grid"), [4, 5])
        let input = channelsLast(try reference.floats("resample.input"), channels: 24, height: 6, width: 7)
        let expected = channelsLast(try reference.floats("resample.output"), channels: 24, height: 4, width: 5)
        let output = GridInterpolation.bilinear.resample(input, height: 6, width: 7, channels: 24,
                                                         outputHeight: 4, outputWidth: 5)
        assertClose(output, expected, tolerance: 1e-5, "resample")
    }

    /// Random maps, up and down, non-square, same size (Fixtures/interpolate.json).
    func testBilinearAndBicubicMatchTorch() throws {
        let reference = try Fixtures.json("interpolate.json")
        let cases = reference["cases"] as! [[String: Any]]
        XCTAssertEqual(cases.count, 7)
        for entry in cases {
            let height = entry["height"] as! Int, width = entry["width"] as! Int
            let channels = entry["channels"] as! Int
            let outputHeight = entry["output_height"] as! Int, outputWidth = entry["output_width"] as! Int
            let input = Fixtures.floats(entry["input_hwc"])
            for (mode, key) in [(GridInterpolation.bilinear, "bilinear_hwc"), (.bicubic, "bicubic_hwc")] {
                let output = mode.resample(input, height: height, width: width, channels: channels,
                                           outputHeight: outputHeight, outputWidth: outputWidth)
                assertClose(output, Fixtures.floats(entry[key]), tolerance: 1e-5,
                            "\(key) \(height)x\(width)x\(channels) → \(outputHeight)x\(outputWidth)")
            }
        }
    }
}
