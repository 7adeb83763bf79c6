import NN
import VIRAL

/// LoRA adapters for stage 2 (LLaVA-1.5: r = 128, α = 256, dropout 0.05 on every projection).
public struct LoRASettings: Codable, Equatable, Sendable {
    public var rank: Int
    public var alpha: Float
    public var dropout: Float
    /// Names of the decoder's linear layers that get adapters.
    public var targets: [String]

    public init(rank: Int = 128, alpha: Float? = nil, dropout: Float = 0.05,
                targets: [String] = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]) {
        self.rank = rank
        self.alpha = alpha ?? Float(2 * rank)
        self.dropout = dropout
        self.targets = targets
    }
}

/// What to do when a step's loss is NaN or infinite.
public enum NonFinitePolicy: String, Codable, Sendable {
    /// Stop training with an error naming the step and the loss term.
    case stop
    /// Drop the step's gradients, count it, and go on.
    case skip
}

/// The paper's residual-injection baseline: which features are added back after which block.
public struct ResidualInjectionSettings: Codable, Equatable, Sendable {
    public var source: ResidualInjection.Source
    public var layer: Int

    public init(source: ResidualInjection.Source, layer: Int) {
        self.source = source
        self.layer = layer
    }
}

/// The optimisation settings of one training run (LLaVA-1.5's defaults where it has them).
public struct TrainingSettings: Codable, Equatable, Sendable {
    /// 1: projector only (decoder frozen); 2: projector + decoder (LoRA or full).
    public var stage: Int
    /// Keeps the projector as loaded in stage 2, as LLaVA's `freeze_mm_mlp_adapter`: it records no
    /// autograd graph and takes no updates, and its gradients do not count in the clipping norm.
    public var freezesProjector: Bool
    /// Optimizer updates to take.
    public var steps: Int
    public var batchSize: Int
    /// Micro-batches per optimizer update.
    public var gradientAccumulation: Int
    /// Decoder (or LoRA) learning rate; the alignment projector uses it too unless set.
    public var learningRate: Float
    public var projectorLearningRate: Float
    public var alignmentLearningRate: Float?
    public var weightDecay: Float
    public var warmupRatio: Double
    public var maxGradientNorm: Float
    public var seed: UInt64
    /// Stage 2 with adapters; nil = full fine-tuning of the decoder.
    public var lora: LoRASettings?
    /// VIRAL's regulariser; nil = the baseline.
    public var alignment: AlignmentConfiguration?
    public var alignmentTarget: AlignmentTargetKind
    /// The residual-injection baseline instead of (or beside) VIRAL; nil = none.
    public var residualInjection: ResidualInjectionSettings?
    public var nonFinite: NonFinitePolicy

    public init(stage: Int = 2, freezesProjector: Bool = false, steps: Int, batchSize: Int = 4, gradientAccumulation: Int = 1,
                learningRate: Float? = nil, projectorLearningRate: Float? = nil, alignmentLearningRate: Float? = nil,
                weightDecay: Float = 0, warmupRatio: Double = 0.03, maxGradientNorm: Float = 1, seed: UInt64 = 0,
                lora: LoRASettings? = LoRASettings(), alignment: AlignmentConfiguration? = nil,
                alignmentTarget: AlignmentTargetKind = .teacher, residualInjection: ResidualInjectionSettings? = nil,
                nonFinite: NonFinitePolicy = .stop) {
        self.stage = stage
        self.freezesProjector = freezesProjector
        self.steps = steps
        self.batchSize = batchSize
        self.gradientAccumulation = gradientAccumulation
        // LLaVA-1.5: stage 1 lr 1e-3; stage 2 LoRA 2e-4 with projector 2e-5, full fine-tuning 2e-5.
        let decoderRate: Float = stage == 1 ? 1e-3 : (lora == nil ? 2e-5 : 2e-4)
        self.learningRate = learningRate ?? decoderRate
        self.projectorLearningRate = projectorLearningRate ?? (stage == 1 ? 1e-3 : 2e-5)
        self.alignmentLearningRate = alignmentLearningRate
        self.weightDecay = weightDecay
        self.warmupRatio = warmupRatio
        self.maxGradientNorm = maxGradientNorm
        self.seed = seed
        self.lora = stage == 2 ? lora : nil
        self.alignment = alignment
        self.alignmentTarget = alignmentTarget
        self.residualInjection = residualInjection
        self.nonFinite = nonFinite
    }
}

extension TrainingSettings {
    /// Decodes settings saved in a checkpoint; those saved before `freezesProjector` existed
    /// trained the projector.
    public init(from decoder: Decoder) throws {
        let values = try decoder.container(keyedBy: CodingKeys.self)
        stage = try values.decode(Int.self, forKey: .stage)
        freezesProjector = try values.decodeIfPresent(Bool.self, forKey: .freezesProjector) ?? false
        steps = try values.decode(Int.self, forKey: .steps)
        batchSize = try values.decode(Int.self, forKey: .batchSize)
        gradientAccumulation = try values.decode(Int.self, forKey: .gradientAccumulation)
        learningRate = try values.decode(Float.self, forKey: .learningRate)
        projectorLearningRate = try values.decode(Float.self, forKey: .projectorLearningRate)
        alignmentLearningRate = try values.decodeIfPresent(Float.self, forKey: .alignmentLearningRate)
        weightDecay = try values.decode(Float.self, forKey: .weightDecay)
        warmupRatio = try values.decode(Double.self, forKey: .warmupRatio)
        maxGradientNorm = try values.decode(Float.self, forKey: .maxGradientNorm)
        seed = try values.decode(UInt64.self, forKey: .seed)
        lora = try values.decodeIfPresent(LoRASettings.self, forKey: .lora)
        alignment = try values.decodeIfPresent(AlignmentConfiguration.self, forKey: .alignment)
        alignmentTarget = try values.decode(AlignmentTargetKind.self, forKey: .alignmentTarget)
        residualInjection = try values.decodeIfPresent(ResidualInjectionSettings.self, forKey: .residualInjection)
        nonFinite = try values.decode(NonFinitePolicy.self, forKey: .nonFinite)
    }
}
