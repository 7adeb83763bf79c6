import XCTest
@testable import Training

final class TruncationTests: XCTestCase {
    private let image = 32000
    private let ignore = ignoredLabel

    func testImageTokenExpandsToOnePositionPerVisualToken() {
        let encoded = EncodedConversation(inputIDs: [1, 5, image, 7, 8], labels: [ignore, ignore, ignore, 7, 8])
        let expanded = encoded.expandingImageTokens(image, count: 3)
        XCTAssertEqual(expanded.inputIDs, [1, 5, image, image, image, 7, 8])
        XCTAssertEqual(expanded.labels, [ignore, ignore, ignore, ignore, ignore, 7, 8])
        XCTAssertEqual(encoded.expandingImageTokens(image, count: 1), encoded)
    }

    func testTruncationDropsTheTailAndFlagsCutImagePositions() {
        // [BOS, text, image×3, answer×2]
        let expanded = EncodedConversation(inputIDs: [1, 5, image, image, image, 7, 8],
                                           labels: [ignore, ignore, ignore, ignore, ignore, 7, 8])
        let keepsAll = expanded.truncated(to: 7, imageTokenID: image)
        XCTAssertEqual(keepsAll.encoding, expanded)
        XCTAssertFalse(keepsAll.imageTruncated)

        let cutsAnswer = expanded.truncated(to: 6, imageTokenID: image)
        XCTAssertEqual(cutsAnswer.encoding.inputIDs, [1, 5, image, image, image, 7])
        XCTAssertEqual(cutsAnswer.encoding.labels, [ignore, ignore, ignore, ignore, ignore, 7])
        XCTAssertFalse(cutsAnswer.imageTruncated)

        let cutsImage = expanded.truncated(to: 4, imageTokenID: image)
        XCTAssertEqual(cutsImage.encoding.inputIDs, [1, 5, image, image])
        XCTAssertEqual(cutsImage.encoding.labels, [ignore, ignore, ignore, ignore])
        XCTAssertTrue(cutsImage.imageTruncated)

        XCTAssertTrue(expanded.truncated(to: 2, imageTokenID: image).imageTruncated, "the whole image cut")
    }

    /// Truncation counts the expanded length: a 12-token vicuna conversation with a 576-token
    /// image does not fit in 600 positions.
    func testSampleIsTruncatedAfterImageExpansion() throws {
        let tokenizer = try Fixtures.llamaTokenizer()
        let encoded = VicunaV1Template().encode(try conversation([(.human, "<image>\nwhat is it"), (.gpt, "a cat.")],
                                                                 hasImage: true),
                                                using: llamaContext(tokenizer, imageTokenID: 319))
        let imagePosition = try XCTUnwrap(encoded.inputIDs.firstIndex(of: 319))
        let fullLength = encoded.inputIDs.count + 575

        let fits = TrainingSample(recordIndex: 0, id: "s", encoding: encoded, imagePath: "i.png",
                                  imageTokenID: 319, imageTokenCount: 576, maxLength: fullLength)
        XCTAssertEqual(fits.inputIDs.count, fullLength)
        XCTAssertEqual(fits.inputIDs.filter { $0 == 319 }.count, 576)
        XCTAssertFalse(fits.imageTruncated)
        XCTAssertEqual(fits.labels.filter { $0 != ignoredLabel }, encoded.labels.filter { $0 != ignoredLabel })

        let cut = TrainingSample(recordIndex: 0, id: "s", encoding: encoded, imagePath: "i.png",
                                 imageTokenID: 319, imageTokenCount: 576, maxLength: imagePosition + 100)
        XCTAssertEqual(cut.inputIDs.count, imagePosition + 100)
        XCTAssertEqual(cut.inputIDs.filter { $0 == 319 }.count, 100)
        XCTAssertTrue(cut.imageTruncated)
        XCTAssertTrue(cut.labels.allSatisfy { $0 == ignoredLabel }, "the answer was cut with its labels")

        let answerCut = TrainingSample(recordIndex: 0, id: "s", encoding: encoded, imagePath: "i.png",
                                       imageTokenID: 319, imageTokenCount: 576, maxLength: fullLength - 3)
        XCTAssertFalse(answerCut.imageTruncated)
        XCTAssertEqual(answerCut.labels.filter { $0 != ignoredLabel }.count,
                       encoded.labels.filter { $0 != ignoredLabel }.count - 3)
    }
}
