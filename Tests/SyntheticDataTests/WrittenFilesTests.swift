import Evaluation
import Foundation
import Vision
import XCTest
@testable import SyntheticData

final class WrittenFilesTests: XCTestCase {
    private let options = SynthesisOptions(imageSize: 64, trainingCount: 90, evaluationCount: 40, seed: 5)

    private func written(_ options: SynthesisOptions) throws -> (folder: URL, files: [String: Data]) {
        let folder = try temporaryFolder(self)
        try SyntheticDataset(options: options).write(to: folder)
        return (folder, try filesUnder(folder))
    }

    /// The same seed writes the same files, byte for byte; another seed changes every image.
    func testSameSeedSameBytesOtherSeedOtherData() throws {
        let first = try written(options).files
        let second = try written(options).files
        XCTAssertEqual(first.count, 1 + 1 + 90 + (3 + 6) + 3 * (1 + 40))
        XCTAssertEqual(first.keys.sorted(), second.keys.sorted())
        for (path, data) in first {
            XCTAssertEqual(data, second[path], "\(path) differs between two runs with the same seed")
        }
        var other = options
        other.seed = 6
        let third = try written(other).files
        let images = first.keys.filter { $0.hasSuffix(".png") && $0.hasPrefix("images/") }
        XCTAssertEqual(images.count, 90)
        XCTAssert(images.allSatisfy { first[$0] != third[$0] }, "an image did not change with the seed")
        XCTAssertNotEqual(first["train.json"], third["train.json"])
    }

    /// No evaluation image is also a training image.
    func testEvaluationImagesAreNotTrainingImages() throws {
        let files = try written(SynthesisOptions(imageSize: 64, trainingCount: 400, evaluationCount: 100, seed: 2)).files
        let training = Set(files.filter { $0.key.hasPrefix("images/") }.values)
        let evaluation = files.filter { path, _ in
            !path.hasPrefix("images/") && (path.hasSuffix(".png") || path.hasSuffix(".jpg"))
        }
        XCTAssertEqual(training.count, 400, "training images repeat")
        XCTAssertEqual(evaluation.count, 16 + 100 + 100 + 100)
        for (path, data) in evaluation {
            XCTAssertFalse(training.contains(data), "\(path) is also a training image")
        }
    }

    /// Each evaluation split loads with its `Evaluation` benchmark, with the planned items, answer
    /// keys and images.
    func testEvaluationSplitsLoadWithTheirBenchmarks() throws {
        let dataset = try SyntheticDataset(options: options)
        let folder = try temporaryFolder(self)
        try dataset.write(to: folder)
        XCTAssertEqual(try dataset.verifyEvaluationSplits(in: folder),
                       ["pope": 108, "cvbench2d": 40, "mmvp": 40, "whatsup": 40])

        let pope = try Benchmarks.named("pope").load(from: folder.appendingPathComponent("pope"))
        XCTAssertEqual(pope.map(\.answer), dataset.pope.questions.map { $0.isPresent ? "yes" : "no" }
            .sortedLike(splitOrder: dataset.pope.questions.map(\.split)))
        XCTAssertEqual(Set(pope.map { $0.group(Grouping.split) }), ["random", "popular", "adversarial"])

        let cvBench = try Benchmarks.named("cvbench2d").load(from: folder.appendingPathComponent("cvbench"))
        XCTAssertEqual(cvBench.map(\.answer), dataset.cvBench.items.map(\.question.response))
        XCTAssertEqual(cvBench.map(\.choices), dataset.cvBench.items.map(\.question.choices))
        XCTAssertEqual(cvBench.map { $0.group(Grouping.category) }, dataset.cvBench.items.map(\.task))
        XCTAssertEqual(cvBench.map(\.prompt), dataset.cvBench.items.map(\.question.text))

        let mmvp = try Benchmarks.named("mmvp").load(from: folder.appendingPathComponent("mmvp"))
        let mmvpQuestions = dataset.mmvp.pairs.flatMap(\.questions)
        XCTAssertEqual(mmvp.map(\.answer), mmvpQuestions.map(\.response))
        XCTAssertEqual(mmvp.map(\.choices), mmvpQuestions.map(\.choices))
        XCTAssertEqual(mmvp.map(\.prompt), mmvpQuestions.map(\.text))
        XCTAssertEqual(Set(mmvp.map { $0.group(Grouping.pair) }).count, 20)

        let whatsUp = try Benchmarks.named("whatsup").load(from: folder.appendingPathComponent("whatsup"))
        XCTAssertEqual(Set(whatsUp.map { $0.group(Grouping.set) }).count, 10)
        XCTAssertEqual(Set(whatsUp.map { $0.group(Grouping.pair) }).count, 20)
        for (item, planned) in zip(whatsUp, dataset.whatsUp.items) {
            XCTAssertEqual(item.choices[Int(item.answer.unicodeScalars.first!.value) - 65], planned.captions[0])
        }

        // The images the loaders point at decode (MMVP's PNG data under .jpg names included) to
        // the planned scenes.
        for (item, scene) in zip(mmvp, dataset.mmvp.pairs.flatMap(\.scenes)) {
            XCTAssertEqual(try RGBImage(contentsOfFile: item.imagePaths[0].path), scene.render())
        }
        for (item, planned) in zip(whatsUp, dataset.whatsUp.items) {
            XCTAssertEqual(try RGBImage(contentsOfFile: item.imagePaths[0].path), planned.scene.render())
        }
    }

