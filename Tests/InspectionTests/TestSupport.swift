import Foundation
import SafeTensors
import XCTest

/// Fixtures of the other test targets, read in place (relative to this file) rather than copied:
/// the PyTorch/transformers model folders in ModelsTests, tokenizers in TextTests, images in
/// VisionTests (all from ../shared/fixtures; see its README: PyTorch 2.15, transformers 5.24, CPU F32).
enum Fixtures {
    static let tests = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    static let models = tests.appendingPathComponent("ModelsTests/Fixtures")
    static let text = tests.appendingPathComponent("TextTests/Fixtures")
    static let images = tests.appendingPathComponent("VisionTests/Fixtures/images")

    static func model(_ name: String) -> URL { models.appendingPathComponent(name) }

    static func reference(_ folder: String) -> URL {
        models.appendingPathComponent(folder).appendingPathComponent("reference.safetensors")
    }
}

/// A fresh folder under the system temporary directory, removed when the test ends.
func temporaryFolder(for testCase: XCTestCase) throws -> URL {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("InspectionTests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    testCase.addTeardownBlock { try? FileManager.default.removeItem(at: folder) }
    return folder
}

/// max |actual − expected| ≤ tolerance · max(|expected|) (at least 1e-6): the error relative to the
/// tensor's scale, the criterion of the model parity tests.
func assertClose(_ actual: [Float], _ expected: [Float], tolerance: Float, _ name: String,
                 file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(actual.count, expected.count, "\(name): element count", file: file, line: line)
    guard actual.count == expected.count else { return }
    var worst: Float = 0, scale: Float = 1e-6
    for i in actual.indices {
        worst = max(worst, abs(actual[i] - expected[i]))
        scale = max(scale, abs(expected[i]))
    }
    XCTAssertLessThanOrEqual(worst / scale, tolerance, "\(name): max error \(worst) at scale \(scale)", file: file, line: line)
}

