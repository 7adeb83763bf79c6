import Foundation
import Models
import NN
import Tensor
import VIRAL

/// The loss terms and bookkeeping of one optimizer update.
public struct StepReport: Codable, Equatable, Sendable {
    public var step: Int
    public var languageLoss: Float
    /// L_VRA before weighting (nil for the baseline).
    public var alignmentLoss: Float?
    public var totalLoss: Float
    public var learningRate: Float
    public var gradientNorm: Float
    /// Tokens (all positions, padding excluded) processed in the update.
    public var tokens: Int
    /// True when the update was dropped for a non-finite loss (policy `skip`).
    public var skipped: Bool

    public init(step: Int, languageLoss: Float, alignmentLoss: Float?, totalLoss: Float, learningRate: Float,
                gradientNorm: Float, tokens: Int, skipped: Bool) {
        self.step = step
        self.languageLoss = languageLoss
        self.alignmentLoss = alignmentLoss
        self.totalLoss = totalLoss
        self.learningRate = learningRate
        self.gradientNorm = gradientNorm
        self.tokens = tokens
        self.skipped = skipped
    }
}

/// A non-finite loss under the `stop` policy.
public struct NonFiniteLossError: Error, CustomStringConvertible, LocalizedError {
    public let step: Int
    public let term: String
    public let value: Float
    public var description: String {
        "step \(step): the \(term) loss is \(value); lower the learning rate, check the data, or pass --non-finite skip"
    }
    public var errorDescription: String? { description }
}

/// Trains a LLaVA model (stage 1 or 2) with or without VIRAL's alignment loss.
///
/// Frozen parts (the tower always, the decoder in stage 1 or under LoRA, the projector when
/// `settings.freezesProjector`) record no autograd graph.
/// The alignment projector, when present, is trained with the decoder's learning rate.
public final class Trainer {
    public let model: LlavaModel
    public let settings: TrainingSettings
    public let alignment: VisualRepresentationAlignment?
    /// What the alignment pulls towards: one target, or several teachers at once (one alignment
    /// projector each, the paper's suggested extension).
    public let targets: [AlignmentTargets]
    /// The paper's residual-injection baseline (Eq. 3 / 4), when chosen instead of VIRAL.
    public let injection: ResidualInjection?
    public let optimizer: AdamW
    public let schedule: WarmupCosineSchedule
    /// Optimizer updates taken.
    public internal(set) var step = 0
    /// Updates dropped for non-finite losses.
    public internal(set) var skippedSteps = 0
    private var microBatches = 0
    private var pending = PendingTotals()

    public convenience init(model: LlavaModel, settings: TrainingSettings, targets: AlignmentTargets? = nil) throws {
        try self.init(model: model, settings: settings, targets: targets.map { [$0] } ?? [])
    }

    public init(model: LlavaModel, settings: TrainingSettings, targets: [AlignmentTargets]) throws {
        self.model = model
        self.settings = settings
        var generator = RandomGenerator(seed: settings.seed)
        if settings.freezesProjector && settings.stage == 1 {
            throw ModelInputError("stage 1 trains only the projector, so a frozen projector leaves nothing to train; use stage 2 or drop --freeze-projector")
        }
        model.setTrainable(false)
        model.projector.setTrainable(!settings.freezesProjector)
        var decoderParameters: [Tensor] = []
        if settings.stage == 2 {
            if let lora = settings.lora {
                for linear in Trainer.decoderLinears(model.languageModel, named: lora.targets) {
                    linear.attachAdapter(rank: lora.rank, alpha: lora.alpha, dropout: lora.dropout, generator: &generator)
                }
                decoderParameters = model.languageModel.parameters.filter { $0.requiresGrad }
            } else {
                model.languageModel.setTrainable(true)
                decoderParameters = model.languageModel.parameters
            }
        }
        if let configuration = settings.alignment {
            guard !targets.isEmpty else { throw ModelInputError("VIRAL training needs alignment targets (a teacher, or the encoder)") }
            guard Set(targets.map(\.name)).count == targets.count else {
                throw ModelInputError("two alignment targets are both named \"\(targets.map(\.name))\"; give each teacher a distinct kind")
            }
            for layer in configuration.layers where layer < 1 || layer > model.config.decoder.layerCount {
                throw ModelInputError("alignment layer \(layer) is outside the decoder's blocks 1…\(model.config.decoder.layerCount)")
            }
            alignment = VisualRepresentationAlignment(configuration: configuration, hiddenSize: model.config.decoder.hiddenSize,
                                                      targets: targets.map { ($0.name, $0.width(for: model)) }, generator: &generator)
        } else {
            alignment = nil
        }
        self.targets = targets
        if let baseline = settings.residualInjection {
            let depth = model.config.decoder.layerCount
            guard (1...depth).contains(baseline.layer) else {
                throw ModelInputError("residual-injection layer \(baseline.layer) is outside the decoder's blocks 1…\(depth)")
            }
            injection = ResidualInjection(source: baseline.source, layer: baseline.layer, towerWidth: model.config.vision.hiddenSize,
                                          hiddenSize: model.config.decoder.hiddenSize, generator: &generator)
        } else {
            injection = nil
        }
        var groups: [ParameterGroup] = []
        if !settings.freezesProjector {
            groups.append(ParameterGroup(name: "projector", parameters: model.projector.parameters,
                                         learningRate: settings.projectorLearningRate, weightDecay: settings.weightDecay))
        }
        decoderParameters += injection?.parameters ?? []
        if !decoderParameters.isEmpty {
            groups.append(ParameterGroup(name: "decoder", parameters: decoderParameters,
                                         learningRate: settings.learningRate, weightDecay: settings.weightDecay))
        }
        if let alignment {
            groups.append(ParameterGroup(name: "alignment_projector", parameters: alignment.parameters,
                                         learningRate: settings.alignmentLearningRate ?? settings.learningRate,
                                         weightDecay: settings.weightDecay))
        }
        optimizer = AdamW(groups: groups)
        schedule = WarmupCosineSchedule(warmupRatio: settings.warmupRatio, totalSteps: settings.steps)
    }

