import Experiments
import Foundation
import SafeTensors
import Tensor
import Vision
import XCTest

/// Fixtures of other test targets, read in place, and scratch folders.
enum ExperimentFixtures {
    static let tests = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    /// The tiny LLaVA of `ModelsTests` (CLIP 32 px, 4×4 grid, Llama with 4 layers × 4 heads, its
    /// tokenizer.json) with transformers' outputs.
    static let llava = tests.appendingPathComponent("ModelsTests/Fixtures/llava")
    /// LLaVA with a SigLIP tower and a Qwen2 decoder (no tokenizer).
    static let llavaQwen = tests.appendingPathComponent("ModelsTests/Fixtures/llava-siglip-qwen2")
    /// PNGs and their LLaVA stage-2 preprocessing (`<file>.pad`, CLIP at 32 px) from transformers.
    static let images = tests.appendingPathComponent("VisionTests/Fixtures/images")

    /// The llava fixture as a chat model (a 1 MB checkpoint: cheap to load per test).
    static func chat() throws -> ChatModel { try ChatModel.load(model: llava) }

    /// A fresh folder removed when the test ends.
    static func temporaryFolder(for test: XCTestCase) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("viral-experiments-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        test.addTeardownBlock { try? FileManager.default.removeItem(at: folder) }
        return folder
    }

    /// A test picture: a `width`×`height` gradient with a coloured square whose place depends on `variant`.
    static func picture(width: Int, height: Int, variant: Int) -> RGBImage {
        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        for y in 0..<height {
            for x in 0..<width {
                let index = (y * width + x) * 3
                let inSquare = abs(x - (variant * 11) % width) < width / 4 && abs(y - (variant * 7) % height) < height / 4
                pixels[index] = inSquare ? 230 : UInt8(x * 255 / max(width - 1, 1))
                pixels[index + 1] = inSquare ? UInt8(40 * variant % 256) : UInt8(y * 255 / max(height - 1, 1))
                pixels[index + 2] = inSquare ? 20 : UInt8((x + y) * 127 / max(width + height - 2, 1))
            }
        }
        return RGBImage(width: width, height: height, pixels: pixels)
    }

    /// A POPE folder in the published layout: 4 random-split and 2 popular-split questions about
    /// 3 PNG images in val2014/.
    static func makePOPE(in folder: URL) throws -> URL {
        let data = folder.appendingPathComponent("pope")
        let images = data.appendingPathComponent("val2014")
        try FileManager.default.createDirectory(at: images, withIntermediateDirectories: true)
        let names = try writePictures(3, into: images, prefix: "COCO_val2014_").map(\.lastPathComponent)
        let random = [(1, names[0], "Is there a dog in the image?", "yes"), (2, names[0], "Is there a cat in the image?", "no"),
                      (3, names[1], "Is there a car in the image?", "no"), (4, names[2], "Is there a tree in the image?", "yes")]
        let popular = [(1, names[1], "Is there a person in the image?", "yes"), (2, names[2], "Is there a cup in the image?", "no")]
        func lines(_ records: [(Int, String, String, String)]) -> String {
            records.map { "{\"question_id\": \($0.0), \"image\": \"\($0.1)\", \"text\": \"\($0.2)\", \"label\": \"\($0.3)\"}" }
                .joined(separator: "\n") + "\n"
        }
        try lines(random).write(to: data.appendingPathComponent("coco_pope_random.json"), atomically: true, encoding: .utf8)
        try lines(popular).write(to: data.appendingPathComponent("coco_pope_popular.json"), atomically: true, encoding: .utf8)
        return data
    }

    /// Writes `count` test pictures as PNGs into `folder`; returns their URLs.
    static func writePictures(_ count: Int, into folder: URL, prefix: String = "picture") throws -> [URL] {
        try (0..<count).map { variant in
            let url = folder.appendingPathComponent("\(prefix)\(variant).png")
            try picture(width: 40 + 8 * variant, height: 32, variant: variant).writePNG(to: url.path)
            return url
        }
    }
}

extension SafeTensorsFile {
    /// A float tensor with its stored shape.
    func tensor(_ name: String) throws -> Tensor {
        Tensor(try floats(name), shape: try info(name).shape)
    }

    /// An integer tensor as rows of its last axis.
    func intRows(_ name: String) throws -> [[Int]] {
        let shape = try info(name).shape
        let values = try int64s(name).map(Int.init)
        let width = shape.last ?? values.count
        return stride(from: 0, to: values.count, by: max(width, 1)).map { Array(values[$0..<($0 + width)]) }
    }
}
