import Foundation
@testable import Training
import XCTest

/// A configuration file's keys reach the trainer's settings.
final class TrainingRunConfigurationTests: XCTestCase {
    func testFreezeProjectorFromAFileReachesTheSettingsUnlessOverridden() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("viral-config-\(UUID().uuidString).yaml")
        defer { try? FileManager.default.removeItem(at: file) }
        try "stage: 2\nsteps: 7\nfreeze_projector: true\nlora_rank: 0\n".write(to: file, atomically: true, encoding: .utf8)
        let configuration = try TrainingRunConfiguration(contentsOf: file)
        XCTAssertEqual(configuration.freezeProjector, true)
        let settings = try TrainingRun.settings(configuration, stage: 2, steps: 7, depth: 4)
        XCTAssertTrue(settings.freezesProjector)
        XCTAssertNil(settings.lora)

        var flags = TrainingRunConfiguration()
        flags.freezeProjector = false
        XCTAssertFalse(try TrainingRun.settings(configuration.overridden(by: flags), stage: 2, steps: 7, depth: 4).freezesProjector)
        XCTAssertFalse(try TrainingRun.settings(TrainingRunConfiguration(), stage: 2, steps: 7, depth: 4).freezesProjector,
                       "the projector trains unless asked")
    }
}
