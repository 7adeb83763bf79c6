import Foundation
import SafeTensors
import XCTest

/// The built `viral` executable, run as a user would: exit codes, what it prints, and error
/// messages that name the missing file. `swift test` builds it beside the test bundle.
final class CommandLineTests: XCTestCase {
    private func viral(_ arguments: [String]) throws -> ViralProcess.Result { try ViralProcess.run(arguments) }

    func testTokenize() throws {
        let tokenizer = Fixtures.text.appendingPathComponent("llama-style.json").path
        let encoded = try viral(["tokenize", "--tokenizer", tokenizer, "Hello world"])
        XCTAssertEqual(encoded.status, 0, encoded.standardError)
        XCTAssertEqual(encoded.standardOutput, "[1, 361, 298, 607, 437, 361, 627, 333, 325]\n")
        let decoded = try viral(["tokenize", "--tokenizer", tokenizer, "--decode", "--no-special-tokens", "1,361,298,607,437,361,627,333,325"])
        XCTAssertEqual(decoded.status, 0, decoded.standardError)
        XCTAssertEqual(decoded.standardOutput, "Hello world\n")

        let missing = Fixtures.text.appendingPathComponent("absent.json").path
        let failed = try viral(["tokenize", "--tokenizer", missing, "Hello"])
        XCTAssertNotEqual(failed.status, 0)
        XCTAssertTrue(failed.standardError.contains(missing), failed.standardError)
        XCTAssertEqual(failed.standardError.split(separator: "\n").count, 1, failed.standardError)
    }

    func testForward() throws {
        let folder = try temporaryFolder(for: self)
        let output = folder.appendingPathComponent("out.safetensors")
        let succeeded = try viral(["forward", "--model", Fixtures.model("qwen2").path,
                                   "--inputs", Fixtures.reference("qwen2").path, "--output", output.path])
        XCTAssertEqual(succeeded.status, 0, succeeded.standardError)
        XCTAssertTrue(succeeded.standardOutput.contains("logits [2, 11, 400]"), succeeded.standardOutput)
        let written = try SafeTensorsFile(url: output)
        XCTAssertEqual(written.names, ["hidden_states.0", "hidden_states.1", "hidden_states.2", "hidden_states.3", "logits", "loss"])

        let missing = folder.appendingPathComponent("absent.safetensors").path
        let failed = try viral(["forward", "--model", Fixtures.model("qwen2").path, "--inputs", missing,
                                "--output", folder.appendingPathComponent("never.safetensors").path])
        XCTAssertNotEqual(failed.status, 0)
        XCTAssertTrue(failed.standardError.contains(missing), failed.standardError)
        XCTAssertEqual(failed.standardError.split(separator: "\n").count, 1, failed.standardError)
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.appendingPathComponent("never.safetensors").path))
    }
}
