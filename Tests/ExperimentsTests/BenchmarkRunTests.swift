import Evaluation
import Experiments
import Foundation
import Tensor
import XCTest

/// `viral eval` on a hand-made POPE split answered by the tiny LLaVA fixture, re-scoring, and the
/// patch shuffle.
final class BenchmarkRunTests: XCTestCase {
    func testRunWritesPredictionsAndMetricsThatRescoreAlike() throws {
        let folder = try ExperimentFixtures.temporaryFolder(for: self)
        let data = try ExperimentFixtures.makePOPE(in: folder)
        let run = try BenchmarkRun(benchmark: "POPE", dataDirectory: data)
        XCTAssertEqual(run.items.count, 6)
        let generator = ModelAnswerGenerator(chat: try ExperimentFixtures.chat(), options: ReplyOptions(maxNewTokens: 8))
        var reported: [Int] = []
        let output = folder.appendingPathComponent("out")
        let result = try run.run(with: generator, outputDirectory: output) { reported.append($0.completed) }
        XCTAssertEqual(reported, [1, 2, 3, 4, 5, 6])

        let files = run.outputFiles(in: output, patchShuffle: nil)
        XCTAssertEqual(files.predictions.lastPathComponent, "pope.predictions.jsonl")
        let lines = try String(contentsOf: files.predictions, encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(lines.count, 6)
        let records = try lines.map { try JSONDecoder().decode(Prediction.self, from: Data($0.utf8)) }
        XCTAssertEqual(records.map(\.questionID), ["popular/1", "popular/2", "random/1", "random/2", "random/3", "random/4"])
        XCTAssertEqual(records.map(\.answer), result.predictions.map(\.rawAnswer))
        XCTAssertEqual(records.map(\.reference), ["yes", "no", "yes", "no", "no", "yes"])

        let metrics = try JSONDecoder().decode(Metrics.self, from: Data(contentsOf: files.metrics))
        XCTAssertEqual(metrics, result.metrics)
        XCTAssertEqual(metrics.counts, ["all": 6, "random": 4, "popular": 2])
        let correct = records.filter(\.correct).count
        XCTAssertEqual(metrics.values["all/accuracy"]!, 100 * Double(correct) / 6, accuracy: 1e-9)

        let rescored = try run.rescore(files.predictions)
        XCTAssertEqual(rescored.metrics, result.metrics)
        XCTAssertTrue(rescored.missingQuestionIDs.isEmpty)
    }

    func testSwappedImagesKeepTheQuestionsAndRotateTheImages() throws {
        let folder = try ExperimentFixtures.temporaryFolder(for: self)
        let run = try BenchmarkRun(benchmark: "pope", dataDirectory: try ExperimentFixtures.makePOPE(in: folder), limit: 3)
        let swapped = run.withImagesSwapped()
        XCTAssertEqual(swapped.items.map(\.questionID), run.items.map(\.questionID))
        XCTAssertEqual(swapped.items.map(\.imagePaths), [run.items[1].imagePaths, run.items[2].imagePaths, run.items[0].imagePaths])
    }

    func testEvenlySpacedSubsetCoversEverySplit() throws {
        let folder = try ExperimentFixtures.temporaryFolder(for: self)
        let run = try BenchmarkRun(benchmark: "pope", dataDirectory: try ExperimentFixtures.makePOPE(in: folder))
        XCTAssertEqual(run.items.map(\.questionID), ["popular/1", "popular/2", "random/1", "random/2", "random/3", "random/4"])
        XCTAssertEqual(run.evenlySpaced(3).items.map(\.questionID), ["popular/1", "random/1", "random/3"])
        XCTAssertEqual(run.evenlySpaced(4).items.map(\.questionID), ["popular/1", "popular/2", "random/2", "random/3"])
        XCTAssertEqual(run.evenlySpaced(6).items.map(\.questionID), run.items.map(\.questionID))
        XCTAssertEqual(run.evenlySpaced(60).items.count, 6)
        XCTAssertEqual(run.evenlySpaced(0).items.count, 0)
        XCTAssertEqual(run.evenlySpaced(-1).items.count, 0)
    }

    func testLimitTakesTheFirstQuestions() throws {
        let folder = try ExperimentFixtures.temporaryFolder(for: self)
        let run = try BenchmarkRun(benchmark: "pope", dataDirectory: try ExperimentFixtures.makePOPE(in: folder), limit: 3)
        XCTAssertEqual(run.items.map(\.questionID), ["popular/1", "popular/2", "random/1"])
        XCTAssertThrowsError(try BenchmarkRun(benchmark: "pope", dataDirectory: folder, limit: 0))
        XCTAssertThrowsError(try BenchmarkRun(benchmark: "nope", dataDirectory: folder)) {
            XCTAssertTrue("\($0)".contains("known benchmarks"), "\($0)")
        }
        XCTAssertEqual(BenchmarkRun.defaultMaxNewTokens(for: MME()), 16)
        XCTAssertEqual(BenchmarkRun.defaultMaxNewTokens(for: POPE()), 128)
    }

    func testMissingImageNamesTheQuestionAndFile() throws {
        let folder = try ExperimentFixtures.temporaryFolder(for: self)
        let data = try ExperimentFixtures.makePOPE(in: folder)
        let image = data.appendingPathComponent("val2014/COCO_val2014_1.png")
        try FileManager.default.removeItem(at: image)
        let run = try BenchmarkRun(benchmark: "pope", dataDirectory: data)
        let generator = ModelAnswerGenerator(chat: try ExperimentFixtures.chat(), options: ReplyOptions(maxNewTokens: 2))
        XCTAssertThrowsError(try run.run(with: generator, outputDirectory: folder.appendingPathComponent("out"))) {
            XCTAssertTrue("\($0)".contains("popular/1"), "\($0)")
            XCTAssertTrue("\($0)".contains(image.path), "\($0)")
        }
    }

    /// Rows of each image are permuted alike, every row kept once, the order fixed by the seed.
    func testPatchShufflePermutesTheRowsOfEachImage() {
        let images = 2, count = 6, width = 3
        let values = (0..<(images * count * width)).map(Float.init)
        let tokens = Tensor(values, shape: [images, count, width])
        let shuffle = PatchShuffle(seed: 3)
        let order = shuffle.permutation(count: count)
        XCTAssertEqual(order.sorted(), Array(0..<count))
        XCTAssertNotEqual(order, Array(0..<count))
        XCTAssertEqual(order, PatchShuffle(seed: 3).permutation(count: count), "seeded")
        XCTAssertNotEqual(order, PatchShuffle(seed: 4).permutation(count: count))

        let shuffled = shuffle(tokens)
        XCTAssertEqual(shuffled.shape, [images, count, width])
        for image in 0..<images {
            for row in 0..<count {
                let source = (image * count + order[row]) * width
                let target = (image * count + row) * width
                XCTAssertEqual(Array(shuffled.scalars[target..<(target + width)]), Array(values[source..<(source + width)]))
            }
        }
    }

    /// In the model, the shuffle moves the projected tokens between the image positions only.
    func testPatchShuffleReordersTheVisualTokensOfTheModel() throws {
        let chat = try ExperimentFixtures.chat()
        let ids = chat.promptIDs(for: .prompt(question: "What is shown?", hasImage: true))
        let pixels = chat.pixelValues(for: ExperimentFixtures.picture(width: 32, height: 32, variant: 4))
        let shuffle = PatchShuffle(seed: 11)
        let plain = try chat.model.inputEmbeddings(inputIDs: [ids], pixelValues: pixels)
        let shuffled = try chat.model.inputEmbeddings(inputIDs: [ids], pixelValues: pixels, visualTokenHook: { shuffle($0) })
        let width = chat.model.config.decoder.hiddenSize
        let positions = plain.imagePositions[0]
        let order = shuffle.permutation(count: positions.count)
        func row(_ tensor: Tensor, _ position: Int) -> [Float] {
            Array(UnsafeBufferPointer(start: tensor.data + position * width, count: width))
        }
        for (slot, position) in positions.enumerated() {
            XCTAssertEqual(row(shuffled.embeddings, position), row(plain.embeddings, positions[order[slot]]))
        }
        for position in ids.indices where !positions.contains(position) {
            XCTAssertEqual(row(shuffled.embeddings, position), row(plain.embeddings, position))
        }
        XCTAssertNotEqual(shuffled.embeddings.scalars, plain.embeddings.scalars)
    }

    func testPatchShuffleRunIsWrittenBesideTheOriginal() throws {
        let folder = try ExperimentFixtures.temporaryFolder(for: self)
        let run = try BenchmarkRun(benchmark: "pope", dataDirectory: try ExperimentFixtures.makePOPE(in: folder), limit: 2)
        let chat = try ExperimentFixtures.chat()
        let output = folder.appendingPathComponent("out")
        let original = try run.run(with: ModelAnswerGenerator(chat: chat, options: ReplyOptions(maxNewTokens: 4)), outputDirectory: output)
        let shuffled = try run.run(with: ModelAnswerGenerator(chat: chat, options: ReplyOptions(maxNewTokens: 4),
                                                              patchShuffle: PatchShuffle(seed: 5)), outputDirectory: output)
        let files = run.outputFiles(in: output, patchShuffle: PatchShuffle(seed: 5))
        XCTAssertEqual(files.metrics.lastPathComponent, "pope.patch-shuffle-5.metrics.json")
        XCTAssertTrue(FileManager.default.fileExists(atPath: files.predictions.path))
        let comparison = try PatchShuffleComparison(original: original.metrics, shuffled: shuffled.metrics, seed: 5)
        XCTAssertEqual(comparison.metric, "mean/f1")
        XCTAssertEqual(comparison.drop, original.metrics.primaryValue! - shuffled.metrics.primaryValue!, accuracy: 1e-12)
        XCTAssertTrue(comparison.table.contains("patch-shuffled"), comparison.table)
    }

    func testComparisonArithmetic() throws {
        let before = Metrics(benchmark: "pope", primary: "mean/f1", values: ["mean/f1": 85.5], counts: [:])
        let after = Metrics(benchmark: "pope", primary: "mean/f1", values: ["mean/f1": 80.25], counts: [:])
        let comparison = try PatchShuffleComparison(original: before, shuffled: after, seed: 0)
        XCTAssertEqual(comparison.drop, 5.25)
        XCTAssertEqual(comparison.table.split(separator: "\n").last.map(String.init), "mean/f1  drop              5.25")
        let empty = Metrics(benchmark: "pope", primary: "mean/f1", values: [:], counts: [:])
        XCTAssertThrowsError(try PatchShuffleComparison(original: before, shuffled: empty, seed: 0))
    }
}
