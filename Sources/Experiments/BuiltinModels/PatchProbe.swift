import NN
import SyntheticData
import Tensor
import Training

/// How well a linear probe reads each patch's content from frozen patch features.
public struct ProbeAccuracy: Hashable, Sendable {
    /// Over the held-out patches whose centre lies in an object: the fraction whose category
    /// (colour and kind) the probe names — the measure of spatially specific features.
    public var objectPatches: Double
    /// Over the held-out background patches: the fraction the probe calls background.
    public var backgroundPatches: Double
    /// Over all held-out patches.
    public var allPatches: Double
    /// The number of held-out object patches.
    public var objectPatchCount: Int
    /// Over the held-out object patches: the mean distance, in patch sides, between the offset
    /// from the patch's centre to its object's centre and a linear regression's estimate of it
    /// (`OffsetProbe`) — the measure of features that say where an object lies, not only what
    /// covers a patch. Lower is better; `offsetBaseline` is the error of always guessing the mean offset.
    public var offsetError: Double
    /// The mean distance between the held-out offsets and the fitting set's mean offset.
    public var offsetBaseline: Double
}

/// Frozen patch features [rows, d] of held-out scenes with what each patch shows (`PatchLabels`):
/// its class, and the offset to its object's centre (x then y per row).
struct PatchDataset {
    var features: Tensor
    var classes: [Int]
    var offsets: [Float]
}

/// A linear probe on frozen patch features: multinomial logistic regression from one patch token
/// to the patch's class (background or one of the 36 categories, `PatchLabels`), fitted with
/// full-batch AdamW on the features of one set of scenes and scored on another.
///
/// Features are standardised with the fitting set's per-channel mean and deviation. The fitting
/// rows are every object patch plus as many background patches (a seeded draw), so that the
/// probe does not win by calling everything background.
enum PatchProbe {
    /// Fitting steps, learning rate and weight decay of the probe.
    static let steps = 300
    static let learningRate: Float = 0.02
    static let weightDecay: Float = 1e-3

    /// Fits the category probe and the offset regression (`OffsetProbe`) on `fit` and scores both on `test`.
    static func accuracy(fit: PatchDataset, test: PatchDataset, seed: UInt64) -> ProbeAccuracy {
        let categories = categoryAccuracy(fit: fit, test: test, seed: seed)
        let offsets = OffsetProbe.error(fit: fit, test: test, seed: seed)
        return ProbeAccuracy(
            objectPatches: categories.objectPatches, backgroundPatches: categories.backgroundPatches,
            allPatches: categories.allPatches, objectPatchCount: categories.objectPatchCount,
            offsetError: offsets.error, offsetBaseline: offsets.baseline)
    }

    /// Fits the category probe on `fit` and scores it on `test`: features [rows, d] with one class per row.
    static func categoryAccuracy(fit: PatchDataset, test: PatchDataset, seed: UInt64)
        -> (objectPatches: Double, backgroundPatches: Double, allPatches: Double, objectPatchCount: Int) {
        let width = fit.features.shape[1]
        let (mean, deviation) = channelStatistics(fit.features)
        var generator = RandomGenerator(seed: seed)
        let objects = fit.classes.indices.filter { fit.classes[$0] != PatchLabels.background }
        let background = fit.classes.indices.filter { fit.classes[$0] == PatchLabels.background }
        let chosenBackground = shuffled(background, using: &generator).prefix(max(objects.count, 1))
        let rows = (objects + chosenBackground).sorted()
        let inputs = standardised(fit.features.gatherRows(rows), mean: mean, deviation: deviation)
        let targets = rows.map { fit.classes[$0] }

        let probe = Linear(inFeatures: width, outFeatures: PatchLabels.classCount, bias: true, generator: &generator)
        let optimizer = AdamW(groups: [
            ParameterGroup(name: "probe", parameters: probe.parameters, learningRate: learningRate, weightDecay: weightDecay),
        ])
        for _ in 0..<steps {
            probe(inputs).crossEntropy(targets: targets).backward()
            optimizer.update()
            optimizer.zeroGradients()
        }

        let logits = noGrad { probe(standardised(test.features, mean: mean, deviation: deviation)) }
        var correct = (object: 0, background: 0), totals = (object: 0, background: 0)
        for (row, truth) in test.classes.enumerated() {
            let predicted = Tensor.indexOfFirstMaximum(logits.data + row * PatchLabels.classCount, count: PatchLabels.classCount)
            if truth == PatchLabels.background {
                totals.background += 1
                if predicted == truth { correct.background += 1 }
            } else {
                totals.object += 1
                if predicted == truth { correct.object += 1 }
            }
        }
        return (objectPatches: Double(correct.object) / Double(max(1, totals.object)),
                backgroundPatches: Double(correct.background) / Double(max(1, totals.background)),
                allPatches: Double(correct.object + correct.background) / Double(max(1, test.classes.count)),
                objectPatchCount: totals.object)
    }

    /// Per-channel mean and standard deviation (floored at 1e-6) of the rows of [rows, d].
    static func channelStatistics(_ features: Tensor) -> (mean: [Float], deviation: [Float]) {
        let (rows, width) = (features.shape[0], features.shape[1])
        var sum = [Double](repeating: 0, count: width), squares = [Double](repeating: 0, count: width)
        for row in 0..<rows {
            for channel in 0..<width {
                let value = Double(features.data[row * width + channel])
                sum[channel] += value
                squares[channel] += value * value
            }
        }
        let mean = sum.map { $0 / Double(max(rows, 1)) }
        let deviation = (0..<width).map { channel in
            Float(max(1e-6, (squares[channel] / Double(max(rows, 1)) - mean[channel] * mean[channel]).squareRoot()))
        }
        return (mean.map(Float.init), deviation)
    }

    static func standardised(_ features: Tensor, mean: [Float], deviation: [Float]) -> Tensor {
        let width = mean.count
        let out = Tensor(uninitialized: features.shape)
        for index in 0..<features.count {
            let channel = index % width
            out.data[index] = (features.data[index] - mean[channel]) / deviation[channel]
        }
        return out
    }

    /// Fisher–Yates with the seeded generator (not the standard library's, which may change).
    private static func shuffled(_ items: [Int], using generator: inout RandomGenerator) -> [Int] {
        var result = items
        for i in stride(from: result.count - 1, to: 0, by: -1) {
            result.swapAt(i, Int(generator.next() % UInt64(i + 1)))
        }
        return result
    }
}
