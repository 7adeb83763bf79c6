import Foundation
import XCTest

/// Locates and loads the files in Tests/VisionTests/Fixtures (see make_fixtures.py there for
/// how the generated ones were produced; images/ and alignment-* are copies of the project's
/// shared PyTorch/transformers fixtures).
enum Fixtures {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    static func path(_ relativePath: String) -> String {
        folder.appendingPathComponent(relativePath).path
    }

    static func json(_ relativePath: String) throws -> [String: Any] {
        let data = try Data(contentsOf: folder.appendingPathComponent(relativePath))
        return try JSONSerialization.jsonObject(with: data) as! [String: Any]
    }

    static func bytes(base64 text: Any?) -> [UInt8] {
        [UInt8](Data(base64Encoded: text as! String)!)
    }

    static func floats(base64 text: Any?) -> [Float] {
        let bytes = bytes(base64: text)
        return stride(from: 0, to: bytes.count, by: 4).map { index in
            let bits = UInt32(bytes[index]) | UInt32(bytes[index + 1]) << 8
                | UInt32(bytes[index + 2]) << 16 | UInt32(bytes[index + 3]) << 24
            return Float(bitPattern: bits)
        }
    }

    static func floats(_ list: Any?) -> [Float] {
        (list as! [NSNumber]).map { $0.floatValue }
    }

    /// A fresh empty folder under the system temporary directory.
    static func temporaryFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("VisionTests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

/// Fails with the first differing index when two sample arrays differ by more than `tolerance`.
func assertClose(_ actual: [UInt8], _ expected: [UInt8], tolerance: Int, _ label: String,
                 file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(actual.count, expected.count, "\(label): sample count", file: file, line: line)
    guard actual.count == expected.count else { return }
    if let index = actual.indices.first(where: { abs(Int(actual[$0]) - Int(expected[$0])) > tolerance }) {
        XCTFail("\(label): sample \(index) is \(actual[index]), expected \(expected[index]) ±\(tolerance)",
                file: file, line: line)
    }
}

/// Fails with the first differing index when two float arrays differ by more than `tolerance`.
func assertClose(_ actual: [Float], _ expected: [Float], tolerance: Float, _ label: String,
                 file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(actual.count, expected.count, "\(label): value count", file: file, line: line)
    guard actual.count == expected.count else { return }
    if let index = actual.indices.first(where: { !(abs(actual[$0] - expected[$0]) <= tolerance) }) {
        XCTFail("\(label): value \(index) is \(actual[index]), expected \(expected[index]) ±\(tolerance)",
                file: file, line: line)
    }
}
