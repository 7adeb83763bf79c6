import ArgumentParser
import Foundation
import Inspection

/// `viral inspect`: what a model folder holds, from its config and safetensors headers.
struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Print a model folder's kind, checkpoint layout, configuration, parameter count and stored dtypes.")

    @Option(help: "Model folder (config.json + safetensors).")
    var model: String

    @Option(help: "Vision tower folder of an original-LLaVA checkpoint (default: its mm_vision_tower).")
    var visionTower: String?

    mutating func run() throws {
        let summary = try ModelSummary(folder: URL(fileURLWithPath: model),
                                       visionTowerDirectory: visionTower.map { URL(fileURLWithPath: $0) })
        summary.lines.forEach { print($0) }
    }
}
