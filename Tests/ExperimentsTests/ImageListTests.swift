import Experiments
import Foundation
import XCTest

final class ImageListTests: XCTestCase {
    func testFolderImagesAreSortedAndLimited() throws {
        let folder = try ExperimentFixtures.temporaryFolder(for: self)
        let images = try ExperimentFixtures.writePictures(3, into: folder)
        try "notes".write(to: folder.appendingPathComponent("notes.txt"), atomically: true, encoding: .utf8)
        try Data().write(to: folder.appendingPathComponent(".hidden.png"))
        XCTAssertEqual(try ImageList.resolve(folder), images)
        XCTAssertEqual(try ImageList.resolve(folder, limit: 2), Array(images.prefix(2)))
        XCTAssertEqual(try ImageList.resolve(images[1]), [images[1]])
    }

    /// A LLaVA data file gives its records' images once each, in record order, relative to its folder.
    func testDataFileImages() throws {
        let folder = try ExperimentFixtures.temporaryFolder(for: self)
        let images = try ExperimentFixtures.writePictures(2, into: folder)
        let records = """
            [{"id": "a", "image": "picture1.png", "conversations": [{"from": "human", "value": "<image>\\nHi"}, {"from": "gpt", "value": "Yo"}]},
             {"id": "b", "conversations": [{"from": "human", "value": "Text only"}, {"from": "gpt", "value": "Ok"}]},
             {"id": "c", "image": "picture0.png", "conversations": [{"from": "human", "value": "<image>\\nHi"}, {"from": "gpt", "value": "Yo"}]},
             {"id": "d", "image": "picture1.png", "conversations": [{"from": "human", "value": "<image>\\nAgain"}, {"from": "gpt", "value": "Yo"}]}]
            """
        let file = folder.appendingPathComponent("data.json")
        try records.write(to: file, atomically: true, encoding: .utf8)
        XCTAssertEqual(try ImageList.resolve(file), [images[1], images[0]])

        let missing = folder.appendingPathComponent("missing.json")
        try records.replacingOccurrences(of: "picture0.png", with: "gone.png").write(to: missing, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try ImageList.resolve(missing)) {
            XCTAssertTrue("\($0)".contains("record c"), "\($0)")
            XCTAssertTrue("\($0)".contains("gone.png"), "\($0)")
        }
    }

    func testBadSourcesThrow() throws {
        let folder = try ExperimentFixtures.temporaryFolder(for: self)
        XCTAssertThrowsError(try ImageList.resolve(folder.appendingPathComponent("absent"))) {
            XCTAssertTrue("\($0)".contains("absent"), "\($0)")
        }
        XCTAssertThrowsError(try ImageList.resolve(folder)) { XCTAssertTrue("\($0)".contains("names no image"), "\($0)") }
        XCTAssertThrowsError(try ImageList.resolve(folder, limit: 0))
    }
}
