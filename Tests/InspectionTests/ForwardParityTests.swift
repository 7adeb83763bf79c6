import Foundation
import Inspection
import Models
import SafeTensors
import XCTest

/// `ForwardPass` on each fixture's reference inputs, written to a file and read back, against the
/// tensors transformers computed. Tolerances: every output 1e-4 of the tensor's scale (loss
/// included); gradients 1e-3 of their scale (as the Models parity tests).
final class ForwardParityTests: XCTestCase {
    /// Names in a reference file that are inputs rather than outputs.
    private let inputNames: Set<String> = ["input_ids", "attention_mask", "labels", "pixel_values", "image_token_index"]

    /// Runs `folder` on `referenceFolder`'s inputs and compares every written output; returns the
    /// written file for further checks.
    @discardableResult
    private func check(_ folder: String, referenceFolder: String? = nil, visionTower: String? = nil,
                       gradients: Bool = false) throws -> SafeTensorsFile {
        let model = try ModelFolder.load(Fixtures.model(folder), visionTowerDirectory: visionTower.map(Fixtures.model))
        let referenceURL = Fixtures.reference(referenceFolder ?? folder)
        let outputs = try ForwardPass.run(model, inputs: try ForwardInputs(contentsOf: referenceURL), gradients: gradients)
        let url = try temporaryFolder(for: self).appendingPathComponent("outputs.safetensors")
        try outputs.write(to: url)
        let written = try SafeTensorsFile(url: url)
        let reference = try SafeTensorsFile(url: referenceURL)

        let expected = Set(reference.names.filter { !inputNames.contains($0) && !$0.hasPrefix("grad.") })
        let produced = Set(written.names.filter { !$0.hasPrefix("grad.") })
        XCTAssertEqual(produced, expected, "\(folder): outputs written vs outputs in the reference")
        for name in produced.intersection(expected).sorted() {
            XCTAssertEqual(try written.info(name).dtype, .f32, "\(folder) \(name)")
            XCTAssertEqual(try written.info(name).shape, try reference.info(name).shape, "\(folder) \(name) shape")
            assertClose(try written.floats(name), try reference.floats(name), tolerance: 1e-4, "\(folder) \(name)")
        }
        return written
    }

    /// Compares the written `grad.<key>` with the reference's gradient of the same parameter,
    /// named by `referenceName`; every parameter must have a written gradient and every reference
    /// gradient must be compared.
    private func checkGradients(_ written: SafeTensorsFile, model folder: String, referenceFolder: String? = nil,
                                visionTower: String? = nil, referenceName: (String) -> String) throws {
        let model = try ModelFolder.load(Fixtures.model(folder), visionTowerDirectory: visionTower.map(Fixtures.model))
        let reference = try SafeTensorsFile(url: Fixtures.reference(referenceFolder ?? folder))
        var compared = 0
        for (key, parameter) in model.module.namedParameters {
            XCTAssertEqual(try written.info("grad." + key).shape, parameter.shape, "grad.\(key) shape")
            let name = referenceName(key)
            guard reference.contains(name) else { continue }
            assertClose(try written.floats("grad." + key), try reference.floats(name), tolerance: 1e-3, "\(folder) \(name)")
            compared += 1
        }
        XCTAssertEqual(compared, reference.names.filter { $0.hasPrefix("grad.") }.count, "\(folder): reference gradients compared")
        XCTAssertGreaterThanOrEqual(compared, 7, folder)
    }

    func testLlamaWithGradients() throws {
        let written = try check("llama", gradients: true)
        try checkGradients(written, model: "llama") { "grad." + $0 }
    }

    func testQwen2WithGradients() throws {
        let written = try check("qwen2", gradients: true)
        try checkGradients(written, model: "qwen2") { "grad." + $0 }
    }

    func testVisionTowers() throws {
        try check("clip-vision")
        try check("siglip-vision")
        try check("dinov2")
    }

    /// transformers 5 names LLaVA's in-memory modules model.{vision_tower,multi_modal_projector,language_model}.
    private func llavaReferenceName(_ key: String) -> String {
        "grad.model." + key.replacingOccurrences(of: "language_model.model.", with: "language_model.")
    }

    func testLlavaWithGradients() throws {
        let written = try check("llava", gradients: true)
        try checkGradients(written, model: "llava", referenceName: llavaReferenceName)
    }

    /// The original layout numbers its image placeholder −200; the reference's `image_token_index`
    /// tells the forward pass which id to replace.
    func testOriginalLlavaWithItsTower() throws {
        let written = try check("llava-original", referenceFolder: "llava", visionTower: "llava-original-tower", gradients: true)
        try checkGradients(written, model: "llava-original", referenceFolder: "llava",
                           visionTower: "llava-original-tower", referenceName: llavaReferenceName)
    }

    /// Without --gradients nothing but the outputs is written.
    func testNoGradientsUnlessAsked() throws {
        let written = try check("qwen2")
        XCTAssertFalse(written.names.contains { $0.hasPrefix("grad.") })
        XCTAssertEqual(try written.info("loss").shape, [1])
    }
}
