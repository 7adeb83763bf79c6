import Models
import SyntheticData

/// The width and depth of the built-in LLaVA's decoder (a Llama; its vocabulary is the
/// tokenizer's).
public struct DecoderSize: Hashable, Sendable {
    public var hiddenSize: Int
    public var intermediateSize: Int
    public var layerCount: Int
    public var headCount: Int

    /// Creates a size.
    public init(hiddenSize: Int, intermediateSize: Int, layerCount: Int, headCount: Int) {
        self.hiddenSize = hiddenSize
        self.intermediateSize = intermediateSize
        self.layerCount = layerCount
        self.headCount = headCount
    }
}

/// One phase of the built-in decoder's grounding drills (`ExistenceDrill`).
public struct DrillPhase: Hashable, Sendable {
    /// What the questions name.
    public var subject: ExistenceDrill.Subject
    /// Questions in each conversation (each about the same image).
    public var questionsPerImage: Int
    /// Steps, batch (images per step) and learning rate.
    public var settings: PretrainingSettings

    /// Creates a phase.
    public init(subject: ExistenceDrill.Subject, questionsPerImage: Int = 4, settings: PretrainingSettings) {
        self.subject = subject
        self.questionsPerImage = questionsPerImage
        self.settings = settings
    }
}

/// What the built-in models are made of and how long their towers are pretrained. The defaults
/// are the demo's; tests shrink them.
public struct BuiltinModelOptions: Equatable, Sendable {
    /// The seed every random choice derives from (initialisation, scenes, probe draws).
    public var seed: UInt64
    /// The LLaVA vision tower: CLIP-family ViT, 8-pixel patches on 64-pixel images (8 × 8 grid).
    public var tower: VisionConfig
    /// The teacher (the VIRAL target): DINOv2-family ViT with the tower's grid.
    public var teacher: VisionConfig
    /// The LLaVA decoder.
    public var decoder: DecoderSize
    /// Patches per side of the square cells whose content the tower's objective names from
    /// their mean token (see `PatchCategoryObjective`; the teacher's cells are single patches).
    public var towerCellSide: Int
    /// The tower's pretraining.
    public var towerTraining: PretrainingSettings
    /// The teacher's pretraining (dense objective).
    public var teacherTraining: PretrainingSettings
    /// The LLaVA projector's and decoder's warm start (`DecoderPretraining`); 0 steps leaves
    /// them random.
    public var decoderTraining: PretrainingSettings
    /// The grounding drills that follow the warm start, in order; empty for none.
    public var drills: [DrillPhase]
    /// Scenes in each of the probe's two sets (fitting and scoring); 0 skips the probe.
    public var probeSceneCount: Int
    /// The synthetic plan the tokenizer's corpus is taken from.
    public var corpus: SynthesisOptions

    /// Creates options; `validate()` checks them.
    public init(seed: UInt64 = 0,
                tower: VisionConfig = BuiltinModelOptions.defaultTower,
                teacher: VisionConfig = BuiltinModelOptions.defaultTeacher,
                decoder: DecoderSize = BuiltinModelOptions.defaultDecoder,
                towerCellSide: Int = BuiltinModelOptions.defaultTowerCellSide,
                towerTraining: PretrainingSettings = PretrainingSettings(steps: 600),
                teacherTraining: PretrainingSettings = PretrainingSettings(steps: 600),
                decoderTraining: PretrainingSettings = BuiltinModelOptions.defaultDecoderTraining,
                drills: [DrillPhase] = BuiltinModelOptions.defaultDrills,
                probeSceneCount: Int = 256,
                corpus: SynthesisOptions = SyntheticCorpus.defaultOptions) {
        self.seed = seed
        self.tower = tower
        self.teacher = teacher
        self.decoder = decoder
        self.towerCellSide = towerCellSide
        self.towerTraining = towerTraining
        self.teacherTraining = teacherTraining
        self.decoderTraining = decoderTraining
        self.drills = drills
        self.probeSceneCount = probeSceneCount
        self.corpus = corpus
    }

    /// CLIP-family tower: width 96, MLP 384, 4 blocks of 4 heads, 8-pixel patches, 64-pixel images.
    public static let defaultTower = VisionConfig(family: .clip, hiddenSize: 96, intermediateSize: 384, layerCount: 4,
                                                  headCount: 4, patchSize: 8, imageSize: 64)
    /// DINOv2-family teacher of the same shape, with CLIP's quick GELU in its MLPs: the exact
    /// (erf) GELU of DINOv2 costs a third of a pretraining step in this project's kernels and
    /// learns no better here; `Dinov2Config` takes any `hidden_act`, so the checkpoint stays a
    /// plain `dinov2` one.
    public static let defaultTeacher = VisionConfig(family: .dinov2, hiddenSize: 96, intermediateSize: 384, layerCount: 4,
                                                    headCount: 4, patchSize: 8, imageSize: 64,
                                                    activation: .quickGelu)
    /// The tower's cells: single patches (see `PatchCategoryObjective` for what 2 × 2 cells gave).
    public static let defaultTowerCellSide = 1

    /// Llama decoder: width 128, MLP 352, 4 blocks of 4 heads.
    public static let defaultDecoder = DecoderSize(hiddenSize: 128, intermediateSize: 352, layerCount: 4, headCount: 4)