    /// The evaluation prompts end with the instructions the training questions end with.
    func testTrainingQuestionsUseTheEvaluationInstructions() throws {
        let dataset = try SyntheticDataset(options: options)
        let folder = try temporaryFolder(self)
        try dataset.write(to: folder)
        let trainingEndings = Set(dataset.training.records.map { $0.question.text.components(separatedBy: "\n").last! })
        for benchmark in ["pope", "cvbench2d", "mmvp", "whatsup"] {
            let subfolder = ["pope": "pope", "cvbench2d": "cvbench", "mmvp": "mmvp", "whatsup": "whatsup"][benchmark]!
            for item in try Benchmarks.named(benchmark).load(from: folder.appendingPathComponent(subfolder)) {
                XCTAssert(trainingEndings.contains(item.prompt.components(separatedBy: "\n").last!),
                          "\(benchmark) \(item.questionID): \(item.prompt)")
            }
        }
    }

    /// `train.json` holds LLaVA records whose images exist.
    func testTrainingFileIsLLaVAConversations() throws {
        let (folder, _) = try written(options)
        let data = try Data(contentsOf: folder.appendingPathComponent("train.json"))
        let records = try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [[String: Any]])
        XCTAssertEqual(records.count, 90)
        XCTAssertEqual(Set(records.compactMap { $0["id"] as? String }).count, 90)
        for record in records {
            let image = try XCTUnwrap(record["image"] as? String)
            XCTAssert(FileManager.default.fileExists(atPath: folder.appendingPathComponent(image).path), image)
            let turns = try XCTUnwrap(record["conversations"] as? [[String: String]])
            // The question, two existence checks (one "Yes", one "No"), the description.
            XCTAssertEqual(turns.map { $0["from"] }, Array(repeating: ["human", "gpt"], count: 4).flatMap { $0 })
            XCTAssert(turns[0]["value"]!.hasPrefix("<image>\n"))
            XCTAssertFalse(turns[1]["value"]!.isEmpty)
            XCTAssertLessThanOrEqual(turns[1]["value"]!.count, 8, "answers are short")
            for check in [turns[2]["value"]!, turns[4]["value"]!] {
                XCTAssert(check.hasPrefix("Is there ") && check.hasSuffix("?\n" + PromptText.shortAnswer), check)
            }
            XCTAssertEqual(Set([turns[3]["value"], turns[5]["value"]]), ["Yes", "No"])
            XCTAssertEqual(turns[6]["value"], SceneDescription.prompt)
            XCTAssert(turns[7]["value"]!.hasSuffix("."), "a description: \(turns[7]["value"]!)")
        }
        let manifestData = try Data(contentsOf: folder.appendingPathComponent("manifest.json"))
        let manifest = try XCTUnwrap(try JSONSerialization.jsonObject(with: manifestData) as? [String: Any])
        XCTAssertEqual(manifest["seed"] as? Int, 5)
        XCTAssertEqual(manifest["version"] as? Int, SyntheticDataset.generatorVersion)
        let kinds = try XCTUnwrap((manifest["train"] as? [String: Any])?["kinds"] as? [String: Int])
        XCTAssertEqual(kinds.values.reduce(0, +), 90)
    }

    func testRejectsBadOptionsAndAFullFolder() throws {
        for (options, name) in [
            (SynthesisOptions(imageSize: 16), "image-size"), (SynthesisOptions(trainingCount: -1), "train"),
            (SynthesisOptions(evaluationCount: 0), "eval"), (SynthesisOptions(evaluationCount: 3000), "eval"),
        ] {
            XCTAssertThrowsError(try SyntheticDataset(options: options)) { error in
                guard case let SyntheticDataError.invalidOption(reported, _, _)? = error as? SyntheticDataError else {
                    return XCTFail("unexpected error \(error)")
                }
                XCTAssertEqual(reported, name)
                XCTAssert("\(error)".hasPrefix("--\(name) "))
            }
        }
        let folder = try temporaryFolder(self)
        let stray = folder.appendingPathComponent("notes.txt")
        try Data("keep".utf8).write(to: stray)
        let dataset = try SyntheticDataset(options: SynthesisOptions(trainingCount: 4, evaluationCount: 4))
        XCTAssertThrowsError(try dataset.write(to: folder)) { error in
            XCTAssertEqual(error as? SyntheticDataError, .outputNotEmpty(folder))
        }
        try dataset.write(to: folder, overwrite: true)
        try Data("old".utf8).write(to: folder.appendingPathComponent("images/synth-000099.png"))
        try dataset.write(to: folder, overwrite: true)
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.appendingPathComponent("images/synth-000099.png").path),
                       "--overwrite leaves stale images")
        XCTAssertEqual(try String(contentsOf: stray, encoding: .utf8), "keep", "--overwrite touched a foreign file")
        XCTAssertEqual(try dataset.verifyEvaluationSplits(in: folder)["mmvp"], 4)
    }
}

private extension Array where Element == String {
    /// The POPE loader reads the splits in `POPE.splits` order (adversarial, popular, random).
    func sortedLike(splitOrder: [NegativeSampling]) -> [String] {
        POPE.splits.flatMap { split in zip(self, splitOrder).filter { $0.1.rawValue == split }.map(\.0) }
    }
}
