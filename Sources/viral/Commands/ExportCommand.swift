import ArgumentParser
import Foundation
import Training

/// `viral export`: a training checkpoint as a full llava-hf model folder (LoRA merged).
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Merge a training checkpoint (LoRA included) into its base model and write a llava-hf folder transformers loads.")

    @Option(help: "A checkpoint folder written by viral train (checkpoint-NNNNNN).") var checkpoint: String
    @Option(help: "The base LLaVA model folder the run started from.") var model: String
    @Option(help: "Output folder.") var output: String
    @Option(help: "Vision tower folder for original-LLaVA bases.") var visionTower: String?

    @OptionGroup var threadOptions: ThreadOptions

    func run() throws {
        threadOptions.apply()
        try LlavaExport.export(checkpoint: URL(fileURLWithPath: checkpoint), base: URL(fileURLWithPath: model),
                               output: URL(fileURLWithPath: output), visionTower: visionTower.map(URL.init(fileURLWithPath:)))
        print("wrote \(output)")
    }
}
