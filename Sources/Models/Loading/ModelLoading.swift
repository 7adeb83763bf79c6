import Foundation
import NN
import Tensor

/// A model read from a checkpoint folder, whichever kind it holds.
public enum LoadedModel {
    case decoder(DecoderLM)
    case vision(VisionTransformer)
    case llava(LlavaModel)
}

/// Several modules' parameters viewed as one module, so that one checkpoint is matched against
/// all of them at once.
public final class ModuleGroup: Module {
    public let namedParameters: [NamedParameter]
    public init(_ parts: [NamedParameter]) { namedParameters = parts }
}

/// Reads Hugging Face checkpoint folders (`config.json` + safetensors, sharded or not).
public enum ModelLoader {
    /// Loads whatever `directory` holds, told from its `config.json`.
    /// - Parameters:
    ///   - visionTowerDirectory: for original-LLaVA checkpoints, where the tower is (default:
    ///     `mm_vision_tower` from the config, relative to `directory`).
    ///   - storage: `.mapped` for inference on checkpoints too large to widen to F32 in memory.
    public static func load(_ directory: URL, visionTowerDirectory: URL? = nil,
                            storage: WeightStorage = .inMemory) throws -> LoadedModel {
        let config = try JSONConfig(contentsOf: directory.appendingPathComponent("config.json"))
        switch try CheckpointKind(config: config) {
        case .llavaHF: return .llava(try loadLlavaHF(directory, config: config, storage: storage))
        case .llavaOriginal:
            return .llava(try loadLlavaOriginal(directory, config: config, towerDirectory: visionTowerDirectory,
                                                storage: storage))
        case .visionTower: return .vision(try loadVisionTower(directory, config: config, storage: storage))
        case .decoder: return .decoder(try loadDecoder(directory, config: config, storage: storage))
        }
    }

    public static func loadDecoder(_ directory: URL, config: JSONConfig? = nil,
                                   storage: WeightStorage = .inMemory) throws -> DecoderLM {
        let config = try config ?? JSONConfig(contentsOf: directory.appendingPathComponent("config.json"))
        var generator = initialWeights(for: storage)
        let model = DecoderLM(config: try DecoderConfig(config), generator: &generator)
        let source = try SafeTensorsParameters(directory: directory)
        // Tied models may still store lm_head.weight (a copy of the embeddings).
        try model.load(from: source, layout: .decoder, skipping: { model.config.tieWordEmbeddings && $0 == "lm_head.weight" },
                       storage: storage)
        return model
    }

    public static func loadVisionTower(_ directory: URL, config: JSONConfig? = nil,
                                       storage: WeightStorage = .inMemory) throws -> VisionTransformer {
        let config = try config ?? JSONConfig(contentsOf: directory.appendingPathComponent("config.json"))
        var generator = initialWeights(for: storage)
        let model = VisionTransformer(config: try VisionConfig(config), generator: &generator)
        let source = try SafeTensorsParameters(directory: directory)
        try model.load(from: source, layout: CheckpointLayout.detectVision(source.keys), storage: storage)
        return model
    }

    /// Random weights for a model about to be loaded in memory; placeholders (no memory) for one
    /// whose weights are about to become views of a mapped checkpoint.
    static func initialWeights(for storage: WeightStorage) -> RandomGenerator {
        storage == .mapped ? .placeholder : RandomGenerator(seed: 0)
    }

    static func loadLlavaHF(_ directory: URL, config: JSONConfig, storage: WeightStorage) throws -> LlavaModel {
        var generator = initialWeights(for: storage)
        let model = LlavaModel(config: try LlavaConfig(llavaHF: config), generator: &generator)
        let source = try SafeTensorsParameters(directory: directory)
        let tied = model.config.decoder.tieWordEmbeddings
        try model.load(from: source, layout: CheckpointLayout.detectLlavaHF(source.keys),
                       skipping: { tied && $0.hasSuffix("lm_head.weight") }, storage: storage)
        return model
    }

    static func loadLlavaOriginal(_ directory: URL, config: JSONConfig, towerDirectory: URL?,
                                  storage: WeightStorage) throws -> LlavaModel {
        let towerURL = try towerDirectory ?? CheckpointKind.towerFolder(of: config, in: directory)
        let tower = try loadVisionTower(towerURL, storage: storage)
        var generator = initialWeights(for: storage)
        let model = LlavaModel(config: try LlavaConfig(original: config, vision: tower.config), generator: &generator)
        for (destination, source) in zip(model.visionTower.parameters, tower.parameters) {
            if storage == .mapped {
                destination.replaceStorage(with: source.storage)
                destination.requiresGrad = false
            } else {
                destination.data.update(from: source.data, count: source.count)
            }
        }
        // The decoder and projector come from this checkpoint; the tower came from its own.
        let part = ModuleGroup(prefixed("language_model", model.languageModel) + prefixed("multi_modal_projector", model.projector))
        let source = try SafeTensorsParameters(directory: directory)
        let tied = model.config.decoder.tieWordEmbeddings
        let layout: CheckpointLayout = model.config.projector == .linear ? .llavaOriginalLinear : .llavaOriginal
        try part.load(from: source, layout: layout, skipping: { tied && $0 == "lm_head.weight" }, storage: storage)
        return model
    }
}
