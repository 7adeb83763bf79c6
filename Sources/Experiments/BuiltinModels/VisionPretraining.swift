import Dispatch
import Models
import NN
import SyntheticData
import Tensor
import Training
import Vision

/// How long and how fast a built-in tower is pretrained.
public struct PretrainingSettings: Hashable, Sendable {
    /// Optimiser steps.
    public var steps: Int
    /// Scenes per step (each rendered afresh).
    public var batchSize: Int
    /// Peak AdamW learning rate (linear warmup, cosine decay to zero).
    public var learningRate: Float
    /// AdamW weight decay on weight matrices (none on biases, norms, tokens and layer scales).
    public var weightDecay: Float
    /// Warmup as a fraction of the steps.
    public var warmupRatio: Double
    /// Global gradient-norm clipping threshold.
    public var maxGradientNorm: Float

    /// Creates settings.
    public init(steps: Int, batchSize: Int = 32, learningRate: Float = 3e-3, weightDecay: Float = 0.05,
                warmupRatio: Double = 0.05, maxGradientNorm: Float = 1) {
        self.steps = steps
        self.batchSize = batchSize
        self.learningRate = learningRate
        self.weightDecay = weightDecay
        self.warmupRatio = warmupRatio
        self.maxGradientNorm = maxGradientNorm
    }
}

/// What a pretraining run did.
public struct PretrainingSummary: Hashable, Sendable {
    /// Optimiser steps taken.
    public var steps: Int
    /// Scenes seen (steps × batch size).
    public var images: Int
    /// Wall-clock seconds, rendering included.
    public var seconds: Double
    /// Mean loss over the first (at most) 10 steps.
    public var firstLoss: Float
    /// Mean loss over the last (at most) 10 steps.
    public var lastLoss: Float
}

extension PretrainingSummary {
    /// The summary of a run of `settings` whose steps had `losses`.
    init(settings: PretrainingSettings, losses: [Float], seconds: Double) {
        func mean(_ values: ArraySlice<Float>) -> Float { values.reduce(0, +) / Float(max(1, values.count)) }
        self.init(steps: settings.steps, images: settings.steps * settings.batchSize, seconds: seconds,
                  firstLoss: mean(losses.prefix(10)), lastLoss: mean(losses.suffix(10)))
    }
}

/// A tower's pretraining objective: a head trained with the tower (and discarded after) and the
/// loss of a batch.
protocol PretrainingObjective: AnyObject {
    /// The head's parameters.
    var head: Module { get }
    /// The loss of the tower's output on `scenes`.
    func loss(of output: VisionOutput, scenes: [Scene]) -> Tensor
}

/// The tower's objective, image-level only: from the pooled class token (CLIP's
/// `post_layernorm` output), a linear head predicts for each of the 36 (colour, kind) categories
/// whether the scene holds one, trained with binary cross-entropy. Nothing tells the tower where
/// an object is, so its patch tokens need only serve the global summary.
final class PresenceObjective: PretrainingObjective {
    let classifier: Linear
    var head: Module { classifier }

    init(width: Int, generator: inout RandomGenerator) {
        classifier = Linear(inFeatures: width, outFeatures: ObjectCategory.all.count, bias: true, generator: &generator)
    }

    func loss(of output: VisionOutput, scenes: [Scene]) -> Tensor {
        let logits = classifier(output.pooled!)
        let categories = ObjectCategory.all.count
        var present = [Float](repeating: 0, count: scenes.count * categories)
        for (row, scene) in scenes.enumerated() {
            for object in scene.objects { present[row * categories + object.category.ordinal] = 1 }
        }
        let targets = Tensor(present, shape: [scenes.count, categories])
        // Binary cross-entropy with logits: softplus(z) − y·z, softplus(z) = log(1 + exp(z))
        // (the logits stay far below exp's overflow at 88).
        return ((logits.exp() + 1).log() - targets * logits).mean()
    }
}

/// The teacher's objective, dense: from every patch token of the final layer norm (the tokens
/// VIRAL aligns to), linear heads classify what covers the patch centre (see `PatchLabels`) —
/// its kind and its colour, each with background as a seventh class, by cross-entropy — and
/// regress the offset from the patch centre to the object's centre (squared error, object
/// patches only), so that each token says what is there and where its object lies.
///
/// The colour term is weighted 0.1: at full weight the easy colour task slows the learning of
/// shapes several-fold (on held-out scenes, kind accuracy after 300 steps fell from about 55 % to
/// 35 %), while colours stay linearly readable from the features either way. Three quarters of
/// the background patches, drawn afresh each step, are left out of the cross-entropies so that
/// the objects carry the loss.
final class PatchCategoryObjective: PretrainingObjective {
    let kindClassifier: Linear
    let colorClassifier: Linear
    let offsetRegressor: Linear
    let prefixTokenCount: Int
    let patchSize: Int
    /// Chance that a background patch counts in a step's cross-entropies.
    static let backgroundShare: Float = 0.25
    /// Weight of the colour cross-entropy beside the kind cross-entropy.
    static let colorWeight: Float = 0.1
    /// Weight of the offset loss beside the kind cross-entropy.
    static let offsetWeight: Float = 0.5
    private var generator: RandomGenerator
    var head: Module {
        ModuleGroup(prefixed("kind", kindClassifier) + prefixed("color", colorClassifier) + prefixed("offset", offsetRegressor))
    }

