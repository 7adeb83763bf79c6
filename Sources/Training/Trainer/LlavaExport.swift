import Foundation
import Models
import NN
import SafeTensors

/// `viral export`: a trained checkpoint applied to its base model, LoRA merged, written as a full
/// llava-hf folder (transformers 5.x names) that `LlavaForConditionalGeneration` loads.
public enum LlavaExport {
    /// Loads `base`, applies the trained tensors of `checkpoint`, merges LoRA adapters and writes
    /// `config.json`, `model.safetensors` and the tokenizer files into `output`.
    public static func export(checkpoint: URL, base: URL, output: URL, visionTower: URL? = nil) throws {
        guard case .llava(let model) = try ModelLoader.load(base, visionTowerDirectory: visionTower) else {
            throw CheckpointError("\(base.path) is not a LLaVA checkpoint; export needs the model the run started from")
        }
        let trained = try SafeTensorsFile(url: checkpoint.appendingPathComponent("trainable.safetensors"))
        let adapterConfig = checkpoint.appendingPathComponent("adapter_config.json")
        if FileManager.default.fileExists(atPath: adapterConfig.path) {
            _ = try PEFTAdapter.load(into: model.languageModel, from: checkpoint)
        }
        let parameters = Dictionary(uniqueKeysWithValues: model.namedParameters.map { ($0.key, $0.tensor) })
        for name in trained.names where !name.hasPrefix("alignment.") {
            guard let tensor = parameters[name], try trained.info(name).shape == tensor.shape else {
                throw CheckpointError("\(checkpoint.path): trained tensor \(name) does not fit the base model \(base.path)")
            }
            try trained.copyFloats(name, into: tensor.data)
        }
        for linear in Trainer.decoderLinears(model.languageModel, named: ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]) {
            linear.mergeAdapter()
            linear.adapter = nil
        }
        try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        var writer = SafeTensorsWriter(metadata: ["format": "pt"])
        for (key, tensor) in model.namedParameters {
            if model.config.decoder.tieWordEmbeddings && key == "language_model.lm_head.weight" { continue }
            try writer.add(key, shape: tensor.shape, floats: tensor.scalars)
        }
        try writer.write(to: output.appendingPathComponent("model.safetensors"))
        let configSource = base.appendingPathComponent("config.json")
        let config = try JSONConfig(contentsOf: configSource)
        guard config.values["model_type"] as? String == "llava" else {
            throw CheckpointError("export writes llava-hf folders; \(configSource.path) is an original-LLaVA config — convert the base with transformers' convert_llava_weights_to_hf first")
        }
        try Data(contentsOf: configSource).write(to: output.appendingPathComponent("config.json"))
        for name in ["tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "generation_config.json",
                     "preprocessor_config.json", "chat_template.jinja"] {
            let source = base.appendingPathComponent(name)
            guard FileManager.default.fileExists(atPath: source.path) else { continue }
            let destination = output.appendingPathComponent(name)
            try? FileManager.default.removeItem(at: destination)
            try FileManager.default.copyItem(at: source, to: destination)
        }
    }
}
