import Foundation
import Tensor
import Vision
import XCTest
@testable import Training

final class BatchTests: XCTestCase {
    /// Three records: an image (8×6), text only (integer id), an image in a sub-folder (5×9) in
    /// the second round.
    private func makeData(in folder: TemporaryFolder) throws -> URL {
        try folder.writePNG("red.png", width: 8, height: 6, color: RGBColor(red: 200, green: 10, blue: 10))
        try folder.writePNG("images/green.png", width: 5, height: 9, color: RGBColor(red: 10, green: 200, blue: 10))
        let lines = [
            try recordJSON(id: "a", image: "red.png", turns: [("human", "<image>\nwhat is it"), ("gpt", "red.")]),
            try recordJSON(id: 7, image: nil, turns: [("human", "hi"), ("gpt", "hello there, how are you today.")]),
            try recordJSON(id: "c", image: "images/green.png",
                           turns: [("human", "colour?"), ("gpt", "green"), ("human", "sure?\n<image>"), ("gpt", "yes")]),
        ]
        return try folder.write(lines.joined(separator: "\n"), to: "data.jsonl")
    }

    private func configuration(aspect: ImagePreparation.AspectHandling = .pad, maxLength: Int = 1024,
                               teacher: ImagePreparation? = nil) -> DataConfiguration {
        DataConfiguration(template: VicunaV1Template(), imageTokenID: 319, imageTokenCount: 4, maxLength: maxLength,
                          images: ImagePreparation(preset: .clip(size: 8), aspect: aspect), teacherImages: teacher)
    }

    func testBatchIsRightPaddedWithImagesInSampleOrder() throws {
        let folder = try TemporaryFolder()
        let dataset = try ConversationDataset(contentsOf: try makeData(in: folder), tokenizer: try Fixtures.llamaTokenizer(),
                                              configuration: configuration())
        let samples = (0..<3).map(dataset.sample(at:))
        let batch = try dataset.batch(entries: [0, 1, 2])

        XCTAssertEqual(batch.sampleIDs, ["a", "7", "c"])
        XCTAssertEqual(batch.recordIndices, [0, 1, 2])
        let length = samples.map(\.inputIDs.count).max()!
        XCTAssertEqual(batch.sequenceLength, length)
        XCTAssertNotEqual(Set(samples.map(\.inputIDs.count)).count, 1, "the samples differ in length")
        for (row, sample) in samples.enumerated() {
            let real = sample.inputIDs.count
            XCTAssertEqual(Array(batch.inputIDs[row].prefix(real)), sample.inputIDs)
            XCTAssertEqual(Array(batch.labels[row].prefix(real)), sample.labels)
            XCTAssertEqual(Array(batch.inputIDs[row].dropFirst(real)), Array(repeating: 0, count: length - real), "pad = unk = 0")
            XCTAssertEqual(Array(batch.labels[row].dropFirst(real)), Array(repeating: ignoredLabel, count: length - real))
            XCTAssertEqual(batch.attentionMask[row], Array(repeating: true, count: real) + Array(repeating: false, count: length - real))
        }
        XCTAssertEqual(batch.inputIDs[0].filter { $0 == 319 }.count, 4, "image token expanded")
        XCTAssertEqual(batch.inputIDs[1].filter { $0 == 319 }.count, 0)
        XCTAssertEqual(batch.hasImage, [true, false, true])
        XCTAssertEqual(batch.imageTruncated, [false, false, false])
        XCTAssertEqual(batch.imageSampleIndices, [0, 2])
        XCTAssertEqual(batch.imageKeys, [folder.url.appendingPathComponent("red.png").path,
                                         folder.url.appendingPathComponent("images/green.png").path])
        XCTAssertNil(batch.teacherPixelValues)

        // Pixels are Vision's stage-2 preprocessing of each file, stacked in sample order (exact:
        // the same code path on the same bytes).
        let pixels = try XCTUnwrap(batch.pixelValues)
        XCTAssertEqual(pixels.shape, [2, 3, 8, 8])
        let expected = try batch.imageKeys.flatMap {
            ImagePreprocessor.clip(size: 8, pad: true).pixelValues(for: try RGBImage(contentsOfFile: $0))
        }
        XCTAssertEqual(Array(UnsafeBufferPointer(start: pixels.data, count: pixels.count)), expected)

        // The reversed order reverses the images.
        let reversed = try dataset.batch(entries: [2, 1, 0])
        XCTAssertEqual(reversed.imageKeys, batch.imageKeys.reversed())
        XCTAssertEqual(reversed.imageSampleIndices, [0, 2])
    }

