import Foundation
import Inspection
import Models
import SafeTensors
import XCTest

/// `viral inspect`'s summary, read from configs and headers only, against what loading the same
/// folder with `ModelLoader` gives (kind, configuration, parameter count).
final class ModelSummaryTests: XCTestCase {
    private let folders = ["llama", "llama-hub", "llama-bfloat16", "qwen2", "qwen2-hub", "clip-vision", "clip-vision-hub",
                           "siglip-vision", "siglip-vision-hub", "dinov2", "dinov2-registers", "llava", "llava-hub",
                           "llava-original", "llava-siglip-qwen2"]

    func testAgreesWithTheLoadedModel() throws {
        for folder in folders {
            let summary = try ModelSummary(folder: Fixtures.model(folder))
            let loaded = try ModelLoader.load(Fixtures.model(folder))
            XCTAssertEqual(summary.parameterCount, loaded.module.parameterCount, folder)
            switch loaded {
            case .decoder(let model):
                XCTAssertEqual(summary.kind, .decoder, folder)
                XCTAssertEqual(summary.decoder, model.config, folder)
            case .vision(let model):
                XCTAssertEqual(summary.kind, .visionTower, folder)
                XCTAssertEqual(summary.vision, model.config, folder)
            case .llava(let model):
                XCTAssertEqual(summary.kind, folder == "llava-original" ? .llavaOriginal : .llavaHF, folder)
                XCTAssertEqual(summary.llava, model.config, folder)
            }
        }
    }

    /// The detected layout maps every model key to a stored tensor (the tower of the original
    /// layout and a tied head aside), and a different layout of the same kind does not.
    func testLayoutMapsEveryParameter() throws {
        let expected: [String: CheckpointLayout] = [
            "llama": .decoder, "clip-vision": .vision, "clip-vision-hub": .visionHub, "siglip-vision-hub": .visionHub,
            "llava": .llavaHF, "llava-hub": .llavaHFHub, "llava-original": .llavaOriginal,
        ]
        for (folder, layout) in expected {
            let summary = try ModelSummary(folder: Fixtures.model(folder))
            XCTAssertEqual(summary.layout, layout, folder)
            let stored = Set(try SafeTensorsCheckpoint(directory: Fixtures.model(folder)).names)
            let keys = try ModelLoader.load(Fixtures.model(folder)).module.namedParameters.map(\.key)
                .filter { !(folder == "llava-original" && $0.hasPrefix("vision_tower.")) }
            XCTAssertEqual(keys.filter { !stored.contains(layout.storedKey($0)) }, [], folder)
            let alternatives: [CheckpointLayout: CheckpointLayout] = [.vision: .visionHub, .visionHub: .vision,
                                                                      .llavaHF: .llavaHFHub, .llavaHFHub: .llavaHF]
            if let other = alternatives[layout] {
                XCTAssertFalse(keys.allSatisfy { stored.contains(other.storedKey($0)) }, "\(folder) also fits \(other)")
            }
        }
    }

    func testReportLines() throws {
        let llava = try ModelSummary(folder: Fixtures.model("llava-original"))
        XCTAssertEqual(llava.towerFolder?.standardizedFileURL, Fixtures.model("llava-original-tower").standardizedFileURL)
        let lines = llava.lines
        XCTAssertTrue(lines.contains("kind: LLaVA (original code base): clip tower, llama decoder"), "\(lines)")
        XCTAssertTrue(lines.contains("checkpoint layout: original LLaVA (model.mm_projector)"), "\(lines)")
        XCTAssertTrue(lines.contains { $0.hasPrefix("decoder: llama, 4 layers, width 64,") }, "\(lines)")
        XCTAssertTrue(lines.contains { $0.hasPrefix("projector: mlp2x_gelu, features from tower layer -2") }, "\(lines)")
        XCTAssertTrue(lines.contains("parameters: 279,824"), "\(lines)")
        XCTAssertTrue(lines.contains("stored as: F32 (98 tensors, 279,824 parameters)"), "\(lines)")

        let bfloat16 = try ModelSummary(folder: Fixtures.model("qwen2-bfloat16"))
        XCTAssertEqual(bfloat16.dtypes.keys.map(\.name), ["BF16"])
        XCTAssertEqual(bfloat16.dtypes[.bf16]?.parameters, bfloat16.parameterCount)
        XCTAssertTrue(bfloat16.lines.contains { $0.hasSuffix("vocabulary 400, tied embeddings") }, "\(bfloat16.lines)")
    }

    func testErrorsNameTheFolder() throws {
        let folder = try temporaryFolder(for: self)
        XCTAssertThrowsError(try ModelSummary(folder: folder.appendingPathComponent("absent"))) { error in
            XCTAssertTrue("\(error)".contains(folder.appendingPathComponent("absent").path), "\(error)")
        }
        XCTAssertThrowsError(try ModelSummary(folder: folder)) { error in
            XCTAssertTrue("\(error)".contains("config.json"), "\(error)")
        }
        try FileManager.default.copyItem(at: Fixtures.model("llava-original").appendingPathComponent("config.json"),
                                         to: folder.appendingPathComponent("config.json"))
        try FileManager.default.copyItem(at: Fixtures.model("llava-original").appendingPathComponent("model.safetensors"),
                                         to: folder.appendingPathComponent("model.safetensors"))
        XCTAssertThrowsError(try ModelSummary(folder: folder)) { error in
            XCTAssertTrue("\(error)".contains("mm_vision_tower \"../llava-original-tower\""), "\(error)")
            XCTAssertTrue("\(error)".contains("--vision-tower"), "\(error)")
        }
        XCTAssertEqual(try ModelSummary(folder: folder, visionTowerDirectory: Fixtures.model("llava-original-tower")).parameterCount,
                       279_824)
    }
}
