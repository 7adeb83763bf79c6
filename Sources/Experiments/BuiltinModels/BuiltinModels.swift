import Dispatch
import Foundation
import Models
import NN
import SyntheticData
import Tensor
import Vision

/// The small models the demo runs the VIRAL experiment with, made by this project's own code
/// from nothing but a seed — no download. `viral demo prepare-models` writes them.
///
/// - **Tokenizer** (`llava/tokenizer.json`, `BuiltinTokenizer`): Llama-style BPE with byte
///   fallback, learned from the synthetic corpus (`SyntheticCorpus`) until every word of it is
///   one token: 658 tokens, `<image>` and `<pad>` included.
/// - **Vision tower** (`tower/`, `clip_vision_model`): a CLIP-family ViT — width 96, 4 blocks of
///   4 heads, 8-pixel patches on 64-pixel images (an 8 × 8 grid) — pretrained to name what
///   covers each patch: from each patch token, linear heads classify the kind and colour of the
///   object covering the patch (or background), with no offsets (`PatchCategoryObjective`; 600
///   steps of 32 crowded scenes, `CrowdedScenes`). It plays LLaVA's CLIP: its tokens say what
///   each patch shows but not where the object it belongs to lies — weaker spatial features
///   than the teacher's. (An image-level objective — which of the 36 categories a scene holds,
///   from the class token, or from the mean of each quadrant's tokens — left the patch tokens
///   almost as uninformative as an untrained tower's, 24–27 % on the probe below, even after 2400
///   steps; a LLaVA on that tower never learnt to tell shapes apart. Cells of 2 × 2 patches,
///   `towerCellSide` 2, gave tokens whose kinds reached only about half of the decoder's object
///   patches.)
/// - **Teacher** (`teacher/`, `dinov2`): a DINOv2-family ViT of the same shape and grid,
///   pretrained with a dense objective: from each final-layer-norm patch token, linear heads
///   classify the kind and colour of the object covering the patch (or background) and regress
///   the offset to that object's centre (`PatchCategoryObjective`; 600 steps of 32 crowded
///   scenes). It plays VIRAL's vision foundation model: strong spatial features.
/// - **LLaVA** (`llava/`, llava-hf `LlavaForConditionalGeneration`): the pretrained tower, its
///   penultimate block's patch tokens as features (class token dropped), an `mlp2x_gelu`
///   projector and a Llama decoder (width 128, MLP 352, 4 blocks of 4 heads, the tokenizer's
///   vocabulary), projector and decoder drawn from N(0, 0.02); the decoder is then warm-started
///   on synthetic conversations of its own through the projector as drawn (`DecoderPretraining`:
///   4000 steps of 16, language loss only; a projector trained with it buried kinds under
///   colours), then drilled on yes/no questions that can only be answered by looking — four
///   about colours, then four about categories with near-miss negatives, asked inside
///   conversations like the warm start's (`ExistenceDrill`: 800 steps of 16 each, the projector
///   still as drawn) — the common starting point of the baseline and the VIRAL run, as a
///   pretrained LLM is LLaVA's; both of them train projector and decoder.
///
/// Both towers start from an initialisation suited to training from scratch on little data
/// (`TowerInitialisation`: fan-in-scaled weights, sine–cosine positions, mimetic attention) and
/// train with AdamW (peak learning rate 3e-3, 5 % warmup, cosine decay, clipping at 1) on scenes
/// rendered afresh at each step, planned from seeds derived from the user's seed, so none is an
/// image of the suite the demo trains and evaluates on; the heads are then discarded. Linear
/// probes on frozen patch features of held-out scenes (`probe()`, `PatchProbe`, `OffsetProbe`)
/// measure what each feature set says about each patch: with the defaults they name the category
/// of 87.9 % of object patches from the teacher's features, 74.9 % from the tower's (the tower
/// before pretraining: 22.3 %), and estimate the offset from an object patch to its object's
/// centre to within 0.18 patch sides on average from the teacher's, 0.40 from the tower's and
/// 0.41 from the untrained tower's (0.64 by guessing the mean offset; 2026-12-07).
/// Every random draw comes from the seed, so the same seed writes the same bytes (on one machine
/// and thread count, since kernels split their sums by thread).
public final class BuiltinModels {
    /// The subfolders `write(to:)` creates, and the summary file beside them.
    public static let towerFolder = "tower"
    public static let teacherFolder = "teacher"
    public static let llavaFolder = "llava"
    public static let manifestFile = "builtin-models.json"

