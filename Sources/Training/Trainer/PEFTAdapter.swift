import Foundation
import Models
import NN
import SafeTensors
import Tensor

/// LoRA adapters in the PEFT layout: `adapter_model.safetensors` with keys
/// `base_model.model.<decoder key>.lora_{A,B}.weight` and `adapter_config.json`.
public enum PEFTAdapter {
    /// Writes the adapters of `decoder` into `folder`.
    public static func write(_ decoder: DecoderLM, settings: LoRASettings, to folder: URL) throws {
        var writer = SafeTensorsWriter(metadata: ["format": "pt"])
        for (key, tensor) in decoder.namedParameters where key.contains(".lora_") {
            try writer.add("base_model.model." + key, shape: tensor.shape, floats: tensor.scalars)
        }
        try writer.write(to: folder.appendingPathComponent("adapter_model.safetensors"))
        let config: [String: Any] = [
            "peft_type": "LORA", "task_type": "CAUSAL_LM", "r": settings.rank, "lora_alpha": settings.alpha,
            "lora_dropout": settings.dropout, "target_modules": settings.targets, "bias": "none",
            "fan_in_fan_out": false, "inference_mode": true, "modules_to_save": NSNull(),
        ]
        let data = try JSONSerialization.data(withJSONObject: config, options: [.prettyPrinted, .sortedKeys])
        try data.write(to: folder.appendingPathComponent("adapter_config.json"))
    }

    /// Attaches the adapters stored in `folder` to `decoder` (replacing any), checking every key.
    public static func load(into decoder: DecoderLM, from folder: URL) throws -> LoRASettings {
        let configURL = folder.appendingPathComponent("adapter_config.json")
        guard let data = try? Data(contentsOf: configURL),
              let config = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let rank = config["r"] as? Int, let targets = config["target_modules"] as? [String] else {
            throw CheckpointError("\(configURL.path) is missing or is not a PEFT LoRA config (needs r and target_modules)")
        }
        let alpha = (config["lora_alpha"] as? NSNumber)?.floatValue ?? Float(rank)
        let dropout = (config["lora_dropout"] as? NSNumber)?.floatValue ?? 0
        let settings = LoRASettings(rank: rank, alpha: alpha, dropout: dropout, targets: targets)
        var generator = RandomGenerator(seed: 0)
        for linear in Trainer.decoderLinears(decoder, named: targets) {
            linear.attachAdapter(rank: rank, alpha: alpha, dropout: dropout, generator: &generator)
        }
        let source = SafeTensorsParameters(try SafeTensorsFile(url: folder.appendingPathComponent("adapter_model.safetensors")),
                                           description: folder.appendingPathComponent("adapter_model.safetensors").path)
        let adapters = ModuleGroup(decoder.namedParameters.filter { $0.key.contains(".lora_") })
        try adapters.load(from: source, sourceKey: { "base_model.model." + $0 })
        return settings
    }
}
