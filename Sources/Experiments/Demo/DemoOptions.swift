import Foundation

/// Settings of `viral demo`: the paper's experiment in miniature on synthetic scenes.
public struct DemoOptions: Sendable {
    /// Where data, models, runs and the report go.
    public var output: URL
    /// Training seeds; every seed trains a baseline and a VIRAL model from the same start.
    public var seeds: [UInt64]
    /// Optimizer updates per model (400: one seed, both models, takes about 7.5 minutes on two
    /// cores after the build).
    public var steps: Int
    public var batchSize: Int
    /// Decoder learning rate (the decoder is trained in full, from the built-in warm start).
    public var learningRate: Float
    public var projectorLearningRate: Float
    /// λ of VIRAL's loss.
    public var alignmentWeight: Float
    /// The aligned decoder layer (default: the middle).
    public var alignmentLayer: Int?
    /// A teacher checkpoint folder; default: the built-in DINOv2-style teacher.
    public var teacher: URL?
    /// A folder written by `viral demo prepare-models` to take the built-in models from; nil
    /// makes them (`modelOptions`) in the output folder.
    public var models: URL?
    /// Training records, each with its own scene. The default, one record per training sample
    /// (steps × batch size), shows no record twice: with 2000 records seen 19 times over 2400
    /// steps the decoder learnt them by heart (language loss 0.16) and still scored at chance.
    public var trainingCount: Int
    /// Evaluation questions per benchmark, and per POPE split.
    public var evaluationCount: Int
    /// How many times during training accuracy is measured (the training-efficiency figure).
    public var evaluationPoints: Int
    /// Questions per benchmark at those intermediate measurements, spread over all of them (the
    /// final one uses all).
    public var intermediateEvaluationLimit: Int
    /// Scenes in each of the fitting and scoring sets of the layer probe (`LayerCategoryProbe`).
    public var probeSceneCount: Int
    /// Seed of the synthetic data, and of the built-in models when they are made here (fixed
    /// across training seeds).
    public var dataSeed: UInt64
    /// Sizes and pretraining of the built-in tower, teacher and decoder when they are made here
    /// (`models` nil; their seed is `dataSeed`).
    public var modelOptions: BuiltinModelOptions

    public init(output: URL, seeds: [UInt64] = [0], steps: Int = 400, batchSize: Int = 16, learningRate: Float = 1e-3,
                projectorLearningRate: Float = 1e-3, alignmentWeight: Float = 0.5, alignmentLayer: Int? = nil,
                teacher: URL? = nil, models: URL? = nil, trainingCount: Int? = nil, evaluationCount: Int = 200, evaluationPoints: Int = 3,
                intermediateEvaluationLimit: Int = 60, probeSceneCount: Int = 256, dataSeed: UInt64 = 0,
                modelOptions: BuiltinModelOptions = BuiltinModelOptions()) {
        self.output = output
        self.seeds = seeds
        self.steps = steps
        self.batchSize = batchSize
        self.learningRate = learningRate
        self.projectorLearningRate = projectorLearningRate
        self.alignmentWeight = alignmentWeight
        self.alignmentLayer = alignmentLayer
        self.teacher = teacher
        self.models = models
        self.trainingCount = trainingCount ?? steps * batchSize
        self.evaluationCount = evaluationCount
        self.evaluationPoints = evaluationPoints
        self.intermediateEvaluationLimit = intermediateEvaluationLimit
        self.probeSceneCount = probeSceneCount
        self.dataSeed = dataSeed
        self.modelOptions = modelOptions
    }

    /// Checks the settings, naming the flag that is wrong.
    public func validate() throws {
        if seeds.isEmpty { throw ExperimentError("--seeds must be at least 1") }
        if steps < 1 { throw ExperimentError("--steps must be positive (got \(steps))") }
        if batchSize < 1 { throw ExperimentError("--batch-size must be positive (got \(batchSize))") }
        if trainingCount < 1 { throw ExperimentError("--train must be positive (got \(trainingCount))") }
        if alignmentWeight < 0 { throw ExperimentError("--vra-weight must be ≥ 0 (got \(alignmentWeight))") }
        if evaluationPoints < 1 { throw ExperimentError("--evaluation-points must be positive (got \(evaluationPoints))") }
        if probeSceneCount < 1 { throw ExperimentError("the layer probe needs at least 1 scene (got \(probeSceneCount))") }
        if intermediateEvaluationLimit < 1 {
            throw ExperimentError("the intermediate evaluation limit must be positive (got \(intermediateEvaluationLimit))")
        }
    }
}

/// The two arms of the experiment.
public enum DemoVariant: String, CaseIterable, Sendable {
    case baseline
    case viral

    public var title: String { self == .baseline ? "Baseline" : "VIRAL" }
}
