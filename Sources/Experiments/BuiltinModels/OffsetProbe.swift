import NN
import Tensor
import Training

/// A linear regression from one object patch's frozen features to the offset from the patch's
/// centre to its object's centre (`PatchLabels.offsets`, in patch sides), fitted by full-batch
/// AdamW on the squared error over the object patches of one set of scenes and scored on another:
/// how plainly the features say where an object lies. Features are standardised as the category
/// probe's (`PatchProbe`).
enum OffsetProbe {
    /// Mean distance between the held-out object patches' offsets and the regression's estimates,
    /// and between them and the fitting set's mean offset (the error of a regression that learnt nothing).
    static func error(fit: PatchDataset, test: PatchDataset, seed: UInt64) -> (error: Double, baseline: Double) {
        let (mean, deviation) = PatchProbe.channelStatistics(fit.features)
        let fitRows = fit.classes.indices.filter { fit.classes[$0] != PatchLabels.background }
        let testRows = test.classes.indices.filter { test.classes[$0] != PatchLabels.background }
        guard !fitRows.isEmpty, !testRows.isEmpty else { return (0, 0) }
        let inputs = PatchProbe.standardised(fit.features.gatherRows(fitRows), mean: mean, deviation: deviation)
        let targets = Tensor(fitRows.flatMap { [fit.offsets[2 * $0], fit.offsets[2 * $0 + 1]] }, shape: [fitRows.count, 2])

        var generator = RandomGenerator(seed: seed)
        let regression = Linear(inFeatures: fit.features.shape[1], outFeatures: 2, bias: true, generator: &generator)
        let optimizer = AdamW(groups: [
            ParameterGroup(name: "regression", parameters: regression.parameters, learningRate: PatchProbe.learningRate,
                           weightDecay: PatchProbe.weightDecay),
        ])
        for _ in 0..<PatchProbe.steps {
            (regression(inputs) - targets).square().mean(axes: [0, 1]).backward()
            optimizer.update()
            optimizer.zeroGradients()
        }

        let features = PatchProbe.standardised(test.features.gatherRows(testRows), mean: mean, deviation: deviation)
        let estimates = noGrad { regression(features) }
        let meanOffset = (0..<2).map { axis in fitRows.reduce(0) { $0 + Double(fit.offsets[2 * $1 + axis]) } / Double(fitRows.count) }
        var error = 0.0, baseline = 0.0
        for (index, row) in testRows.enumerated() {
            let truth = (Double(test.offsets[2 * row]), Double(test.offsets[2 * row + 1]))
            let estimate = (Double(estimates.data[2 * index]), Double(estimates.data[2 * index + 1]))
            error += ((truth.0 - estimate.0) * (truth.0 - estimate.0) + (truth.1 - estimate.1) * (truth.1 - estimate.1)).squareRoot()
            baseline += ((truth.0 - meanOffset[0]) * (truth.0 - meanOffset[0])
                + (truth.1 - meanOffset[1]) * (truth.1 - meanOffset[1])).squareRoot()
        }
        return (error / Double(testRows.count), baseline / Double(testRows.count))
    }
}
