import Foundation
import XCTest
@testable import Training

final class DataOrderTests: XCTestCase {
    func testEachEpochIsASeededPermutation() {
        let order = DataOrder(count: 50, seed: 42)
        let first = order.indices(forEpoch: 0)
        XCTAssertEqual(first.sorted(), Array(0..<50))
        XCTAssertNotEqual(first, Array(0..<50))
        XCTAssertEqual(DataOrder(count: 50, seed: 42).indices(forEpoch: 0), first, "same seed, same order")
        XCTAssertNotEqual(DataOrder(count: 50, seed: 43).indices(forEpoch: 0), first)
        XCTAssertNotEqual(order.indices(forEpoch: 1), first, "every epoch has its own order")
        XCTAssertEqual(order.indices(forEpoch: 1).sorted(), Array(0..<50))
        XCTAssertEqual(DataOrder(count: 50, seed: 42, shuffles: false).indices(forEpoch: 3), Array(0..<50))
        XCTAssertEqual(DataOrder(count: 1, seed: 42).indices(forEpoch: 0), [0])
        XCTAssertEqual(DataOrder(count: 0, seed: 42).indices(forEpoch: 0), [])
    }

    /// Pinned from this implementation: the order must not change between versions, or resumed
    /// and repeated runs would see different data.
    func testOrderIsStable() {
        XCTAssertEqual(DataOrder(count: 10, seed: 42).indices(forEpoch: 0), [9, 1, 4, 2, 8, 7, 6, 5, 3, 0])
    }

    /// Every position of the 0..<n grid is equally likely: over many seeds each record lands
    /// in each slot about 1/n of the time (tolerance 5 standard deviations of the binomial count).
    func testShuffleIsUniform() {
        let n = 5
        let trials = 20000
        var counts = Array(repeating: Array(repeating: 0, count: n), count: n)
        for seed in 0..<trials {
            for (slot, record) in DataOrder(count: n, seed: UInt64(seed)).indices(forEpoch: 0).enumerated() {
                counts[slot][record] += 1
            }
        }
        let expected = Double(trials) / Double(n)
        let tolerance = 5 * (Double(trials) * (1.0 / Double(n)) * (1 - 1.0 / Double(n))).squareRoot()
        for row in counts {
            for count in row { XCTAssertEqual(Double(count), expected, accuracy: tolerance) }
        }
    }

    private func textDataset(records: Int) throws -> ConversationDataset {
        let folder = try TemporaryFolder()
        let lines = try (0..<records).map { try recordJSON(id: "r\($0)", image: nil, turns: [("human", "q\($0)"), ("gpt", "a")]) }
        let file = try folder.write(lines.joined(separator: "\n"), to: "data.jsonl")
        return try ConversationDataset(
            contentsOf: file, tokenizer: try Fixtures.llamaTokenizer(),
            configuration: DataConfiguration(template: VicunaV1Template(), imageTokenID: -200, imageTokenCount: 1,
                                             maxLength: 512, images: ImagePreparation(preset: .clip(size: 4), aspect: .pad)))
    }

    func testEpochsVisitEveryRecordOnceAndEndWithASmallerBatch() throws {
        let dataset = try textDataset(records: 7)
        var loader = try DataLoader(dataset: dataset, batchSize: 3, seed: 9)
        XCTAssertEqual(loader.batchesPerEpoch, 3)
        var epochs: [[String]] = [[], []]
        var sizes: [Int] = []
        for _ in 0..<6 {
            let epoch = loader.position.epoch
            let batch = try loader.nextBatch()
            sizes.append(batch.count)
            epochs[epoch] += batch.sampleIDs
        }
        XCTAssertEqual(sizes, [3, 3, 1, 3, 3, 1])
        XCTAssertEqual(loader.position, DataPosition(epoch: 2, index: 0))
        for epoch in epochs { XCTAssertEqual(Set(epoch), Set((0..<7).map { "r\($0)" })) }
        XCTAssertEqual(epochs[0], DataOrder(count: 7, seed: 9).indices(forEpoch: 0).map { "r\($0)" })
        XCTAssertNotEqual(epochs[0], epochs[1])
    }

    func testRestoredPositionResumesWithTheExactNextBatches() throws {
        let dataset = try textDataset(records: 7)
        var uninterrupted = try DataLoader(dataset: dataset, batchSize: 3, seed: 5)
        var served: [[String]] = []
        var saved = Data()
        for step in 0..<6 {
            served.append(try uninterrupted.nextBatch().sampleIDs)
            if step == 1 { saved = try JSONEncoder().encode(uninterrupted.position) }
        }
        let position = try JSONDecoder().decode(DataPosition.self, from: saved)
        XCTAssertEqual(position, DataPosition(epoch: 0, index: 6))

        var resumed = try DataLoader(dataset: dataset, batchSize: 3, seed: 5, position: position)
        XCTAssertEqual(try (2..<6).map { _ in try resumed.nextBatch().sampleIDs }, Array(served[2..<6]))

        // The end of an epoch is the start of the next.
        var atEnd = try DataLoader(dataset: dataset, batchSize: 3, seed: 5, position: DataPosition(epoch: 0, index: 7))
        XCTAssertEqual(atEnd.position, DataPosition(epoch: 1, index: 0))
        XCTAssertEqual(try atEnd.nextBatch().sampleIDs, served[3])
    }

    func testPositionOutsideTheDataSetIsRejected() throws {
        let dataset = try textDataset(records: 4)
        for position in [DataPosition(epoch: 0, index: 5), DataPosition(epoch: -1, index: 0)] {
            XCTAssertThrowsError(try DataLoader(dataset: dataset, batchSize: 2, seed: 1, position: position)) { error in
                XCTAssertEqual("\(error)", "data position \(position) does not fit a data set of 4 records")
            }
        }
        XCTAssertThrowsError(try DataLoader(dataset: dataset, batchSize: 0, seed: 1))
    }
}
