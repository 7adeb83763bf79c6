import Foundation
import Models
import SafeTensors

/// What a model folder holds, read from its `config.json` and the safetensors headers only (no
/// weights are loaded, so it is quick and cheap even for a 7B checkpoint).
public struct ModelSummary {
    /// The kinds `ModelLoader.load` tells apart, decided from `config.json` as it does.
    public typealias Kind = CheckpointKind

    /// Tensors and scalars stored in one dtype.
    public struct DTypeShare: Equatable, Sendable {
        /// How many tensors.
        public var tensors: Int
        /// How many scalars they hold.
        public var parameters: Int
    }

    /// The model folder.
    public let folder: URL
    /// What the folder holds.
    public let kind: Kind
    /// The key-naming scheme of its checkpoint.
    public let layout: CheckpointLayout
    /// The original LLaVA layout's separate tower folder.
    public let towerFolder: URL?
    /// The decoder's configuration (decoders and LLaVA).
    public let decoder: DecoderConfig?
    /// The vision tower's configuration (towers and LLaVA).
    public let vision: VisionConfig?
    /// How a LLaVA model joins the two.
    public let llava: LlavaConfig?
    /// Scalars in the stored tensors the model reads (buffers, unused heads and a tied
    /// `lm_head` copy left out; the original layout's tower checkpoint included).
    public let parameterCount: Int
    /// How those tensors are stored.
    public let dtypes: [DType: DTypeShare]

    /// Reads `folder`; `visionTowerDirectory` overrides an original-LLaVA config's `mm_vision_tower`.
    public init(folder: URL, visionTowerDirectory: URL? = nil) throws {
        try ModelFolder.requireFolder(folder, role: "model folder")
        let config = try JSONConfig(contentsOf: folder.appendingPathComponent("config.json"))
        let checkpoint = try SafeTensorsCheckpoint(directory: folder)
        self.folder = folder
        kind = try CheckpointKind(config: config)
        var decoder: DecoderConfig?, vision: VisionConfig?, llava: LlavaConfig?, towerFolder: URL?
        let stored: [TensorInfo]
        switch kind {
        case .decoder:
            decoder = try DecoderConfig(config)
            layout = .decoder
            stored = try Self.modelTensors(checkpoint, layout: layout, tiedHead: decoder!.tieWordEmbeddings, tower: nil)
        case .visionTower:
            vision = try VisionConfig(config)
            layout = Self.visionLayout(checkpoint)
            stored = try Self.modelTensors(checkpoint, layout: layout, tiedHead: false, tower: (vision!, ""))
        case .llavaHF:
            llava = try LlavaConfig(llavaHF: config)
            layout = CheckpointLayout.detectLlavaHF(checkpoint.names)
            stored = try Self.modelTensors(checkpoint, layout: layout, tiedHead: llava!.decoder.tieWordEmbeddings,
                                           tower: (llava!.vision, "vision_tower."))
        case .llavaOriginal:
            let tower = try visionTowerDirectory ?? CheckpointKind.towerFolder(of: config, in: folder)
            try ModelFolder.requireFolder(tower, role: "vision tower folder")
            let towerConfig = try JSONConfig(contentsOf: tower.appendingPathComponent("config.json"))
            let towerCheckpoint = try SafeTensorsCheckpoint(directory: tower)
            llava = try LlavaConfig(original: config, vision: try VisionConfig(towerConfig))
            towerFolder = tower
            layout = llava!.projector == .linear ? .llavaOriginalLinear : .llavaOriginal
            stored = try Self.modelTensors(checkpoint, layout: layout, tiedHead: llava!.decoder.tieWordEmbeddings, tower: nil)
                + Self.modelTensors(towerCheckpoint, layout: Self.visionLayout(towerCheckpoint), tiedHead: false,
                                    tower: (llava!.vision, ""))
        }
        self.decoder = decoder ?? llava?.decoder
        self.vision = vision ?? llava?.vision
        self.llava = llava
        self.towerFolder = towerFolder
        parameterCount = stored.reduce(0) { $0 + $1.elementCount }
        var dtypes: [DType: DTypeShare] = [:]
        for info in stored {
            dtypes[info.dtype, default: DTypeShare(tensors: 0, parameters: 0)].tensors += 1
            dtypes[info.dtype]!.parameters += info.elementCount
        }
        self.dtypes = dtypes
    }