    public let options: BuiltinModelOptions
    public let tokenizer: BuiltinTokenizer
    /// The pretrained CLIP-family tower (also inside `llava`).
    public let tower: VisionTransformer
    /// The pretrained DINOv2-family teacher.
    public let teacher: VisionTransformer
    /// The assembled LLaVA: pretrained tower, projector and decoder (warm-started unless
    /// `decoderTraining.steps` is 0).
    public let llava: LlavaModel
    public let towerPretraining: PretrainingSummary
    public let teacherPretraining: PretrainingSummary
    /// The decoder's warm start; nil when `decoderTraining.steps` is 0.
    public let decoderPretraining: PretrainingSummary?
    /// The grounding drills after it, one summary per phase of `options.drills` with steps.
    public let drillPretraining: [(phase: DrillPhase, summary: PretrainingSummary)]

    /// Learns the tokenizer, pretrains both towers, assembles the LLaVA and warm-starts its
    /// decoder; `report` receives progress lines.
    public init(options: BuiltinModelOptions = BuiltinModelOptions(), report: (String) -> Void = { _ in }) throws {
        try options.validate()
        self.options = options
        let seed = options.seed
        tokenizer = BuiltinTokenizer(corpus: try SyntheticCorpus.texts(options: options.corpus))
        report("tokenizer: \(tokenizer.size) tokens (\(tokenizer.merges.count) merges)")

        // Both see crowded scenes: three times as many objects per image as the suite's give
        // their per-region objectives three times the signal.
        let towerSettings = options.towerTraining, teacherSettings = options.teacherTraining
        let towerScenes = CrowdedScenes.make(count: towerSettings.steps * towerSettings.batchSize,
                                             side: options.tower.imageSize, seed: Self.derivedSeed(seed, "tower scenes"))
        let teacherScenes = CrowdedScenes.make(count: teacherSettings.steps * teacherSettings.batchSize,
                                               side: options.teacher.imageSize, seed: Self.derivedSeed(seed, "teacher scenes"))

        var towerGenerator = RandomGenerator(seed: Self.derivedSeed(seed, "tower"))
        tower = Self.initialisedTower(options.tower, generator: &towerGenerator)
        let towerObjective = PatchCategoryObjective(config: options.tower, cellSide: options.towerCellSide, offsets: false,
                                                    generator: &towerGenerator)
        towerPretraining = try VisionPretraining.run(
            tower: tower, objective: towerObjective, scenes: towerScenes,
            preprocessor: Self.towerPreprocessor(options.tower), settings: towerSettings,
            name: options.towerCellSide == 1 ? "tower (per patch)" : "tower (\(options.towerCellSide) × \(options.towerCellSide) cells)",
            report: report)

        var teacherGenerator = RandomGenerator(seed: Self.derivedSeed(seed, "teacher"))
        teacher = Self.initialisedTower(options.teacher, generator: &teacherGenerator)
        teacherPretraining = try VisionPretraining.run(
            tower: teacher, objective: PatchCategoryObjective(config: options.teacher, cellSide: 1, offsets: true, generator: &teacherGenerator),
            scenes: teacherScenes, preprocessor: Self.teacherPreprocessor(options.teacher), settings: teacherSettings,
            name: "teacher (dense)", report: report)
        tower.setTrainable(false)
        teacher.setTrainable(false)

        let size = options.decoder
        let decoder = DecoderConfig(
            vocabularySize: tokenizer.size, hiddenSize: size.hiddenSize, intermediateSize: size.intermediateSize,
            layerCount: size.layerCount, headCount: size.headCount, kvHeadCount: size.headCount, rmsNormEps: 1e-6,
            bosTokenID: 1, eosTokenID: 2, padTokenID: tokenizer.padTokenID)
        var llavaGenerator = RandomGenerator(seed: Self.derivedSeed(seed, "llava"))
        llava = LlavaModel(config: LlavaConfig(decoder: decoder, vision: options.tower, imageTokenID: tokenizer.imageTokenID),
                           generator: &llavaGenerator)
        for (destination, source) in zip(llava.visionTower.parameters, tower.parameters) {
            destination.data.update(from: source.data, count: source.count)
        }
        let scratch = { FileManager.default.temporaryDirectory.appendingPathComponent("viral-decoder-pretraining-\(UUID().uuidString)") }
        if options.decoderTraining.steps > 0 {
            decoderPretraining = try DecoderPretraining.run(
                llava: llava, tokenizer: tokenizer, lesson: .suite, settings: options.decoderTraining,
                seed: Self.derivedSeed(seed, "decoder"), scratch: scratch(), report: report)
        } else {
            decoderPretraining = nil
        }
        var drills: [(phase: DrillPhase, summary: PretrainingSummary)] = []
        for phase in options.drills where phase.settings.steps > 0 {
            let summary = try DecoderPretraining.run(
                llava: llava, tokenizer: tokenizer, lesson: .drill(phase.subject, questionsPerImage: phase.questionsPerImage),
                settings: phase.settings, seed: Self.derivedSeed(seed, "\(phase.subject.rawValue) drill"),
                scratch: scratch(), report: report)
            drills.append((phase, summary))
        }
        drillPretraining = drills
    }