    /// The decoder's linear layers whose names are in `names` (e.g. "q_proj").
    static func decoderLinears(_ decoder: DecoderLM, named names: [String]) -> [Linear] {
        decoder.layers.flatMap { layer -> [Linear] in
            let all: [(String, Linear)] = [("q_proj", layer.selfAttention.qProj), ("k_proj", layer.selfAttention.kProj),
                                           ("v_proj", layer.selfAttention.vProj), ("o_proj", layer.selfAttention.oProj),
                                           ("gate_proj", layer.mlp.gateProj), ("up_proj", layer.mlp.upProj),
                                           ("down_proj", layer.mlp.downProj)]
            return all.filter { names.contains($0.0) }.map(\.1)
        }
    }

    /// Runs one micro-batch forward and backward; after `gradientAccumulation` of them, applies the
    /// update and returns its report (nil in between).
    public func train(on batch: TrainingBatch) throws -> StepReport? {
        let (language, vra) = try losses(for: batch)
        let weight = settings.alignment?.weight ?? 0
        var total = language
        if let vra { total = total + vra.scaled(by: weight) }
        let finite = total.item.isFinite
        if finite {
            total.scaled(by: 1 / Float(settings.gradientAccumulation)).backward()
        } else if settings.nonFinite == .stop {
            let term = !language.item.isFinite ? "language-model" : "alignment"
            throw NonFiniteLossError(step: step + 1, term: term, value: !language.item.isFinite ? language.item : vra!.item)
        }
        pending.add(language: language.item, alignment: vra?.item, total: total.item, tokens: batch.tokenCount, finite: finite)
        microBatches += 1
        guard microBatches % settings.gradientAccumulation == 0 else { return nil }
        return finishUpdate()
    }

    /// L_LM and (with VIRAL) L_VRA for a batch, with the autograd graph recorded.
    public func losses(for batch: TrainingBatch) throws -> (language: Tensor, alignment: Tensor?) {
        let input = try model.inputEmbeddings(inputIDs: batch.inputIDs, pixelValues: batch.pixelValues, imageRows: batch.imageRows)
        let hook = input.imageFeatures.flatMap { features in
            injection.map { $0.layerHook(positions: input.imagePositions, projected: features, tower: input.towerFeatures!) }
        }
        // Logits only where a label counts (same loss and gradients as at every position).
        let next = DecoderLM.nextTokenTargets(labels: batch.labels)
        let output = model.languageModel.forward(embeddings: input.embeddings, attentionMask: batch.attentionMask,
                                                 returningHiddenStates: alignment != nil, logitPositions: next.positions,
                                                 layerHook: hook)
        let language = output.logits.crossEntropy(targets: next.targets)
        guard let alignment else { return (language, nil) }
        // Samples whose image tokens are all present take part; others contribute nothing.
        let perImage = model.config.imageTokenCount
        var participants: [(row: Int, positions: [Int])] = [], imageIndices: [Int] = []
        for (image, row) in batch.imageRows.enumerated() where input.imagePositions[row].count == perImage {
            participants.append((row, input.imagePositions[row]))
            imageIndices.append(image)
        }
        guard !participants.isEmpty else { return (language, Tensor(scalar: 0)) }
        let grid = Int(Double(perImage).squareRoot().rounded())
        let selected = try targets.map { target -> Tensor in
            let all = try target.features(imagePaths: batch.imagePaths, towerFeatures: input.towerFeatures, grid: grid)
            return imageIndices.count == all.shape[0] ? all : all.gatherRows(imageIndices)
        }
        return (language, alignment.loss(hiddenStates: output.hiddenStates, visualPositions: participants, targets: selected))
    }

    private func finishUpdate() -> StepReport {
        step += 1
        let trainable = optimizer.groups.flatMap(\.parameters)
        let factor = schedule.factor(at: step - 1)
        var norm: Float = 0
        let skip = pending.nonFinite
        if skip {
            skippedSteps += 1
        } else {
            norm = clipGradientNorm(trainable, maxNorm: settings.maxGradientNorm)
            optimizer.update(learningRateScale: factor)
        }
        optimizer.zeroGradients()
        let report = pending.report(step: step, learningRate: settings.learningRate * factor, gradientNorm: norm, skipped: skip)
        pending = PendingTotals()
        return report
    }
}

/// Loss sums over the micro-batches of one update.
struct PendingTotals {
    var language: Float = 0, alignment: Float?, total: Float = 0
    var count = 0, tokens = 0
    var nonFinite = false

    mutating func add(language: Float, alignment: Float?, total: Float, tokens: Int, finite: Bool) {
        self.language += language
        if let alignment { self.alignment = (self.alignment ?? 0) + alignment }
        self.total += total
        self.tokens += tokens
        count += 1
        nonFinite = nonFinite || !finite
    }

    func report(step: Int, learningRate: Float, gradientNorm: Float, skipped: Bool) -> StepReport {
        let n = Float(max(count, 1))
        return StepReport(step: step, languageLoss: language / n, alignmentLoss: alignment.map { $0 / n },
                          totalLoss: total / n, learningRate: learningRate, gradientNorm: gradientNorm, tokens: tokens,
                          skipped: skipped)
    }
}
