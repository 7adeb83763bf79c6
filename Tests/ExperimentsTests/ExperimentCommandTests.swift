import Evaluation
import Foundation
import Vision
import XCTest

/// The built `viral` executable run as a user would, on the tiny LLaVA fixture: generate, chat,
/// eval and the analysis commands. `swift test` builds it beside the test bundle.
final class ExperimentCommandTests: XCTestCase {
    private struct Outcome {
        let status: Int32
        let standardOutput: String
        let standardError: String
    }

    private func viralExecutable() throws -> URL {
        let candidates = [Bundle.main.executableURL?.deletingLastPathComponent(),
                          Bundle.main.bundleURL.deletingLastPathComponent(),
                          Bundle(for: Self.self).bundleURL.deletingLastPathComponent()].compactMap { $0 }
        for folder in candidates {
            let url = folder.appendingPathComponent("viral")
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        throw XCTSkip("the viral executable is not beside the test bundle (looked in \(candidates.map(\.path))); build it with `swift build` first")
    }

    private func viral(_ arguments: [String], input: String? = nil) throws -> Outcome {
        let process = Process()
        process.executableURL = try viralExecutable()
        process.arguments = arguments
        let output = Pipe(), error = Pipe(), standardInput = Pipe()
        process.standardOutput = output
        process.standardError = error
        process.standardInput = standardInput
        try process.run()
        if let input { standardInput.fileHandleForWriting.write(Data(input.utf8)) }
        try standardInput.fileHandleForWriting.close()
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Outcome(status: process.terminationStatus, standardOutput: String(decoding: outputData, as: UTF8.self),
                       standardError: String(decoding: errorData, as: UTF8.self))
    }

    private var model: String { ExperimentFixtures.llava.path }

    func testGenerateAnswersAboutAnImage() throws {
        let folder = try ExperimentFixtures.temporaryFolder(for: self)
        let image = try ExperimentFixtures.writePictures(1, into: folder)[0].path
        let run = try viral(["generate", "--model", model, "--image", image, "--prompt", "What is shown?", "--max-tokens", "12"])
        XCTAssertEqual(run.status, 0, run.standardError)
        XCTAssertFalse(run.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty)

        let sampled = try viral(["generate", "--model", model, "--image", image, "--prompt", "Hi", "--max-tokens", "6",
                                 "--temperature", "0.8", "--top-p", "0.9", "--seed", "3"])
        XCTAssertEqual(sampled.status, 0, sampled.standardError)
        let again = try viral(["generate", "--model", model, "--image", image, "--prompt", "Hi", "--max-tokens", "6",
                               "--temperature", "0.8", "--top-p", "0.9", "--seed", "3"])
        XCTAssertEqual(again.standardOutput, sampled.standardOutput, "seeded sampling")

        // Several prompts are answered one by one, as single questions.
        let twice = try viral(["generate", "--model", model, "--image", image, "--prompt", "What is shown?",
                               "--prompt", "What is shown?", "--max-tokens", "12"])
        XCTAssertEqual(twice.status, 0, twice.standardError)
        XCTAssertEqual(twice.standardOutput, run.standardOutput + run.standardOutput)

        let missing = folder.appendingPathComponent("absent.png").path
        let failed = try viral(["generate", "--model", model, "--image", missing, "--prompt", "Hi"])
        XCTAssertNotEqual(failed.status, 0)
        XCTAssertTrue(failed.standardError.contains(missing), failed.standardError)
        let noModel = try viral(["generate", "--model", folder.appendingPathComponent("nomodel").path, "--prompt", "Hi"])
        XCTAssertNotEqual(noModel.status, 0)
        XCTAssertTrue(noModel.standardError.contains("model folder"), noModel.standardError)
    }

    func testBenchCheckpointThenGenerate() throws {
        let folder = try ExperimentFixtures.temporaryFolder(for: self).appendingPathComponent("tiny")
        let written = try viral(["bench", "checkpoint", "--preset", "llava-tiny", "--output", folder.path])
        XCTAssertEqual(written.status, 0, written.standardError)
        let run = try viral(["bench", "generate", "--model", folder.path, "--new-tokens", "4", "--threads", "1"])
        XCTAssertEqual(run.status, 0, run.standardError)
        for line in ["storage mapped threads 1", "prefill_tokens_per_s ", "decode_tokens_per_s ", "peak_rss_mb "] {
            XCTAssertTrue(run.standardOutput.contains(line), "missing \(line) in \(run.standardOutput)")
        }

        let unknown = try viral(["bench", "checkpoint", "--preset", "llava-70b", "--output", folder.path])
        XCTAssertNotEqual(unknown.status, 0)
        XCTAssertTrue(unknown.standardError.contains("llava-1.5-7b"), "names the presets: \(unknown.standardError)")
        let notLlava = try viral(["bench", "generate", "--model", ExperimentFixtures.llava.deletingLastPathComponent()
            .appendingPathComponent("absent").path])
        XCTAssertNotEqual(notLlava.status, 0)
        let badThreads = try viral(["bench", "generate", "--model", folder.path, "--threads", "0"])
        XCTAssertTrue(badThreads.standardError.contains("--threads"), badThreads.standardError)
    }

    func testChatReadsPipedLines() throws {
        let folder = try ExperimentFixtures.temporaryFolder(for: self)
        let images = try ExperimentFixtures.writePictures(2, into: folder)
        let input = "What is shown?\nAnd then?\n/image \(images[1].path)\nWhat now?\n/quit\nNot read\n"
        let run = try viral(["chat", "--model", model, "--image", images[0].path, "--max-tokens", "5"], input: input)
        XCTAssertEqual(run.status, 0, run.standardError)
        let replies = run.standardOutput.split(separator: "\n").filter { $0.hasPrefix("ASSISTANT: ") }
        XCTAssertEqual(replies.count, 3, run.standardOutput)
        XCTAssertTrue(run.standardOutput.contains("(new conversation about \(images[1].path))"), run.standardOutput)
    }

    func testEvalRunsAndRescores() throws {
        let folder = try ExperimentFixtures.temporaryFolder(for: self)
        let data = try ExperimentFixtures.makePOPE(in: folder)
        let output = folder.appendingPathComponent("results")
        let run = try viral(["eval", "--benchmark", "pope", "--data", data.path, "--model", model, "--output", output.path,
                             "--max-tokens", "6"])
        XCTAssertEqual(run.status, 0, run.standardError)
        XCTAssertTrue(run.standardOutput.hasPrefix("pope: mean/f1 = "), run.standardOutput)
        XCTAssertTrue(run.standardError.contains("[6/6]"), run.standardError)
        let predictions = output.appendingPathComponent("pope.predictions.jsonl")
        let metrics = try JSONDecoder().decode(Metrics.self, from: Data(contentsOf: output.appendingPathComponent("pope.metrics.json")))
        XCTAssertEqual(metrics.counts["all"], 6)

        let rescored = try viral(["eval", "--benchmark", "pope", "--data", data.path, "--score", predictions.path])
        XCTAssertEqual(rescored.status, 0, rescored.standardError)
        XCTAssertEqual(rescored.standardOutput, "scored 6 of 6 questions\n" + metrics.table + "\n")

        let shuffled = try viral(["eval", "--benchmark", "pope", "--data", data.path, "--model", model, "--output", output.path,
                                  "--max-tokens", "6", "--limit", "2", "--patch-shuffle", "9"])
        XCTAssertEqual(shuffled.status, 0, shuffled.standardError)
        XCTAssertTrue(FileManager.default.fileExists(atPath: output.appendingPathComponent("pope.patch-shuffle-9.metrics.json").path))

        let both = try viral(["eval", "--benchmark", "pope", "--data", data.path, "--model", model, "--score", predictions.path])
        XCTAssertNotEqual(both.status, 0)
        XCTAssertTrue(both.standardError.contains("either --model"), both.standardError)
    }

    func testPatchShuffleCommandPrintsTheDrop() throws {
        let folder = try ExperimentFixtures.temporaryFolder(for: self)
        let data = try ExperimentFixtures.makePOPE(in: folder)
        let run = try viral(["analyze", "patch-shuffle", "--benchmark", "pope", "--data", data.path, "--model", model,
                             "--limit", "3", "--max-tokens", "4", "--seed", "2", "--output", folder.appendingPathComponent("ps").path])
        XCTAssertEqual(run.status, 0, run.standardError)
        let lines = run.standardOutput.split(separator: "\n")
        XCTAssertEqual(lines.count, 3, run.standardOutput)
        XCTAssertTrue(lines[2].hasPrefix("mean/f1  drop"), run.standardOutput)
    }

    /// The analysis commands write their CSV files and PNG figures.
    func testAnalysisCommandsWriteTablesAndFigures() throws {
        let folder = try ExperimentFixtures.temporaryFolder(for: self)
        let images = folder.appendingPathComponent("images")
        try FileManager.default.createDirectory(at: images, withIntermediateDirectories: true)
        let pictures = try ExperimentFixtures.writePictures(3, into: images)

        let alignment = folder.appendingPathComponent("alignment")
        let aligned = try viral(["analyze", "alignment", "--model", "base=\(model)", "--model", "again=\(model)",
                                 "--images", images.path, "--k", "5", "--output", alignment.path])
        XCTAssertEqual(aligned.status, 0, aligned.standardError)
        let csv = try String(contentsOf: alignment.appendingPathComponent("alignment-base.csv"), encoding: .utf8)
        XCTAssertEqual(csv.split(separator: "\n").first, "layer,cknna,mutual_knn,cka")
        XCTAssertEqual(csv.split(separator: "\n").count, 6)
        XCTAssertEqual(try RGBImage(contentsOfFile: alignment.appendingPathComponent("alignment.png").path).width, 800)

        let single = try viral(["analyze", "alignment", "--model", model, "--images", images.path, "--k", "5",
                                "--teacher", ExperimentFixtures.tests.appendingPathComponent("ModelsTests/Fixtures/dinov2").path,
                                "--output", alignment.path])
        XCTAssertEqual(single.status, 0, single.standardError)
        XCTAssertTrue(FileManager.default.fileExists(atPath: alignment.appendingPathComponent("alignment.csv").path))

        let attention = folder.appendingPathComponent("attention")
        let entropy = try viral(["analyze", "attention", "--model", model, "--images", images.path, "--output", attention.path])
        XCTAssertEqual(entropy.status, 0, entropy.standardError)
        let table = try String(contentsOf: attention.appendingPathComponent("attention_entropy.csv"), encoding: .utf8)
        XCTAssertEqual(table.split(separator: "\n").count, 17)
        XCTAssertGreaterThan(try RGBImage(contentsOfFile: attention.appendingPathComponent("attention_entropy.png").path).width, 0)

        let pca = folder.appendingPathComponent("pca.png")
        let mapped = try viral(["analyze", "pca", "--model", model, "--image", pictures[0].path, "--layer", "2", "--output", pca.path])
        XCTAssertEqual(mapped.status, 0, mapped.standardError)
        XCTAssertGreaterThan(try RGBImage(contentsOfFile: pca.path).width, 2 * 256)

        // One image gives 16 visual tokens: too few for 20 neighbours.
        let tooFew = try viral(["analyze", "alignment", "--model", model, "--images", pictures[0].path, "--k", "20",
                                "--output", alignment.path])
        XCTAssertNotEqual(tooFew.status, 0)
        XCTAssertTrue(tooFew.standardError.contains("needs more than 20 visual tokens"), tooFew.standardError)
    }
}
