import Foundation
import XCTest

/// `viral data synth` + `viral train` end to end on the fixture LLaVA model: a run that is
/// killed while it writes checkpoints leaves the last complete checkpoint intact, and `--resume`
/// finishes the run from it.
final class TrainCommandTests: XCTestCase {
    let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../ModelsTests/Fixtures").standardizedFileURL

    func testKilledRunKeepsItsLastCheckpointAndResumes() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("viral-train-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let data = folder.appendingPathComponent("data"), output = folder.appendingPathComponent("run")
        let synth = try ViralProcess.run(["data", "synth", "--output", data.path, "--train", "48", "--eval", "36"])
        XCTAssertEqual(synth.status, 0, synth.standardError)
        let arguments = ["train", "--model", fixtures.appendingPathComponent("llava").path, "--data", data.appendingPathComponent("train.json").path,
                         "--output", output.path, "--steps", "400", "--batch-size", "2", "--lora-rank", "4",
                         "--teacher", fixtures.appendingPathComponent("dinov2").path, "--vra-layer", "2", "--save-every", "1"]
        let process = try ViralProcess.start(arguments)
        // Kill it (SIGKILL: no clean-up) once a few checkpoints exist, i.e. in the middle of saving.
        let deadline = Date().addingTimeInterval(120)
        while Date() < deadline && (try? FileManager.default.contentsOfDirectory(atPath: output.path).filter { $0.hasPrefix("checkpoint-") }.count) ?? 0 < 3 {
            Thread.sleep(forTimeInterval: 0.01)
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationReason, .uncaughtSignal, "the run should still have been going")

        let latest = try String(contentsOf: output.appendingPathComponent("latest"), encoding: .utf8)
        let checkpoint = output.appendingPathComponent(latest)
        for file in ["trainable.safetensors", "optimizer.safetensors", "trainer_state.json", "adapter_model.safetensors"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: checkpoint.appendingPathComponent(file).path), "\(latest)/\(file)")
        }
        let stepsDone = Int(latest.dropFirst("checkpoint-".count))!
        XCTAssertGreaterThanOrEqual(stepsDone, 2)

        var resumeArguments = arguments
        resumeArguments[resumeArguments.firstIndex(of: "400")!] = String(stepsDone + 2)
        let resumed = try ViralProcess.run(resumeArguments + ["--resume"])
        XCTAssertEqual(resumed.status, 0, resumed.standardError)
        XCTAssertTrue(resumed.standardOutput.contains("step \(stepsDone + 1)/\(stepsDone + 2)"), resumed.standardOutput)
        XCTAssertFalse(resumed.standardOutput.contains("step 1/"), "a resumed run must not start over")
    }

    func testMissingDataFileIsNamed() throws {
        let result = try ViralProcess.run(["train", "--model", fixtures.appendingPathComponent("llava").path,
                                           "--data", "/nonexistent/train.json", "--output", "/tmp/viral-unused", "--steps", "1"])
        XCTAssertNotEqual(result.status, 0)
        XCTAssertTrue(result.standardError.contains("/nonexistent/train.json"), result.standardError)
    }
}
