import Foundation
import Models
import SafeTensors
import Tensor
import XCTest

/// Access to the PyTorch/transformers fixtures copied from ../shared/fixtures (see its README:
/// PyTorch 2.15, transformers 5.24, CPU float32, random weights).
enum Fixtures {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    static func folder(_ name: String) -> URL { root.appendingPathComponent(name) }

    static func file(_ folder: String, _ name: String = "reference.safetensors") throws -> SafeTensorsFile {
        try SafeTensorsFile(url: root.appendingPathComponent(folder).appendingPathComponent(name))
    }
}

extension SafeTensorsFile {
    func tensor(_ name: String) throws -> Tensor {
        Tensor(try floats(name), shape: try info(name).shape)
    }

    func intRows(_ name: String) throws -> [[Int]] {
        let shape = try info(name).shape
        let values = try int64s(name).map(Int.init)
        let width = shape.last ?? values.count
        return stride(from: 0, to: values.count, by: max(width, 1)).map { Array(values[$0..<($0 + width)]) }
    }
}

/// max |actual − expected| ≤ tolerance · max(|expected|, 1e-6): the error relative to the
/// tensor's scale, as the issue states the criterion.
func assertClose(_ actual: Tensor, _ expected: Tensor, tolerance: Float, _ name: String,
                 file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(actual.count, expected.count, "\(name): \(actual.shape) vs \(expected.shape)", file: file, line: line)
    guard actual.count == expected.count else { return }
    var worst: Float = 0, scale: Float = 1e-6
    for i in 0..<actual.count {
        worst = max(worst, abs(actual.data[i] - expected.data[i]))
        scale = max(scale, abs(expected.data[i]))
    }
    XCTAssertLessThanOrEqual(worst / scale, tolerance, "\(name): max error \(worst) at scale \(scale)", file: file, line: line)
}
