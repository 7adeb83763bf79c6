import Foundation

/// What a model folder holds, told from its `config.json` alone: how `ModelLoader.load` dispatches,
/// and what `viral inspect` reports without loading weights.
public enum CheckpointKind: String, Sendable {
    case decoder = "decoder"
    case visionTower = "vision tower"
    case llavaHF = "LLaVA (llava-hf)"
    case llavaOriginal = "LLaVA (original code base)"

    /// The kind a config describes: `model_type`, and the original LLaVA's `mm_*` keys.
    public init(config: JSONConfig) throws {
        let type = try config.string("model_type", default: "")
        if type == "llava" {
            self = .llavaHF
        } else if config.has("mm_vision_tower") || config.has("mm_projector_type") || type.hasPrefix("llava_") {
            self = .llavaOriginal
        } else if ["clip_vision_model", "siglip_vision_model", "dinov2", "dinov2_with_registers", "clip", "siglip"].contains(type) {
            self = .visionTower
        } else {
            self = .decoder
        }
    }

    /// The folder an original-LLaVA config's `mm_vision_tower` names: absolute, or relative to
    /// `folder`; it must hold a `config.json`.
    public static func towerFolder(of config: JSONConfig, in folder: URL) throws -> URL {
        let named = try config.string("mm_vision_tower")
        let url = named.hasPrefix("/") ? URL(fileURLWithPath: named) : folder.appendingPathComponent(named).standardizedFileURL
        guard FileManager.default.fileExists(atPath: url.appendingPathComponent("config.json").path) else {
            throw ConfigError(origin: config.origin, message: "mm_vision_tower \"\(named)\" is not a local folder with a config.json; download that tower and pass its folder with --vision-tower")
        }
        return url
    }
}
