import Dispatch
import Models
import NN
import Tensor

/// What VIRAL adds to a training step once teacher features come from the cache: a baseline
/// step (L_LM only) beside a VIRAL step whose teacher targets are read, not computed — the
/// comparison behind "a VIRAL step costs at most 5 % more than a baseline step".
public struct AlignmentOverheadBenchmark {
    public let benchmark: TrainingBenchmark

    public init(benchmark: TrainingBenchmark) { self.benchmark = benchmark }

    /// Median seconds of a baseline step and of a VIRAL step with cached targets, measured
    /// interleaved (baseline, VIRAL, baseline, …) so both see the same machine state.
    public func measure(warmup: Int, steps: Int) throws -> (baseline: Double, viral: Double) {
        // The teacher's patch features, computed once as the cache would hold them.
        let cached = try noGrad { () throws -> Tensor in
            let taught = try benchmark.teacher(benchmark.pixels).lastHiddenState
            return taught.slice(axis: 1, benchmark.configuration.teacher.prefixTokenCount..<taught.shape[1]).copy()
        }
        for _ in 0..<warmup {
            try step(alignedTo: nil)
            try step(alignedTo: cached)
        }
        var baseline: [Double] = [], viral: [Double] = []
        for _ in 0..<steps {
            baseline.append(try time { try step(alignedTo: nil) })
            viral.append(try time { try step(alignedTo: cached) })
        }
        return (median(baseline), median(viral))
    }

    /// One step: tower forward without gradients, projector + decoder forward/backward, AdamW;
    /// with `targets`, also VIRAL's alignment loss against them.
    func step(alignedTo targets: Tensor?) throws {
        let b = benchmark, c = b.configuration
        let features = try noGrad { () throws -> Tensor in
            let states = try b.tower(b.pixels).hiddenStates
            let selected = states[c.featureLayer < 0 ? states.count + c.featureLayer : c.featureLayer]
            return selected.slice(axis: 1, c.tower.prefixTokenCount..<selected.shape[1])
        }
        let embeddings = Tensor.concatenate([b.projector(features), b.decoder.embed(b.textIDs)], axis: 1)
        let output = b.decoder.forward(embeddings: embeddings, returningHiddenStates: targets != nil, logitPositions: b.next.positions)
        var loss = output.logits.crossEntropy(targets: b.next.targets)
        if let targets {
            let visual = (0..<c.batch).map { (row: $0, positions: Array(0..<c.imageTokens)) }
            loss = loss + b.alignment.loss(hiddenStates: output.hiddenStates, visualPositions: visual, targets: [targets])
                .scaled(by: c.alignment.weight)
        }
        b.optimizer.zeroGradients()
        loss.backward()
        b.optimizer.update()
    }

    private func time(_ body: () throws -> Void) rethrows -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        try body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9
    }

    private func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }
}
