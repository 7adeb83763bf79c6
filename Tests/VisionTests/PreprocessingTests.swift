import Foundation
import SafeTensors
import Vision
import XCTest

/// Preprocessing against transformers. Tolerance: one uint8 step before normalisation, i.e.
/// |ours − reference| ≤ (1/255) / std[c] per channel c (plus 1e-6 for float32 rounding).
final class PreprocessingTests: XCTestCase {
    private func tolerances(_ preprocessor: ImagePreprocessor) -> [Float] {
        preprocessor.std.map { Float(1.0 / 255.0 / $0) + 1e-6 }
    }

    /// Compares CHW planes with the per-channel tolerance.
    private func assertMatches(_ actual: [Float], _ expected: [Float], _ preprocessor: ImagePreprocessor,
                               _ label: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(actual.count, expected.count, label, file: file, line: line)
        guard actual.count == expected.count else { return }
        let plane = actual.count / 3
        for (channel, tolerance) in tolerances(preprocessor).enumerated() {
            let range = (channel * plane)..<((channel + 1) * plane)
            assertClose(Array(actual[range]), Array(expected[range]), tolerance: tolerance, "\(label) channel \(channel)",
                        file: file, line: line)
        }
    }

    /// The shared LLaVA fixtures (Fixtures/images, from shared/fixtures/images): `.crop` is the
    /// CLIP processor (shortest edge 32, crop 32); `.pad` first expands to square with
    /// (122, 116, 104).
    func testSharedCLIPFixturesPadAndCrop() throws {
        let reference = try SafeTensorsFile(url: Fixtures.folder.appendingPathComponent("images/reference.safetensors"))
        let cases = try Fixtures.json("images/cases.json")
        let processor = cases["processor"] as! [String: Any]
        XCTAssertEqual(processor["pad_background"] as! [Int], [122, 116, 104])
        let images = cases["images"] as! [[String: Any]]
        XCTAssertEqual(images.count, 4)
        for entry in images {
            let name = entry["file"] as! String
            let image = try RGBImage(contentsOfFile: Fixtures.path("images/\(name)"))
            for pad in [false, true] {
                let preprocessor = ImagePreprocessor.clip(size: 32, pad: pad)
                let key = "\(name).\(pad ? "pad" : "crop")"
                XCTAssertEqual(try reference.info(key).shape, [3, 32, 32])
                assertMatches(preprocessor.pixelValues(for: image), try reference.floats(key), preprocessor, key)
            }
        }
    }

    /// Each preset family against transformers 5's PIL processors at small sizes
    /// (Fixtures/presets.json from make_fixtures.py), with and without LLaVA padding.
    func testPresetsMatchTransformers() throws {
        let reference = try Fixtures.json("presets.json")
        let cases = reference["cases"] as! [[String: Any]]
        XCTAssertEqual(cases.count, 16)
        for entry in cases {
            let pad = entry["pad"] as! Bool
            let preprocessor: ImagePreprocessor
            switch entry["preset"] as! String {
            case "clip": preprocessor = .clip(size: 24, pad: pad)
            case "siglip": preprocessor = .siglip(size: 20, pad: pad)
            case "dinov2": preprocessor = .dinov2(size: 22, pad: pad)
            default:
                var scaled = ImagePreprocessor.dinov2HuggingFaceDefault(pad: pad)
                scaled.resize = .shortestEdge(20)
                scaled.cropSize = ImageSize(square: 18)
                preprocessor = scaled
            }
            let file = entry["file"] as! String
            let image = try RGBImage(contentsOfFile: Fixtures.path("images/\(file)"))
            let shape = entry["shape"] as! [Int]
            let values = preprocessor.pixelValues(for: image)
            XCTAssertEqual(preprocessor.preparedImage(image).size, ImageSize(width: shape[2], height: shape[1]))
            assertMatches(values, Fixtures.floats(base64: entry["values_base64"]), preprocessor,
                          "\(entry["preset"]!) \(file) pad=\(pad)")
        }
    }

    /// Preset constants: LLaVA pads with int(mean * 255) per channel.
    func testPresetSettings() {
        let clip = ImagePreprocessor.clip(pad: true)
        XCTAssertEqual(clip.padColor, RGBColor(red: 122, green: 116, blue: 104))
        XCTAssertEqual(clip.resize, .shortestEdge(336))
        XCTAssertEqual(clip.fixedOutputSize, ImageSize(square: 336))
        XCTAssertEqual(ImagePreprocessor.siglip(pad: true).padColor, RGBColor(red: 127, green: 127, blue: 127))
        XCTAssertEqual(ImagePreprocessor.siglip(pad: false).fixedOutputSize, ImageSize(square: 384))
        XCTAssertEqual(ImagePreprocessor.dinov2(pad: true).padColor, RGBColor(red: 123, green: 116, blue: 103))
        XCTAssertEqual(ImagePreprocessor.dinov2(pad: false).fixedOutputSize, ImageSize(square: 336))
        let hf = ImagePreprocessor.dinov2HuggingFaceDefault(pad: false)
        XCTAssertEqual(hf.resize, .shortestEdge(256))
        XCTAssertEqual(hf.cropSize, ImageSize(square: 224))
        XCTAssertEqual(hf.mean, [0.485, 0.456, 0.406])
        XCTAssertEqual(hf.std, [0.229, 0.224, 0.225])
        XCTAssertNil(ImagePreprocessor(padToSquare: false, resize: .shortestEdge(10), cropSize: nil,
                                       mean: [0, 0, 0], std: [1, 1, 1]).fixedOutputSize)
    }

    /// CHW layout and float32 arithmetic: (v / 255 - mean) / std.
    func testNormalizedIsChannelsFirst() {
        var image = RGBImage(width: 2, height: 1, filledWith: .black)
        image[1, 0] = RGBColor(red: 255, green: 128, blue: 0)
        let preprocessor = ImagePreprocessor.siglip(size: 2, pad: false)
        XCTAssertEqual(preprocessor.normalized(image), [-1, 1, -1, Float(Float(128.0 / 255.0) - 0.5) / 0.5, -1, -1])
    }
}