    /// A tower built from `generator` and initialised for pretraining (`TowerInitialisation`).
    static func initialisedTower(_ config: VisionConfig, generator: inout RandomGenerator) -> VisionTransformer {
        let tower = VisionTransformer(config: config, generator: &generator)
        TowerInitialisation.apply(to: tower, generator: &generator)
        return tower
    }

    /// The tower's preprocessing: CLIP's (shortest edge, centre crop, CLIP mean and deviation)
    /// at the tower's size, as LLaVA prepares its images.
    public static func towerPreprocessor(_ config: VisionConfig) -> ImagePreprocessor {
        .clip(size: config.imageSize, pad: false)
    }

    /// The teacher's preprocessing: DINOv2's (exact resize, ImageNet mean and deviation), as
    /// `VIRAL.Teacher` prepares its input for this grid.
    public static func teacherPreprocessor(_ config: VisionConfig) -> ImagePreprocessor {
        .dinov2(size: config.imageSize, pad: false)
    }

    /// The features LLaVA feeds its projector: the tower's penultimate-block patch tokens
    /// (class token dropped), [images, grid², width], without gradients.
    public static func towerPatchFeatures(_ tower: VisionTransformer, pixels: Tensor) throws -> Tensor {
        try noGrad {
            let states = try tower(pixels).hiddenStates
            let selected = states[states.count - 2]
            return selected.slice(axis: 1, tower.config.prefixTokenCount..<selected.shape[1])
        }
    }

    /// The features VIRAL aligns to: the teacher's final-layer-norm patch tokens, [images, grid², width].
    public static func teacherPatchFeatures(_ teacher: VisionTransformer, pixels: Tensor) throws -> Tensor {
        try noGrad {
            let last = try teacher(pixels).lastHiddenState
            return last.slice(axis: 1, teacher.config.prefixTokenCount..<last.shape[1])
        }
    }

    /// A seed for one purpose, mixed from the user's seed and the purpose's name (FNV-1a), so
    /// that the streams of different purposes never share draws.
    static func derivedSeed(_ seed: UInt64, _ purpose: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in purpose.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        var generator = RandomGenerator(seed: seed ^ hash)
        return generator.next()
    }
}
