import ArgumentParser
import Foundation
import Training
import VIRAL

/// `viral train`: LLaVA stage 1 / stage 2 training, with or without VIRAL.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a LLaVA model (stage 1 or 2), with VIRAL's alignment loss when a teacher or --vra-target encoder is given.",
        discussion: """
        Settings come from --config (JSON or YAML, snake_case keys such as batch_size, vra_layers) and the flags,
        flags winning. Writes train_log.jsonl and checkpoint-NNNNNN/ folders into --output; --resume continues
        from the latest checkpoint exactly.
        """)

    @Option(help: "A JSON or YAML file with the settings below (snake_case keys).") var config: String?
    @Option(help: "LLaVA checkpoint folder (llava-hf, or original LLaVA).") var model: String?
    @Option(help: "LLaVA conversation JSON or JSONL.") var data: String?
    @Option(help: "Folder the data's image paths are relative to (default: the data file's folder).") var images: String?
    @Option(help: "Output folder for checkpoints and the log.") var output: String?
    @Option(help: "1: projector only; 2: projector + decoder (LoRA or full).") var stage: Int?
    @Flag(help: "Stage 2: keep the projector as loaded (LLaVA's freeze_mm_mlp_adapter).") var freezeProjector = false
    @Option(help: "Optimizer updates.") var steps: Int?
    @Option(help: "Samples per micro-batch.") var batchSize: Int?
    @Option(help: "Micro-batches per update.") var gradientAccumulation: Int?
    @Option(help: "Decoder (LoRA) learning rate; also the alignment projector's.") var lr: Float?
    @Option(help: "Projector learning rate.") var projectorLr: Float?
    @Option(help: "Seed for initialisation, data order and dropout.") var seed: UInt64?
    @Flag(help: "Continue from the latest checkpoint in --output.") var resume = false
    @Option(help: "LoRA rank for stage 2 (0 = full fine-tuning).") var loraRank: Int?
    @Option(help: "Conversation template: vicuna_v1, chatml or plain.") var template: String?
    @Option(help: "Maximum sequence length after image expansion.") var maxLength: Int?
    @Option(help: "VIRAL teacher checkpoint folder (DINOv2, CLIP or SigLIP); repeat it to align to several teachers at once.")
    var teacher: [String] = []
    @Option(help: "Aligned decoder layer(s), comma-separated (default: the middle).") var vraLayer: String?
    @Option(help: "λ, the weight of the alignment loss.") var vraWeight: Float?
    @Option(help: "cosine or relation.") var vraObjective: String?
    @Option(help: "teacher or encoder.") var vraTarget: String?
    @Option(help: "Teacher feature cache folder (default: <output>/teacher-cache).") var teacherCache: String?
    @Option(help: "Save a checkpoint every N updates (0 = only at the end).") var saveEvery: Int?
    @Option(help: "Bad data records: skip or fail.") var badRecords: String?
    @Option(help: "Non-finite loss: stop or skip.") var nonFinite: String?
    @Option(help: "tokenizer.json (default: the model folder's).") var tokenizer: String?
    @Option(help: "Vision tower folder for original-LLaVA checkpoints.") var visionTower: String?
    @Option(help: "Residual-injection baseline instead of VIRAL: projector (Eq. 3) or adapter (Eq. 4).") var residualInjection: String?
    @Option(help: "Decoder block after which the baseline injects (default: the middle).") var residualLayer: Int?

    @OptionGroup var threadOptions: ThreadOptions

    func run() throws {
        threadOptions.apply()
        keepFreedMemory()
        var flags = TrainingRunConfiguration()
        flags.model = model; flags.data = data; flags.images = images; flags.output = output; flags.stage = stage
        flags.freezeProjector = freezeProjector ? true : nil
        flags.steps = steps; flags.batchSize = batchSize; flags.gradientAccumulation = gradientAccumulation
        flags.lr = lr; flags.projectorLr = projectorLr; flags.seed = seed; flags.resume = resume ? true : nil
        flags.loraRank = loraRank; flags.template = template; flags.maxLength = maxLength
        flags.teacher = teacher.first
        flags.extraTeachers = teacher.count > 1 ? Array(teacher.dropFirst()) : nil
        flags.residualInjection = residualInjection; flags.residualLayer = residualLayer
        flags.vraWeight = vraWeight; flags.teacherCache = teacherCache; flags.saveEvery = saveEvery
        flags.badRecords = badRecords; flags.tokenizer = tokenizer; flags.visionTower = visionTower
        if let vraLayer {
            let layers = vraLayer.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
            guard layers.allSatisfy({ $0 != nil }) else { throw ValidationError("--vra-layer takes integers like 16 or 8,16,24") }
            flags.vraLayers = layers.map { $0! }
        }
        if let vraObjective {
            guard let objective = AlignmentObjective(rawValue: vraObjective) else { throw ValidationError("--vra-objective must be cosine or relation") }
            flags.vraObjective = objective
        }
        if let vraTarget {
            guard let target = AlignmentTargetKind(rawValue: vraTarget) else { throw ValidationError("--vra-target must be teacher or encoder") }
            flags.vraTarget = target
        }
        if let nonFinite {
            guard let policy = NonFinitePolicy(rawValue: nonFinite) else { throw ValidationError("--non-finite must be stop or skip") }
            flags.nonFinite = policy
        }
        let base = try config.map { try TrainingRunConfiguration(contentsOf: URL(fileURLWithPath: $0)) } ?? TrainingRunConfiguration()
        let run = try TrainingRun(base.overridden(by: flags))
        let summary = try run.run { print($0); fflush(stdout) }
        var line = "trained \(summary.steps) steps in \(TrainingRun.duration(summary.seconds))"
        if summary.skippedSteps > 0 { line += ", \(summary.skippedSteps) skipped for non-finite losses" }
        if let loss = summary.finalLanguageLoss { line += String(format: "; final lm loss %.4f", loss) }
        if let loss = summary.finalAlignmentLoss { line += String(format: ", vra loss %.4f", loss) }
        print(line)
        print("checkpoint: \(summary.checkpoint.path)")
    }
}
