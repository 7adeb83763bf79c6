import Foundation
import XCTest
@testable import Text

/// The folder of the test fixtures (copied from /work/shared/fixtures and made with
/// Fixtures/make_reference_cases.py).
let fixturesURL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

/// Reads a JSON fixture with Foundation (independent of the parser under test).
func readJSONFixture(_ name: String) throws -> Any {
    try JSONSerialization.jsonObject(with: Data(contentsOf: fixturesURL.appendingPathComponent(name)))
}

/// A fresh temporary folder, removed when the test ends.
func makeTemporaryFolder(for testCase: XCTestCase) throws -> URL {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("TextTests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    testCase.addTeardownBlock { try? FileManager.default.removeItem(at: folder) }
    return folder
}

/// Writes a `tokenizer.json` made of a base fixture with top-level fields replaced, into its own
/// temporary folder, and returns its URL.
func writeTokenizerFile(base: String, for testCase: XCTestCase,
                        edit: (inout [String: Any]) -> Void) throws -> URL {
    var root = try readJSONFixture(base) as! [String: Any]
    edit(&root)
    let url = try makeTemporaryFolder(for: testCase).appendingPathComponent("tokenizer.json")
    try JSONSerialization.data(withJSONObject: root).write(to: url)
    return url
}
