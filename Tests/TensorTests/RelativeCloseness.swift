import Tensor
import XCTest

/// Asserts that `actual` has `expected`'s shape and that its largest difference from `expected`
/// is at most `tolerance` of `expected`'s largest magnitude.
func assertClose(_ actual: Tensor, _ expected: Tensor, tolerance: Float = 1e-5, _ name: String,
                 file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(actual.shape, expected.shape, name, file: file, line: line)
    var worst: Float = 0, scale: Float = 1e-6
    for i in 0..<min(actual.count, expected.count) {
        worst = max(worst, abs(actual.data[i] - expected.data[i]))
        scale = max(scale, abs(expected.data[i]))
    }
    XCTAssertLessThanOrEqual(worst / scale, tolerance, "\(name): max error \(worst) at scale \(scale)", file: file, line: line)
}
