import Foundation
import Models
import Tensor
import XCTest

/// CLIP, SigLIP and DINOv2 (± registers) towers against transformers; 1e-4 of each tensor's scale.
final class VisionParityTests: XCTestCase {
    func check(_ folder: String, referenceFolder: String? = nil, referenceFile: String = "reference.safetensors",
               hiddenStates: Bool = true) throws {
        guard case .vision(let tower) = try ModelLoader.load(Fixtures.folder(folder)) else {
            return XCTFail("\(folder) did not load as a vision tower")
        }
        let reference = try Fixtures.file(referenceFolder ?? folder, referenceFile)
        let output = try tower(try reference.tensor("pixel_values"))
        assertClose(output.lastHiddenState, try reference.tensor("last_hidden_state"), tolerance: 1e-4, "\(folder) last_hidden_state")
        if reference.contains("pooler_output") {
            assertClose(output.pooled!, try reference.tensor("pooler_output"), tolerance: 1e-4, "\(folder) pooler_output")
        }
        guard hiddenStates else { return }
        XCTAssertEqual(output.hiddenStates.count, tower.config.layerCount + 1)
        for (i, state) in output.hiddenStates.enumerated() {
            assertClose(state, try reference.tensor("hidden_states.\(i)"), tolerance: 1e-4, "\(folder) hidden_states.\(i)")
        }
    }

    func testCLIP() throws { try check("clip-vision") }
    func testSigLIPWithAttentionPoolingHead() throws { try check("siglip-vision") }
    func testDINOv2() throws { try check("dinov2") }
    func testDINOv2WithRegisters() throws { try check("dinov2-registers") }
    func testDINOv2InterpolatesPositionsForLargerNonSquareInput() throws {
        try check("dinov2", referenceFile: "reference-interpolated.safetensors", hiddenStates: false)
    }
    /// Reference made for this test with transformers 5.24 (Dinov2WithRegistersModel on the
    /// fixture weights, seed-0 randn pixels [1, 3, 24, 32]; antialiased bicubic positions).
    func testDINOv2WithRegistersInterpolatesWithAntialiasing() throws {
        try check("dinov2-registers", referenceFile: "reference-interpolated.safetensors", hiddenStates: false)
    }

    func testHubLayouts() throws {
        try check("clip-vision-hub", referenceFolder: "clip-vision")
        try check("siglip-vision-hub", referenceFolder: "siglip-vision")
    }
}

/// Malformed sizes in a config.json are errors naming the file, not traps.
final class ConfigValidationTests: XCTestCase {
    func testZeroSizesAreRejected() throws {
        let vision = JSONConfig(values: ["model_type": "dinov2", "hidden_size": 64, "num_hidden_layers": 2,
                                         "num_attention_heads": 4, "patch_size": 0, "image_size": 16], origin: "bad/config.json")
        XCTAssertThrowsError(try VisionConfig(vision)) { XCTAssertTrue("\($0)".contains("bad/config.json"), "\($0)") }
        let decoder = JSONConfig(values: ["model_type": "llama", "vocab_size": 10, "hidden_size": 8, "intermediate_size": 16,
                                          "num_hidden_layers": 1, "num_attention_heads": 2, "num_key_value_heads": 0],
                                 origin: "bad/config.json")
        XCTAssertThrowsError(try DecoderConfig(decoder)) { XCTAssertTrue("\($0)".contains("bad/config.json"), "\($0)") }
    }
}
