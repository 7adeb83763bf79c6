import Foundation
import Inspection
import Models
import SafeTensors
import XCTest

/// User errors of `viral forward`: each is thrown (never a trap) as one line naming the tensor,
/// file or folder at fault and, for missing inputs, the kind of model that needs them.
final class ForwardErrorTests: XCTestCase {
    private func inputsFile(_ fill: (inout SafeTensorsWriter) throws -> Void) throws -> URL {
        var writer = SafeTensorsWriter()
        try fill(&writer)
        let url = try temporaryFolder(for: self).appendingPathComponent("inputs.safetensors")
        try writer.write(to: url)
        return url
    }

    /// Fails unless `body` throws a one-line error containing every fragment.
    private func assertError(_ fragments: [String], file: StaticString = #filePath, line: UInt = #line,
                             _ body: () throws -> Void) {
        XCTAssertThrowsError(try body(), file: file, line: line) { error in
            let message = "\(error)"
            XCTAssertFalse(message.contains("\n"), "not one line: \(message)", file: file, line: line)
            for fragment in fragments {
                XCTAssertTrue(message.contains(fragment), "\"\(message)\" does not name \(fragment)", file: file, line: line)
            }
        }
    }

    private func run(_ folder: String, _ inputs: URL, gradients: Bool = false) throws {
        _ = try ForwardPass.run(try ModelFolder.load(Fixtures.model(folder)),
                                inputs: try ForwardInputs(contentsOf: inputs), gradients: gradients)
    }

    func testMissingInputsNameTheTensorAndTheModelKind() throws {
        let pixelsOnly = try inputsFile { try $0.add("pixel_values", shape: [1, 3, 32, 32], floats: Array(repeating: 0, count: 3072)) }
        let idsOnly = try inputsFile { try $0.add("input_ids", shape: [1, 3], int64s: [1, 319, 2]) }
        assertError(["'input_ids'", "decoder (llama)", pixelsOnly.path]) { try run("llama", pixelsOnly) }
        assertError(["'pixel_values'", "vision tower (clip)"]) { try run("clip-vision", idsOnly) }
        // 319 is the llava fixture's image token: an image position with no image.
        assertError(["'pixel_values'", "LLaVA (clip tower, llama decoder)", "1 image tokens"]) { try run("llava", idsOnly) }
    }

    func testGradientsNeedALoss() throws {
        let idsOnly = try inputsFile { try $0.add("input_ids", shape: [1, 3], int64s: [1, 5, 2]) }
        assertError(["'labels'", "decoder (qwen2)", "--gradients"]) { try run("qwen2", idsOnly, gradients: true) }
        let reference = Fixtures.reference("clip-vision")
        assertError(["vision tower (clip)", "no loss"]) { try run("clip-vision", reference, gradients: true) }
    }

    func testWrongShapesAndIDs() throws {
        let flatPixels = try inputsFile { try $0.add("pixel_values", shape: [3, 32, 32], floats: Array(repeating: 0, count: 3072)) }
        assertError(["'pixel_values'", "[3, 32, 32]", flatPixels.path]) { try run("clip-vision", flatPixels) }
        let smallPixels = try inputsFile { try $0.add("pixel_values", shape: [1, 3, 16, 16], floats: Array(repeating: 0, count: 768)) }
        assertError(["4×4", "2×2"]) { try run("clip-vision", smallPixels) }
        let shortLabels = try inputsFile {
            try $0.add("input_ids", shape: [1, 3], int64s: [1, 5, 2])
            try $0.add("labels", shape: [1, 2], int64s: [5, 2])
        }
        assertError(["'labels'", "[1, 2]", "[1, 3]"]) { try run("llama", shortLabels) }
        let outsideVocabulary = try inputsFile { try $0.add("input_ids", shape: [1, 2], int64s: [1, 384]) }
        assertError(["'input_ids'", "384", "vocabulary of 384"]) { try run("llama", outsideVocabulary) }
        let floatIDs = try inputsFile { try $0.add("input_ids", shape: [1, 2], floats: [1, 2]) }
        assertError(["'input_ids'", floatIDs.path]) { try run("llama", floatIDs) }
    }

    func testMissingFilesAndFolders() throws {
        let folder = try temporaryFolder(for: self)
        let missingInputs = folder.appendingPathComponent("absent.safetensors")
        assertError(["inputs file", missingInputs.path]) { _ = try ForwardInputs(contentsOf: missingInputs) }
        let missingModel = folder.appendingPathComponent("no-model")
        assertError(["model folder", missingModel.path]) { _ = try ModelFolder.load(missingModel) }
        assertError(["vision tower folder", missingModel.path]) {
            _ = try ModelFolder.load(Fixtures.model("llava-original"), visionTowerDirectory: missingModel)
        }
    }

    /// A checkpoint that does not fit its config: the loader's multi-line list becomes one line.
    func testMismatchedCheckpointIsOneLine() throws {
        let folder = try temporaryFolder(for: self)
        try FileManager.default.copyItem(at: Fixtures.model("llama").appendingPathComponent("config.json"),
                                         to: folder.appendingPathComponent("config.json"))
        try FileManager.default.copyItem(at: Fixtures.model("qwen2").appendingPathComponent("model.safetensors"),
                                         to: folder.appendingPathComponent("model.safetensors"))
        assertError(["does not match the model", "wrong shapes", "model.embed_tokens.weight"]) { _ = try ModelFolder.load(folder) }
    }
}
