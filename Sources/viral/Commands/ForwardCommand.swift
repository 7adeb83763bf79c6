import ArgumentParser
import Foundation
import NN
import Inspection

/// `viral forward`: runs a model on saved inputs and writes what it computes, for comparison with PyTorch.
struct ForwardCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "forward",
        abstract: "Run a model folder on inputs from a safetensors file and write its outputs under transformers' names.",
        discussion: """
            Inputs (any of): input_ids, attention_mask, labels, pixel_values, image_token_index.
            Outputs: decoders logits, hidden_states.N, loss; vision towers hidden_states.N, last_hidden_state, \
            pooler_output; LLaVA image_features, hidden_states.N, logits, loss. All F32, loss as shape [1].
            """)

    @Option(help: "Model folder (config.json + safetensors): decoder, vision tower or LLaVA.")
    var model: String

    @Option(help: "Safetensors file with the inputs.")
    var inputs: String

    @Option(help: "Safetensors file to write the outputs to.")
    var output: String

    @Option(help: "Vision tower folder of an original-LLaVA checkpoint (default: its mm_vision_tower).")
    var visionTower: String?

    @Flag(help: "Backpropagate the loss and also write grad.<key> for every parameter.")
    var gradients = false

    @OptionGroup var threadOptions: ThreadOptions

    mutating func run() throws {
        threadOptions.apply()
        // Inputs first: reading them is cheap, loading a large model is not.
        let inputTensors = try ForwardInputs(contentsOf: URL(fileURLWithPath: inputs))
        // Gradients need weights in memory; a plain forward pass reads them from the mapped files.
        let loaded = try ModelFolder.load(URL(fileURLWithPath: model),
                                          visionTowerDirectory: visionTower.map { URL(fileURLWithPath: $0) },
                                          storage: gradients ? .inMemory : .mapped)
        let outputs = try ForwardPass.run(loaded, inputs: inputTensors, gradients: gradients)
        try outputs.write(to: URL(fileURLWithPath: output))
        for (name, tensor) in outputs.entries where !name.hasPrefix("grad.") { print("\(name) \(tensor.shape)") }
        let gradientCount = outputs.names.filter { $0.hasPrefix("grad.") }.count
        if gradientCount > 0 { print("grad.* (\(gradientCount) parameters)") }
        print("\(loaded.kindDescription): wrote \(outputs.entries.count) tensors to \(output)")
    }
}
