import Foundation
import NN

/// The key-naming scheme of a checkpoint. The model's own keys are the llava-hf / transformers
/// 5.x names; a layout says where each of them is stored in a given file.
public enum CheckpointLayout: String, Sendable {
    /// A bare decoder (`model.*`, `lm_head.weight`): transformers 4.x and 5.x alike.
    case decoder = "decoder (LlamaForCausalLM / Qwen2ForCausalLM)"
    /// A bare vision tower as transformers 5.x saves it (`embeddings.*`, `encoder.*`).
    case vision = "vision tower (transformers 5.x names)"
    /// A vision tower under `vision_model.` (transformers 4.x / Hub CLIP and SigLIP, full CLIPModel).
    case visionHub = "vision tower (transformers 4.x names, vision_model.*)"
    /// llava-hf as transformers 5.x saves it (`vision_tower.encoder.*`).
    case llavaHF = "llava-hf (transformers 5.x names)"
    /// llava-hf with the 4.x tower prefix (`vision_tower.vision_model.*`).
    case llavaHFHub = "llava-hf (transformers 4.x names)"
    /// The original LLaVA code base: decoder keys plus `model.mm_projector.{0,2}`; tower elsewhere.
    case llavaOriginal = "original LLaVA (model.mm_projector)"
    /// The original LLaVA with a single linear projector (`model.mm_projector.{weight,bias}`).
    case llavaOriginalLinear = "original LLaVA, linear projector (model.mm_projector)"

    /// Where the model key `key` is stored under this layout.
    public func storedKey(_ key: String) -> String {
        switch self {
        case .decoder, .vision, .llavaHF: return key
        case .visionHub: return "vision_model." + key
        case .llavaHFHub:
            return key.hasPrefix("vision_tower.") ? "vision_tower.vision_model." + key.dropFirst("vision_tower.".count) : key
        case .llavaOriginalLinear:
            if key.hasPrefix("multi_modal_projector.linear_1.") {
                return "model.mm_projector." + key.dropFirst("multi_modal_projector.linear_1.".count)
            }
            return CheckpointLayout.llavaOriginal.storedKey(key)
        case .llavaOriginal:
            if key.hasPrefix("language_model.") { return String(key.dropFirst("language_model.".count)) }
            if key.hasPrefix("multi_modal_projector.linear_1.") {
                return "model.mm_projector.0." + key.dropFirst("multi_modal_projector.linear_1.".count)
            }
            if key.hasPrefix("multi_modal_projector.linear_2.") {
                return "model.mm_projector.2." + key.dropFirst("multi_modal_projector.linear_2.".count)
            }
            return key
        }
    }

    /// Stored keys that hold no model parameter and are fine to skip (buffers, heads the model
    /// does not use, the text half of a full CLIP checkpoint).
    public func isIgnorable(_ stored: String) -> Bool {
        if stored.hasSuffix("rotary_emb.inv_freq") || stored.hasSuffix("position_ids") { return true }
        switch self {
        case .visionHub:
            return !stored.hasPrefix("vision_model.") || stored.hasPrefix("vision_model.head.")
        case .llavaOriginal, .llavaOriginalLinear:
            return stored.hasPrefix("model.vision_tower.")
        case .llavaHF, .llavaHFHub:
            return stored.hasPrefix("vision_tower.head.") || stored.hasPrefix("vision_tower.vision_model.head.")
        case .decoder, .vision:
            return false
        }
    }

    /// The vision layout of a standalone tower checkpoint, told from its keys.
    public static func detectVision(_ keys: [String]) -> CheckpointLayout {
        keys.contains { $0.hasPrefix("vision_model.") } ? .visionHub : .vision
    }

    /// The llava-hf variant, told from its keys.
    public static func detectLlavaHF(_ keys: [String]) -> CheckpointLayout {
        keys.contains { $0.hasPrefix("vision_tower.vision_model.") } ? .llavaHFHub : .llavaHF
    }
}

extension Module {
    /// Loads every parameter from `source` under `layout`, naming the layout in any error.
    func load(from source: ParameterSource, layout: CheckpointLayout, skipping skipped: (String) -> Bool = { _ in false },
              storage: WeightStorage = .inMemory) throws {
        do {
            try load(from: source, sourceKey: layout.storedKey, ignoring: { layout.isIgnorable($0) || skipped($0) },
                     storage: storage)
        } catch let error as ParameterMismatchError {
            throw ParameterMismatchError(source: "\(error.source) [layout: \(layout.rawValue)]", missing: error.missing,
                                         unexpected: error.unexpected, wrongShape: error.wrongShape)
        }
    }
}