    init(config: VisionConfig, generator: inout RandomGenerator) {
        let width = config.hiddenSize
        kindClassifier = Linear(inFeatures: width, outFeatures: 1 + ShapeKind.allCases.count, bias: true, generator: &generator)
        colorClassifier = Linear(inFeatures: width, outFeatures: 1 + ShapeColor.allCases.count, bias: true, generator: &generator)
        offsetRegressor = Linear(inFeatures: width, outFeatures: 2, bias: true, generator: &generator)
        prefixTokenCount = config.prefixTokenCount
        patchSize = config.patchSize
        self.generator = RandomGenerator(seed: generator.next())
    }

    func loss(of output: VisionOutput, scenes: [Scene]) -> Tensor {
        let last = output.lastHiddenState
        let tokens = last.slice(axis: 1, prefixTokenCount..<last.shape[1]).reshaped([-1, last.shape[2]])
        var kinds: [Int] = [], colors: [Int] = [], offsets: [Float] = [], mask: [Float] = []
        var objectPatches = 0
        for label in scenes.map({ PatchLabels(scene: $0, patchSize: patchSize) }) {
            for patch in label.classes.indices {
                let isObject = label.classes[patch] != PatchLabels.background
                let counts = isObject || generator.nextUniform() < Self.backgroundShare
                kinds.append(counts ? label.kindClass(patch) : ignoredLabel)
                colors.append(counts ? label.colorClass(patch) : ignoredLabel)
                offsets += [label.offsets[2 * patch], label.offsets[2 * patch + 1]]
                mask += isObject ? [1, 1] : [0, 0]
                if isObject { objectPatches += 1 }
            }
        }
        let classification = kindClassifier(tokens).crossEntropy(targets: kinds)
            + colorClassifier(tokens).crossEntropy(targets: colors) * Self.colorWeight
        let rows = kinds.count
        let error = (offsetRegressor(tokens) - Tensor(offsets, shape: [rows, 2])) * Tensor(mask, shape: [rows, 2])
        return classification + error.square().sum() * (Self.offsetWeight / Float(max(1, objectPatches)))
    }
}

/// The pretraining loop shared by both towers.
enum VisionPretraining {
    /// Trains `tower` and the objective's head on `scenes`, taken in order `batchSize` at a time
    /// (wrapping around), rendered and preprocessed afresh each step. `report` receives a progress
    /// line every `reportEvery` steps.
    static func run(tower: VisionTransformer, objective: PretrainingObjective, scenes: [Scene],
                    preprocessor: ImagePreprocessor, settings: PretrainingSettings, name: String,
                    reportEvery: Int = 25, report: (String) -> Void) throws -> PretrainingSummary {
        let named = (tower.namedParameters + objective.head.namedParameters).filter { $0.tensor.requiresGrad }
        let parameters = named.map(\.tensor)
        // Weight decay on the weight matrices only (as timm and DINOv2 do): not on biases, norms,
        // class tokens, position embeddings or layer scales.
        let decays = named.map { $0.tensor.rank >= 2 && $0.key.hasSuffix("weight") && !$0.key.contains("position") }
        let optimizer = AdamW(groups: [
            ParameterGroup(name: "matrices", parameters: zip(parameters, decays).filter(\.1).map(\.0),
                           learningRate: settings.learningRate, weightDecay: settings.weightDecay),
            ParameterGroup(name: "others", parameters: zip(parameters, decays).filter { !$0.1 }.map(\.0),
                           learningRate: settings.learningRate, weightDecay: 0),
        ])
        let schedule = WarmupCosineSchedule(warmupRatio: settings.warmupRatio, totalSteps: settings.steps)
        let side = tower.config.imageSize
        var losses: [Float] = []
        let start = DispatchTime.now()
        for step in 0..<settings.steps {
            let batch = (0..<settings.batchSize).map { scenes[(step * settings.batchSize + $0) % scenes.count] }
            let pixels = PretrainingScenes.pixelValues(batch, preprocessor: preprocessor, side: side)
            let loss = objective.loss(of: try tower(pixels), scenes: batch)
            loss.backward()
            clipGradientNorm(parameters, maxNorm: settings.maxGradientNorm)
            optimizer.update(learningRateScale: schedule.factor(at: step))
            optimizer.zeroGradients()
            losses.append(loss.item)
            if (step + 1) % reportEvery == 0 || step + 1 == settings.steps {
                let seconds = elapsedSeconds(since: start)
                let recent = losses.suffix(reportEvery)
                report(String(format: "%@ step %d/%d  loss %.4f  %.1f img/s", name, step + 1, settings.steps,
                              recent.reduce(0, +) / Float(recent.count), Double((step + 1) * settings.batchSize) / seconds))
            }
        }
        return PretrainingSummary(settings: settings, losses: losses, seconds: elapsedSeconds(since: start))
    }
}

/// Seconds since `start`.
func elapsedSeconds(since start: DispatchTime) -> Double {
    Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
}
