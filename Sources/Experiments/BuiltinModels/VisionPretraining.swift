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

/// The towers' pretraining objective, per region of the patch grid: the patch tokens of the last
/// hidden state (after DINOv2's final layer norm: the tokens VIRAL aligns to) are averaged over
/// square cells of `cellSide` × `cellSide` patches, and linear heads classify what covers most
/// of each cell (see `PatchLabels`) — its kind and its colour, each with background as a seventh
/// class, by cross-entropy. With `offsets`, a third head regresses the offset from each patch centre to its
/// object's centre (squared error, object patches only; cells of one patch). The heads are
/// discarded after pretraining.
///
/// - The teacher classifies every patch and regresses offsets: each token says what is there and
///   where its object lies (strong spatial features).
/// - The tower classifies every patch (`BuiltinModelOptions.towerCellSide` 1) without offsets:
///   its tokens say what covers them, not where the object they belong to lies (weaker spatial
///   features, like CLIP's). With cells of 2 × 2 patches (`--tower-cell-side 2`) its tokens said
///   what lies in a 16-pixel cell: the LLaVA built on it carried the kind of about half of the
///   object patches to its decoder's layers (a linear probe on held-out scenes), against about
///   80 % with single patches (2026-12-07).
///
/// The colour term is weighted 0.1: at full weight the easy colour task slows the learning of
/// shapes several-fold (on held-out scenes, kind accuracy after 300 steps fell from about 55 % to
/// 35 %), while colours stay linearly readable from the features either way. Three quarters of
/// the background cells, drawn afresh each step, are left out of the cross-entropies so that
/// the objects carry the loss.
final class PatchCategoryObjective {
    let kindClassifier: Linear
    let colorClassifier: Linear
    let offsetRegressor: Linear?
    let prefixTokenCount: Int
    let patchSize: Int
    /// Patches per side of the square cells whose mean token is classified (1: every patch).
    let cellSide: Int
    /// Chance that a background cell counts in a step's cross-entropies.
    static let backgroundShare: Float = 0.25
    /// Weight of the colour cross-entropy beside the kind cross-entropy.
    static let colorWeight: Float = 0.1
    /// Weight of the offset loss beside the kind cross-entropy.
    static let offsetWeight: Float = 0.5
    private var generator: RandomGenerator
    var head: Module {
        ModuleGroup(prefixed("kind", kindClassifier) + prefixed("color", colorClassifier)
            + (offsetRegressor.map { prefixed("offset", $0) } ?? []))
    }

    init(config: VisionConfig, cellSide: Int, offsets: Bool, generator: inout RandomGenerator) {
        precondition(cellSide >= 1 && (!offsets || cellSide == 1), "offsets are regressed per patch (cells of one patch)")
        let width = config.hiddenSize
        kindClassifier = Linear(inFeatures: width, outFeatures: 1 + ShapeKind.allCases.count, bias: true, generator: &generator)
        colorClassifier = Linear(inFeatures: width, outFeatures: 1 + ShapeColor.allCases.count, bias: true, generator: &generator)
        offsetRegressor = offsets ? Linear(inFeatures: width, outFeatures: 2, bias: true, generator: &generator) : nil
        prefixTokenCount = config.prefixTokenCount
        patchSize = config.patchSize
        self.cellSide = cellSide
        self.generator = RandomGenerator(seed: generator.next())
    }

    func loss(of output: VisionOutput, scenes: [Scene]) -> Tensor {
        let last = output.lastHiddenState
        let width = last.shape[2]
        var tokens = last.slice(axis: 1, prefixTokenCount..<last.shape[1]).reshaped([-1, width])
        let labels = scenes.map { PatchLabels(scene: $0, patchSize: patchSize) }
        if cellSide > 1 {
            let grid = Int(Double(labels[0].classes.count).squareRoot())
            tokens = tokens.gatherRows(Self.cellOrder(images: scenes.count, grid: grid, cellSide: cellSide))
                .reshaped([-1, cellSide * cellSide, width]).mean(axes: [1])
        }
        var kinds: [Int] = [], colors: [Int] = [], offsets: [Float] = [], mask: [Float] = []
        var objectPatches = 0
        for label in labels.map({ $0.cells(side: cellSide) }) {
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
        guard let offsetRegressor else { return classification }
        let rows = kinds.count
        let error = (offsetRegressor(tokens) - Tensor(offsets, shape: [rows, 2])) * Tensor(mask, shape: [rows, 2])
        return classification + error.square().sum() * (Self.offsetWeight / Float(max(1, objectPatches)))
    }

    /// Token rows ordered image by image, cell by cell (row-major), patch by patch within a cell.
    static func cellOrder(images: Int, grid: Int, cellSide: Int) -> [Int] {
        let cells = grid / cellSide
        var order: [Int] = []
        for image in 0..<images {
            for cell in 0..<(cells * cells) {
                let (top, left) = (cell / cells * cellSide, cell % cells * cellSide)
                for row in top..<(top + cellSide) {
                    for column in left..<(left + cellSide) { order.append(image * grid * grid + row * grid + column) }
                }
            }
        }
        return order
    }
}

/// The pretraining loop shared by both towers.
enum VisionPretraining {
    /// Trains `tower` and the objective's head on `scenes`, taken in order `batchSize` at a time
    /// (wrapping around), rendered and preprocessed afresh each step. `report` receives a progress
    /// line every `reportEvery` steps.
    static func run(tower: VisionTransformer, objective: PatchCategoryObjective, scenes: [Scene],
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
