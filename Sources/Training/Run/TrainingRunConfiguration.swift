import Foundation
import VIRAL
import Yams

/// Everything `viral train` needs, from a JSON or YAML file (snake_case keys) and/or flags.
public struct TrainingRunConfiguration: Codable, Equatable, Sendable {
    /// A LLaVA checkpoint folder (llava-hf or original LLaVA).
    public var model: String?
    /// LLaVA conversation JSON or JSONL.
    public var data: String?
    /// The folder image paths in the data are relative to (default: the data file's folder).
    public var images: String?
    public var output: String?
    public var stage: Int?
    /// Stage 2 with the projector kept as loaded (LLaVA's `freeze_mm_mlp_adapter`).
    public var freezeProjector: Bool?
    public var steps: Int?
    public var batchSize: Int?
    public var gradientAccumulation: Int?
    public var lr: Float?
    public var projectorLr: Float?
    public var weightDecay: Float?
    public var warmupRatio: Double?
    public var maxGradNorm: Float?
    public var seed: UInt64?
    /// LoRA rank for stage 2; 0 = full fine-tuning of the decoder.
    public var loraRank: Int?
    public var loraAlpha: Float?
    public var loraDropout: Float?
    /// vicuna_v1, chatml or plain (default: plain in stage 1, else by decoder family).
    public var template: String?
    public var maxLength: Int?
    /// VIRAL: the teacher checkpoint folder (DINOv2, CLIP or SigLIP).
    public var teacher: String?
    /// Further teachers aligned at the same time, one alignment projector each.
    public var extraTeachers: [String]?
    public var vraLayers: [Int]?
    public var vraWeight: Float?
    public var vraObjective: AlignmentObjective?
    public var vraTarget: AlignmentTargetKind?
    public var vraProjectorSize: Int?
    /// Where teacher features are cached (default: <output>/teacher-cache).
    public var teacherCache: String?
    /// Save a checkpoint every N updates (0 = only at the end).
    public var saveEvery: Int?
    public var badRecords: String?
    public var nonFinite: NonFinitePolicy?
    public var tokenizer: String?
    public var visionTower: String?
    public var resume: Bool?
    /// The residual-injection baseline (Eq. 3 "projector" / Eq. 4 "adapter") and its layer.
    public var residualInjection: String?
    public var residualLayer: Int?

    public init() {}

    /// Reads a JSON (`.json`) or YAML (anything else) configuration file.
    public init(contentsOf url: URL) throws {
        guard let text = try? String(contentsOf: url, encoding: .utf8) else {
            throw TrainingRunError("cannot read the configuration file \(url.path)")
        }
        let json: Data
        if url.pathExtension.lowercased() == "json" {
            json = Data(text.utf8)
        } else {
            do {
                guard let object = try Yams.load(yaml: text) else { throw TrainingRunError("\(url.path) is empty") }
                json = try JSONSerialization.data(withJSONObject: object)
            } catch let error as TrainingRunError {
                throw error
            } catch {
                throw TrainingRunError("\(url.path) is not valid YAML: \(error)")
            }
        }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        do {
            self = try decoder.decode(TrainingRunConfiguration.self, from: json)
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context) {
            throw TrainingRunError("\(url.path): \(context.codingPath.map(\.stringValue).joined(separator: ".")) has the wrong type (\(context.debugDescription))")
        } catch let DecodingError.dataCorrupted(context) {
            throw TrainingRunError("\(url.path): \(context.codingPath.map(\.stringValue).joined(separator: ".")) \(context.debugDescription)")
        } catch {
            throw TrainingRunError("\(url.path) is not a training configuration: \(error)")
        }
    }

    /// `self` with every value that `overrides` sets replacing this one's (flags over the file).
    public func overridden(by overrides: TrainingRunConfiguration) -> TrainingRunConfiguration {
        var merged = self
        func take<T>(_ keyPath: WritableKeyPath<TrainingRunConfiguration, T?>, _ value: T?) {
            if let value { merged[keyPath: keyPath] = value }
        }
        take(\.model, overrides.model); take(\.data, overrides.data); take(\.images, overrides.images)
        take(\.output, overrides.output); take(\.stage, overrides.stage); take(\.freezeProjector, overrides.freezeProjector); take(\.steps, overrides.steps)
        take(\.batchSize, overrides.batchSize); take(\.gradientAccumulation, overrides.gradientAccumulation)
        take(\.lr, overrides.lr); take(\.projectorLr, overrides.projectorLr); take(\.weightDecay, overrides.weightDecay)
        take(\.warmupRatio, overrides.warmupRatio); take(\.maxGradNorm, overrides.maxGradNorm); take(\.seed, overrides.seed)
        take(\.loraRank, overrides.loraRank); take(\.loraAlpha, overrides.loraAlpha); take(\.loraDropout, overrides.loraDropout)
        take(\.template, overrides.template); take(\.maxLength, overrides.maxLength); take(\.teacher, overrides.teacher)
        take(\.vraLayers, overrides.vraLayers); take(\.vraWeight, overrides.vraWeight)
        take(\.vraObjective, overrides.vraObjective); take(\.vraTarget, overrides.vraTarget)
        take(\.vraProjectorSize, overrides.vraProjectorSize); take(\.teacherCache, overrides.teacherCache)
        take(\.saveEvery, overrides.saveEvery); take(\.badRecords, overrides.badRecords); take(\.nonFinite, overrides.nonFinite)
        take(\.tokenizer, overrides.tokenizer); take(\.visionTower, overrides.visionTower); take(\.resume, overrides.resume)
        take(\.extraTeachers, overrides.extraTeachers); take(\.residualInjection, overrides.residualInjection)
        take(\.residualLayer, overrides.residualLayer)
        return merged
    }

    /// Whether VIRAL's alignment loss is on: a teacher, an encoder target or explicit layers.
    public var usesAlignment: Bool { teacher != nil || vraTarget == .encoder || vraLayers != nil }
}

/// A training run that cannot start or go on, with what to fix.
public struct TrainingRunError: Error, CustomStringConvertible, LocalizedError {
    public let description: String
    public init(_ description: String) { self.description = description }
    public var errorDescription: String? { description }
}
