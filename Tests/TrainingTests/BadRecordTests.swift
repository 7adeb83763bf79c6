import Foundation
import Vision
import XCTest
@testable import Training

/// Each kind of bad record under both policies: `skip` counts it and keeps going, `fail` throws
/// an error naming the record (id and line) and the problem.
final class BadRecordTests: XCTestCase {
    private var folder: TemporaryFolder!

    override func setUpWithError() throws {
        folder = try TemporaryFolder()
        try folder.writePNG("ok.png", width: 6, height: 4, color: RGBColor(red: 1, green: 2, blue: 3))
        try folder.write("this is not an image", to: "garbage.png")
    }

    override func tearDown() {
        folder = nil
    }

    private let goodLine = "{\"id\": \"good\", \"image\": \"ok.png\", \"conversations\": "
        + "[{\"from\": \"human\", \"value\": \"<image>\\nq\"}, {\"from\": \"gpt\", \"value\": \"a\"}]}"

    /// A bad line and what the message must say about it (after the file path).
    private var badLines: [(line: String, message: String)] {
        get throws {
            [
                (try recordJSON(id: "missing", image: "nope.png", turns: [("human", "<image>"), ("gpt", "a")]),
                 ":2: record 'missing': image file '\(folder.url.path)/nope.png' does not exist"),
                (try recordJSON(id: "nohuman", image: nil, turns: [("gpt", "a")]),
                 ":2: record 'nohuman': has no human turn"),
                ("{\"id\": \"empty\", \"conversations\": []}",
                 ":2: record 'empty': \"conversations\" is empty"),
                ("{\"id\": \"broken\", \"conversations\": [",
                 ":2: record #1: malformed JSON"),
            ]
        }
    }

    private func configuration(_ policy: BadRecordPolicy) -> DataConfiguration {
        DataConfiguration(template: VicunaV1Template(), imageTokenID: -200, imageTokenCount: 2, maxLength: 512,
                          images: ImagePreparation(preset: .clip(size: 4), aspect: .pad), badRecordPolicy: policy)
    }

    private func dataset(_ lines: [String], _ policy: BadRecordPolicy) throws -> ConversationDataset {
        let file = try folder.write(lines.joined(separator: "\n"), to: "data.jsonl")
        return try ConversationDataset(contentsOf: file, tokenizer: try Fixtures.llamaTokenizer(),
                                       configuration: configuration(policy))
    }

    func testFailPolicyNamesTheRecordAndTheProblem() throws {
        let file = folder.url.appendingPathComponent("data.jsonl").path
        for (line, message) in try badLines {
            XCTAssertThrowsError(try dataset([goodLine, line], .fail), message) { error in
                guard case TrainingDataError.badRecord = error else { return XCTFail("\(error)") }
                XCTAssertTrue("\(error)".hasPrefix("bad record: \(file)\(message)"), "\(error)")
                XCTAssertEqual((error as? LocalizedError)?.errorDescription, "\(error)")
            }
        }
    }

    func testSkipPolicyCountsBadRecordsAndKeepsTheRest() throws {
        let lines = try [goodLine] + badLines.map(\.line) + [goodLine.replacingOccurrences(of: "good", with: "good2")]
        let dataset = try dataset(lines, .skip)
        XCTAssertEqual(dataset.entries.map(\.id), ["good", "good2"])
        XCTAssertEqual(dataset.summary.recordsRead, 6)
        XCTAssertEqual(dataset.summary.recordsLoaded, 2)
        XCTAssertTrue(dataset.summary.description.hasPrefix(
            folder.url.appendingPathComponent("data.jsonl").path + ": 6 records read, 2 loaded\n4 bad records skipped"),
            dataset.summary.description)
        let report = dataset.summary.badRecords
        XCTAssertEqual(report.count, 4)
        XCTAssertEqual(report.countsByKind, ["missing image file": 1, "no human turn": 1, "empty conversation": 1,
                                             "malformed JSON": 1])
        XCTAssertEqual(report.records.map(\.location.line), [2, 3, 4, 5])
        XCTAssertEqual(report.records.map(\.recordID), ["missing", "nohuman", "empty", nil])
        XCTAssertTrue(report.description.hasPrefix("4 bad records skipped: "), report.description)
        XCTAssertTrue(report.description.contains("record 'nohuman': has no human turn"), report.description)
    }

    func testUndecodableImageIsFoundWhenServedAndFollowsThePolicy() throws {
        let garbage = try recordJSON(id: "garbage", image: "garbage.png", turns: [("human", "<image>"), ("gpt", "a")])
        let path = folder.url.appendingPathComponent("garbage.png").path

        let failing = try dataset([goodLine, garbage], .fail)
        XCTAssertThrowsError(try failing.batch(entries: [0, 1])) { error in
            XCTAssertTrue("\(error)".contains(":2: record 'garbage': image file '\(path)' cannot be decoded: "
                                              + "neither a PNG nor a JPEG file"), "\(error)")
        }

        let skipping = try dataset([goodLine, garbage], .skip)
        let batch = try skipping.batch(entries: [0, 1])
        XCTAssertEqual(batch.sampleIDs, ["good"])
        XCTAssertEqual(batch.pixelValues?.shape, [1, 3, 4, 4])
        XCTAssertEqual(skipping.summary.badRecords.countsByKind, ["unreadable image": 1])
        // Found once, counted once, and left out of later batches without decoding it again.
        XCTAssertEqual(try skipping.batch(entries: [1, 0]).sampleIDs, ["good"])
        XCTAssertEqual(skipping.summary.badRecords.count, 1)
    }

    func testLoaderReplacesSkippedRecordsAndStopsWhenNothingIsUsable() throws {
        let garbage = try recordJSON(id: "garbage", image: "garbage.png", turns: [("human", "<image>"), ("gpt", "a")])
        let lines = [goodLine, garbage, goodLine.replacingOccurrences(of: "good", with: "good2")]
        var loader = try DataLoader(dataset: try dataset(lines, .skip), batchSize: 2, seed: 1, shuffles: false)
        XCTAssertEqual(try loader.nextBatch().sampleIDs, ["good", "good2"], "the bad record's slot is refilled")
        XCTAssertEqual(loader.position, DataPosition(epoch: 1, index: 0))

        var hopeless = try DataLoader(dataset: try dataset([garbage], .skip), batchSize: 2, seed: 1)
        XCTAssertThrowsError(try hopeless.nextBatch()) { error in
            guard case TrainingDataError.noUsableRecords = error else { return XCTFail("\(error)") }
        }
    }

    func testFileWithoutUsableRecordsIsAnError() throws {
        XCTAssertThrowsError(try dataset(try badLines.map(\.line), .skip)) { error in
            XCTAssertTrue("\(error)".contains("has no usable record\n4 bad records skipped"), "\(error)")
        }
    }
}