    func testStageOneCropsAndStageTwoPadsAndTheTeacherHasItsOwnPixels() throws {
        let folder = try TemporaryFolder()
        let data = try makeData(in: folder)
        let tokenizer = try Fixtures.llamaTokenizer()
        let teacher = ImagePreparation(preset: .dinov2(size: 14), aspect: .pad)
        let cropped = try ConversationDataset(contentsOf: data, tokenizer: tokenizer,
                                              configuration: configuration(aspect: .crop, teacher: teacher))
        let padded = try ConversationDataset(contentsOf: data, tokenizer: tokenizer, configuration: configuration(aspect: .pad))
        let croppedPixels = try XCTUnwrap(try cropped.batch(entries: [0]).pixelValues)
        let paddedPixels = try XCTUnwrap(try padded.batch(entries: [0]).pixelValues)
        let image = try RGBImage(contentsOfFile: folder.url.appendingPathComponent("red.png").path)
        let croppedValues = Array(UnsafeBufferPointer(start: croppedPixels.data, count: croppedPixels.count))
        let paddedValues = Array(UnsafeBufferPointer(start: paddedPixels.data, count: paddedPixels.count))
        XCTAssertEqual(croppedValues, ImagePreprocessor.clip(size: 8, pad: false).pixelValues(for: image))
        XCTAssertEqual(paddedValues, ImagePreprocessor.clip(size: 8, pad: true).pixelValues(for: image))
        XCTAssertNotEqual(croppedValues, paddedValues)

        let teacherPixels = try XCTUnwrap(try cropped.batch(entries: [0, 1, 2]).teacherPixelValues)
        XCTAssertEqual(teacherPixels.shape, [2, 3, 14, 14])
        XCTAssertEqual(Array(UnsafeBufferPointer(start: teacherPixels.data, count: 3 * 14 * 14)),
                       ImagePreprocessor.dinov2(size: 14, pad: true).pixelValues(for: image))
    }

    func testTextOnlyBatchHasNoPixels() throws {
        let folder = try TemporaryFolder()
        let dataset = try ConversationDataset(contentsOf: try makeData(in: folder), tokenizer: try Fixtures.llamaTokenizer(),
                                              configuration: configuration())
        let batch = try dataset.batch(entries: [1])
        XCTAssertNil(batch.pixelValues)
        XCTAssertEqual(batch.imageKeys, [])
        XCTAssertEqual(batch.attentionMask, [Array(repeating: true, count: batch.sequenceLength)])
    }

    func testTruncatedImagesAreFlaggedAndCounted() throws {
        let folder = try TemporaryFolder()
        let data = try makeData(in: folder)
        let tokenizer = try Fixtures.llamaTokenizer()
        let full = try ConversationDataset(contentsOf: data, tokenizer: tokenizer, configuration: configuration())
        let firstImageEnd = try XCTUnwrap(full.sample(at: 0).inputIDs.lastIndex(of: 319)) + 1
        let secondImageStart = try XCTUnwrap(full.sample(at: 2).inputIDs.firstIndex(of: 319))
        XCTAssertLessThan(firstImageEnd, secondImageStart)

        // Cut after the first record's image, before the second image ends.
        let maxLength = secondImageStart + 2
        let dataset = try ConversationDataset(contentsOf: data, tokenizer: tokenizer,
                                              configuration: configuration(maxLength: maxLength))
        let batch = try dataset.batch(entries: [0, 1, 2])
        XCTAssertEqual(batch.sequenceLength, maxLength)
        XCTAssertEqual(batch.imageTruncated, [false, false, true])
        XCTAssertEqual(batch.inputIDs[2].filter { $0 == 319 }.count, 2)
        XCTAssertEqual(batch.hasImage, [true, false, true], "a truncated sample keeps its image")
        XCTAssertEqual(batch.pixelValues?.shape, [2, 3, 8, 8])
        XCTAssertEqual(dataset.summary.imageTruncatedRecords, 1)
    }

    /// A last question without an answer makes LLaVA's length check fail, so the sample learns
    /// nothing (as in LLaVA); the data set counts such records once.
    func testRecordsWhoseLabelsLLaVAMasksAreCounted() throws {
        let folder = try TemporaryFolder()
        let data = try folder.write(try recordJSON(id: 1, image: nil, turns: [("human", "q"), ("gpt", "a"), ("human", "q2")]),
                                    to: "d.jsonl")
        let dataset = try ConversationDataset(contentsOf: data, tokenizer: try Fixtures.llamaTokenizer(),
                                              configuration: configuration())
        XCTAssertTrue(dataset.sample(at: 0).labels.allSatisfy { $0 == ignoredLabel })
        _ = try dataset.batch(entries: [0])
        XCTAssertEqual(dataset.summary.labelsMaskedRecords, 1)
        XCTAssertTrue(dataset.summary.description.contains("1 record with no learned label"), dataset.summary.description)
    }

    func testPadTokenComesFromTheTokenizerOrTheConfiguration() throws {
        let folder = try TemporaryFolder()
        let data = try folder.write(try recordJSON(id: 1, image: nil, turns: [("human", "hi"), ("gpt", "yo")]), to: "d.jsonl")
        var settings = DataConfiguration(template: ChatMLTemplate(), imageTokenID: 1000, imageTokenCount: 4, maxLength: 64,
                                         images: ImagePreparation(preset: .siglip(size: 8), aspect: .pad))
        XCTAssertThrowsError(try ConversationDataset(contentsOf: data, tokenizer: try Fixtures.qwenTokenizer(),
                                                     configuration: settings)) { error in
            XCTAssertTrue("\(error)".contains("padTokenID"), "\(error)")
        }
        settings.padTokenID = 0
        let dataset = try ConversationDataset(contentsOf: data, tokenizer: try Fixtures.qwenTokenizer(), configuration: settings)
        XCTAssertEqual(dataset.context.padTokenID, 0)
    }
}