    /// The decoder's warm start: 4000 steps of 16 conversations at learning rate 1e-3 (about
    /// half an hour on two cores), LLaVA's 3 % warmup, no weight decay.
    public static let defaultDecoderTraining = PretrainingSettings(steps: 4000, batchSize: 16, learningRate: 1e-3,
                                                                   weightDecay: 0, warmupRatio: 0.03)

    /// The drills after the warm start: 800 steps of 16 conversations adding four questions each
    /// about colours, then 800 about categories with near-miss negatives, at the warm start's learning
    /// rate. The warm start alone reads colours in its descriptions but answers questions about an
    /// image without comparing them with it (see `ExistenceDrill`).
    public static let defaultDrills = [ExistenceDrill.Subject.color, .category].map { subject in
        DrillPhase(subject: subject, settings: PretrainingSettings(steps: 800, batchSize: 16, learningRate: 1e-3,
                                                                   weightDecay: 0, warmupRatio: 0.03))
    }

    /// Throws `BuiltinModelsError.invalidOption` for options the builder cannot honour.
    public func validate() throws {
        func check(_ condition: Bool, _ name: String, _ value: Any, _ reason: String) throws {
            if !condition { throw BuiltinModelsError.invalidOption(name: name, value: "\(value)", reason: reason) }
        }
        try check(tower.family == .clip, "tower family", tower.family.rawValue, "must be clip")
        try check(teacher.family == .dinov2 && teacher.registerCount == 0, "teacher family", teacher.family.rawValue,
                  "must be dinov2 without registers")
        for (name, config) in [("tower", tower), ("teacher", teacher)] {
            try check(SynthesisOptions.imageSizes.contains(config.imageSize), "\(name) image size", config.imageSize,
                      "must be within \(SynthesisOptions.imageSizes) (the synthetic scenes' sizes)")
            try check(config.patchSize > 0 && config.imageSize % config.patchSize == 0, "\(name) patch size",
                      config.patchSize, "must divide the image size \(config.imageSize)")
            try check(config.headCount > 0 && config.hiddenSize % config.headCount == 0, "\(name) heads",
                      config.headCount, "must divide the width \(config.hiddenSize)")
            try check(config.layerCount >= 2, "\(name) layers", config.layerCount,
                      "must be at least 2 (LLaVA reads the penultimate block)")
        }
        try check(towerCellSide >= 1, "tower cell side", towerCellSide, "must be at least 1 patch")
        try check((tower.imageSize / tower.patchSize) % towerCellSide == 0, "tower grid", "\(tower.imageSize)/\(tower.patchSize)",
                  "must be a multiple of \(towerCellSide) patches per side (the tower's objective classifies \(towerCellSide) × \(towerCellSide)-patch cells)")
        try check(teacher.imageSize == tower.imageSize && teacher.patchSize == tower.patchSize, "teacher grid",
                  "\(teacher.imageSize)/\(teacher.patchSize)", "must match the tower's \(tower.imageSize)/\(tower.patchSize)")
        // Dinov2Config stores the MLP width as hidden × mlp_ratio, read back through a float.
        let ratio = Float(teacher.intermediateSize) / Float(teacher.hiddenSize)
        try check(Int(Float(teacher.hiddenSize) * ratio) == teacher.intermediateSize, "teacher intermediate size",
                  teacher.intermediateSize, "is not representable as hidden size × mlp_ratio")
        try check(decoder.headCount > 0 && decoder.hiddenSize % decoder.headCount == 0, "decoder heads",
                  decoder.headCount, "must divide the width \(decoder.hiddenSize)")
        try check(decoder.layerCount >= 1 && decoder.intermediateSize >= 1, "decoder size",
                  "\(decoder.layerCount) layers, MLP \(decoder.intermediateSize)", "must be positive")
        for (name, settings) in [("tower", towerTraining), ("teacher", teacherTraining)] {
            try check(settings.steps >= 1, "\(name) steps", settings.steps, "must be at least 1")
            try check(settings.batchSize >= 1, "\(name) batch size", settings.batchSize, "must be at least 1")
            try check(settings.learningRate > 0, "\(name) learning rate", settings.learningRate, "must be positive")
        }
        try check(decoderTraining.steps >= 0, "decoder steps", decoderTraining.steps, "must not be negative")
        try check(decoderTraining.batchSize >= 1, "decoder batch size", decoderTraining.batchSize, "must be at least 1")
        try check(decoderTraining.learningRate > 0, "decoder learning rate", decoderTraining.learningRate, "must be positive")
        for drill in drills {
            let name = "\(drill.subject.rawValue) drill"
            try check(drill.settings.steps >= 0, "\(name) steps", drill.settings.steps, "must not be negative")
            try check(drill.settings.batchSize >= 1, "\(name) batch size", drill.settings.batchSize, "must be at least 1")
            try check(drill.settings.learningRate > 0, "\(name) learning rate", drill.settings.learningRate, "must be positive")
            try check(drill.questionsPerImage >= 1, "\(name) questions per image", drill.questionsPerImage, "must be at least 1")
        }
        try check(probeSceneCount >= 0, "probe scenes", probeSceneCount, "must not be negative")
        try corpus.validate()
    }
}