    /// The report `viral inspect` prints, one fact per line.
    public var lines: [String] {
        var lines = ["folder: \(folder.path)", "kind: \(kindDescription)", "checkpoint layout: \(layout.rawValue)"]
        if let towerFolder { lines.append("vision tower folder: \(towerFolder.path)") }
        if let decoder {
            lines.append("decoder: \(decoder.modelType), \(decoder.layerCount) layers, width \(decoder.hiddenSize), "
                         + "MLP width \(decoder.intermediateSize), \(decoder.headCount) heads (\(decoder.kvHeadCount) key/value, "
                         + "head width \(decoder.headDim)), vocabulary \(decoder.vocabularySize), "
                         + (decoder.tieWordEmbeddings ? "tied embeddings" : "separate lm_head"))
        }
        if let vision {
            lines.append("vision tower: \(vision.family.rawValue), \(vision.layerCount) layers, width \(vision.hiddenSize), "
                         + "MLP width \(vision.intermediateSize), \(vision.headCount) heads, \(vision.patchSize)-pixel patches, "
                         + "\(vision.imageSize)×\(vision.imageSize) images (\(vision.gridSize)×\(vision.gridSize) grid)"
                         + (vision.registerCount > 0 ? ", \(vision.registerCount) registers" : ""))
        }
        if let llava {
            lines.append("projector: \(llava.projector.rawValue), features from tower layer \(llava.featureLayer)"
                         + (llava.dropsClassToken ? " without the class token" : " with every token")
                         + ", image token id \(llava.imageTokenID), \(llava.imageTokenCount) tokens per image")
        }
        lines.append("parameters: \(Self.grouped(parameterCount))")
        let shares = dtypes.sorted { $0.key.name < $1.key.name }.map { dtype, share in
            "\(dtype.name) (\(share.tensors) tensors, \(Self.grouped(share.parameters)) parameters)"
        }
        lines.append("stored as: " + shares.joined(separator: ", "))
        return lines
    }

    /// "decoder (llama)", "vision tower (clip)", "LLaVA (llava-hf): clip tower, llama decoder".
    public var kindDescription: String {
        switch kind {
        case .decoder: return "decoder (\(decoder!.modelType))"
        case .visionTower: return "vision tower (\(vision!.family.rawValue))"
        case .llavaHF, .llavaOriginal: return "\(kind.rawValue): \(vision!.family.rawValue) tower, \(decoder!.modelType) decoder"
        }
    }

    /// The stored tensors the model reads under `layout`: the layout's ignorable tensors are left
    /// out unless they are the attention-pooling head of a `tower` (its config and key prefix)
    /// that uses one, and so is a tied model's stored `lm_head` copy, as the loader skips it.
    static func modelTensors(_ checkpoint: SafeTensorsCheckpoint, layout: CheckpointLayout, tiedHead: Bool,
                             tower: (config: VisionConfig, prefix: String)?) throws -> [TensorInfo] {
        let usedHead = tower.flatMap { $0.config.usesHead ? layout.storedKey($0.prefix + "head.") : nil }
        return try checkpoint.names.filter { name in
            if tiedHead && name.hasSuffix("lm_head.weight") { return false }
            return !layout.isIgnorable(name) || usedHead.map { name.hasPrefix($0) } == true
        }.map { try checkpoint.info($0) }
    }

    static func visionLayout(_ checkpoint: SafeTensorsCheckpoint) -> CheckpointLayout {
        CheckpointLayout.detectVision(checkpoint.names)
    }

    /// 1234567 → "1,234,567".
    static func grouped(_ number: Int) -> String {
        var digits = String(number), groups: [String] = []
        while digits.count > 3 {
            groups.insert(String(digits.suffix(3)), at: 0)
            digits.removeLast(3)
        }
        return ([digits] + groups).joined(separator: ",")
    }
}
