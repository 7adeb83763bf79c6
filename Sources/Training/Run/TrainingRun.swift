import Foundation
import Models
import NN
import Tensor
import Text
import VIRAL

/// What a finished (or resumed-and-finished) run reports.
public struct TrainingSummary: Sendable {
    public var steps: Int
    public var skippedSteps: Int
    public var finalLanguageLoss: Float?
    public var finalAlignmentLoss: Float?
    public var seconds: Double
    public var checkpoint: URL
    public var data: String
}

/// `viral train`: loads the model, data and teacher a configuration names, trains with logging
/// and checkpoints, and can resume from the last checkpoint exactly.
public final class TrainingRun {
    public let configuration: TrainingRunConfiguration
    public let model: LlavaModel
    public let trainer: Trainer
    public let output: URL
    private var loader: DataLoader
    private let log: TrainingLog

    /// Prepares a run (loads everything; trains nothing yet). Every missing or wrong setting
    /// throws an error naming it.
    public init(_ configuration: TrainingRunConfiguration) throws {
        self.configuration = configuration
        guard let modelPath = configuration.model else { throw TrainingRunError("no model: pass --model DIR (a LLaVA checkpoint folder)") }
        guard let dataPath = configuration.data else { throw TrainingRunError("no data: pass --data FILE (LLaVA conversation JSON or JSONL)") }
        guard let outputPath = configuration.output else { throw TrainingRunError("no output folder: pass --output DIR") }
        guard let steps = configuration.steps, steps > 0 else { throw TrainingRunError("no step count: pass --steps N (N > 0)") }
        output = URL(fileURLWithPath: outputPath)
        try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)

        let modelURL = URL(fileURLWithPath: modelPath)
        guard case .llava(let model) = try ModelLoader.load(modelURL, visionTowerDirectory: configuration.visionTower.map(URL.init(fileURLWithPath:))) else {
            throw TrainingRunError("\(modelPath) is not a LLaVA checkpoint (config.json model_type \"llava\", or original LLaVA with mm_* keys)")
        }
        self.model = model
        let tokenizerURL = configuration.tokenizer.map(URL.init(fileURLWithPath:)) ?? modelURL.appendingPathComponent("tokenizer.json")
        let tokenizer = try Tokenizer(contentsOf: tokenizerURL)

        let stage = configuration.stage ?? 2
        guard stage == 1 || stage == 2 else { throw TrainingRunError("--stage must be 1 or 2, not \(stage)") }
        let templateName = configuration.template ?? (stage == 1 ? "plain" : (model.config.decoder.modelType == "qwen2" ? "chatml" : "vicuna_v1"))
        let vision = model.config.vision
        let preset: ImagePreparation.Preset = vision.family == .siglip ? .siglip(size: vision.imageSize) : .clip(size: vision.imageSize)
        let policy = BadRecordPolicy(rawValue: configuration.badRecords ?? "skip")
        guard let policy else { throw TrainingRunError("--bad-records must be skip or fail, not \(configuration.badRecords!)") }
        let dataURL = URL(fileURLWithPath: dataPath)
        let dataConfiguration = DataConfiguration(
            template: try conversationTemplate(named: templateName), imageTokenID: model.config.imageTokenID,
            imageTokenCount: model.config.imageTokenCount, maxLength: configuration.maxLength ?? 2048,
            images: ImagePreparation(preset: preset, aspect: stage == 1 ? .crop : .pad),
            padTokenID: tokenizer.padTokenID ?? model.config.decoder.padTokenID ?? 0,
            imageFolder: URL(fileURLWithPath: configuration.images ?? dataURL.deletingLastPathComponent().path),
            badRecordPolicy: policy)
        let dataset = try ConversationDataset(contentsOf: dataURL, tokenizer: tokenizer, configuration: dataConfiguration)
        let settings = try Self.settings(configuration, stage: stage, steps: steps, depth: model.config.decoder.layerCount)
        loader = try DataLoader(dataset: dataset, batchSize: settings.batchSize, seed: settings.seed)

        var targets: [AlignmentTargets] = []
        if settings.alignment != nil {
            if settings.alignmentTarget == .encoder {
                targets = [.encoder]
            } else {
                guard let teacherPath = configuration.teacher else {
                    throw TrainingRunError("VIRAL with a teacher target needs --teacher DIR (e.g. a DINOv2 checkpoint), or --vra-target encoder")
                }
                let grid = Int(Double(model.config.imageTokenCount).squareRoot().rounded())
                let cacheRoot = URL(fileURLWithPath: configuration.teacherCache ?? output.appendingPathComponent("teacher-cache").path)
                targets = try ([teacherPath] + (configuration.extraTeachers ?? [])).map { path in
                    let teacher = try Teacher(directory: URL(fileURLWithPath: path), grid: grid, pad: stage == 2)
                    return .teacher(teacher, cache: try TeacherFeatureCache(root: cacheRoot, teacher: teacher))
                }
            }
        }
        trainer = try Trainer(model: model, settings: settings, targets: targets)
        log = try TrainingLog(url: output.appendingPathComponent("train_log.jsonl"))
        if configuration.resume == true, let checkpoint = TrainingCheckpoint.latest(in: output) {
            let saved = try TrainingCheckpoint.restore(trainer, from: checkpoint)
            if let saved { try loader.restore(try JSONDecoder().decode(DataPosition.self, from: saved)) }
        }
    }

    /// The trainer settings a configuration asks for.
    static func settings(_ c: TrainingRunConfiguration, stage: Int, steps: Int, depth: Int) throws -> TrainingSettings {
        let rank = c.loraRank ?? 128
        guard rank >= 0 else { throw TrainingRunError("--lora-rank must be ≥ 0 (0 = full fine-tuning), not \(rank)") }
        let lora = rank == 0 ? nil : LoRASettings(rank: rank, alpha: c.loraAlpha, dropout: c.loraDropout ?? 0.05)
        var injection: ResidualInjectionSettings?
        if let name = c.residualInjection {
            guard let source = ResidualInjection.Source(rawValue: name) else {
                throw TrainingRunError("--residual-injection must be projector (Eq. 3) or adapter (Eq. 4), not \(name)")
            }
            injection = ResidualInjectionSettings(source: source, layer: c.residualLayer ?? AlignmentConfiguration.defaultLayer(forDepth: depth))
        }
        var alignment: AlignmentConfiguration?
        if c.usesAlignment {
            alignment = AlignmentConfiguration(layers: c.vraLayers ?? [AlignmentConfiguration.defaultLayer(forDepth: depth)],
                                               weight: c.vraWeight ?? 0.5, objective: c.vraObjective ?? .cosine,
                                               projectorSize: c.vraProjectorSize ?? 2048)
        }
        return TrainingSettings(stage: stage, freezesProjector: c.freezeProjector ?? false, steps: steps, batchSize: c.batchSize ?? 4,
                                gradientAccumulation: c.gradientAccumulation ?? 1, learningRate: c.lr,
                                projectorLearningRate: c.projectorLr, weightDecay: c.weightDecay ?? 0,
                                warmupRatio: c.warmupRatio ?? 0.03, maxGradientNorm: c.maxGradNorm ?? 1,
                                seed: c.seed ?? 0, lora: lora, alignment: alignment,
                                alignmentTarget: c.vraTarget ?? .teacher, residualInjection: injection,
                                nonFinite: c.nonFinite ?? .stop)
    }

    /// Trains to the configured step count; `progress` receives one line per update.
    public func run(progress: (String) -> Void = { _ in }) throws -> TrainingSummary {
        let settings = trainer.settings
        let saveEvery = configuration.saveEvery ?? 0
        let start = Date()
        let firstStep = trainer.step
        var last: StepReport?
        progress(loader.dataset.summary.description)
        while trainer.step < settings.steps {
            let batch = try loader.nextBatch()
            guard let report = try trainer.train(on: TrainingBatch(batch)) else { continue }
            last = report
            let elapsed = Date().timeIntervalSince(start)
            try log.append(TrainingLogEntry(report, elapsed: elapsed))
            progress(Self.progressLine(report, total: settings.steps, elapsed: elapsed, doneSinceStart: trainer.step - firstStep))
            if saveEvery > 0 && trainer.step % saveEvery == 0 && trainer.step < settings.steps { try save() }
        }
        let checkpoint = try save()
        return TrainingSummary(steps: trainer.step, skippedSteps: trainer.skippedSteps, finalLanguageLoss: last?.languageLoss,
                               finalAlignmentLoss: last?.alignmentLoss, seconds: Date().timeIntervalSince(start),
                               checkpoint: checkpoint, data: loader.dataset.summary.description)
    }

    @discardableResult
    private func save() throws -> URL {
        try TrainingCheckpoint.save(trainer, to: output, dataPosition: try JSONEncoder().encode(loader.position))
    }

    static func progressLine(_ report: StepReport, total: Int, elapsed: Double, doneSinceStart: Int) -> String {
        let perStep = elapsed / Double(max(doneSinceStart, 1))
        let eta = perStep * Double(total - report.step)
        var line = String(format: "step %d/%d  lm %.4f", report.step, total, report.languageLoss)
        if let vra = report.alignmentLoss { line += String(format: "  vra %.4f", vra) }
        line += String(format: "  lr %.2e  %.0f tok/s  eta %@", report.learningRate, Double(report.tokens) / max(perStep, 1e-9),
                       Self.duration(eta))
        if report.skipped { line += "  (skipped: non-finite loss)" }
        return line
    }

    public static func duration(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return s >= 3600 ? String(format: "%dh%02dm", s / 3600, s % 3600 / 60) : String(format: "%dm%02ds", s / 60, s % 60)
    }
}

extension TrainingBatch {
    /// The trainer's view of a data-loader batch.
    public init(_ batch: Batch) {
        self.init(inputIDs: batch.inputIDs, labels: batch.labels, attentionMask: batch.attentionMask,
                  pixelValues: batch.pixelValues, imageRows: batch.imageSampleIndices, imagePaths: batch.imageKeys)
    }
}
