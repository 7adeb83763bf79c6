import Dispatch
import Models
import NN
import Tensor
import VIRAL

/// One VIRAL training step on random weights and a random batch, as `shared/bench/torch_reference.py`
/// runs it: the frozen tower and teacher forward without gradients; projector, decoder (fully
/// trained, no LoRA) and alignment projector forward and backward under L_LM + λ·L_VRA; an AdamW
/// update of all three.
///
/// Each row holds N image tokens then T text tokens; labels are −100 on the image tokens and on
/// the first T/2 text tokens.
public final class TrainingBenchmark {
    public let configuration: TrainingBenchmarkConfiguration
    public let tower: VisionTransformer
    public let teacher: VisionTransformer
    public let projector: Projector
    public let decoder: DecoderLM
    public let alignment: VisualRepresentationAlignment
    public let optimizer: AdamW
    /// [batch, 3, S, S] standard normal values.
    public let pixels: Tensor
    /// Text token ids per row (uniform in 3..<vocabulary).
    public let textIDs: [[Int]]
    /// Labels per row over all N + T positions.
    public let labels: [[Int]]
    /// The positions whose next-token label counts, and those labels.
    let next: (positions: [Int], targets: [Int])
    /// Whether the step computes logits at every position, as `torch_reference.py` does, instead
    /// of only where a label counts (the same loss and gradients either way).
    public let computesAllLogits: Bool

    /// Builds the model and the batch from `seed`.
    public init(configuration: TrainingBenchmarkConfiguration, seed: UInt64 = 0, computingAllLogits: Bool = false) {
        self.configuration = configuration
        computesAllLogits = computingAllLogits
        var generator = RandomGenerator(seed: seed)
        tower = VisionTransformer(config: configuration.tower, generator: &generator)
        teacher = VisionTransformer(config: configuration.teacher, generator: &generator)
        tower.setTrainable(false)
        teacher.setTrainable(false)
        decoder = DecoderLM(config: configuration.decoder, generator: &generator)
        projector = Projector(kind: configuration.projector, inFeatures: configuration.tower.hiddenSize,
                              outFeatures: configuration.decoder.hiddenSize, generator: &generator)
        alignment = VisualRepresentationAlignment(
            configuration: configuration.alignment, hiddenSize: configuration.decoder.hiddenSize,
            targets: [("teacher", configuration.teacher.hiddenSize)], generator: &generator)
        let groups = [("decoder", decoder.parameters), ("projector", projector.parameters),
                      ("alignment_projector", alignment.parameters)].map { name, parameters in
            ParameterGroup(name: name, parameters: parameters, learningRate: configuration.learningRate,
                           weightDecay: configuration.weightDecay)
        }
        optimizer = AdamW(groups: groups, beta1: configuration.beta1, beta2: configuration.beta2, eps: configuration.eps)

        let (batch, n, t, size) = (configuration.batch, configuration.imageTokens, configuration.textTokens, configuration.imageSize)
        pixels = Tensor.randomNormal([batch, 3, size, size], using: &generator)
        let vocabulary = UInt64(configuration.decoder.vocabularySize)
        textIDs = (0..<batch).map { _ in (0..<t).map { _ in 3 + Int(generator.next() % (vocabulary - 3)) } }
        labels = textIDs.map { ids in Array(repeating: -100, count: n + t / 2) + ids[(t / 2)...] }
        next = DecoderLM.nextTokenTargets(labels: labels)
    }

    /// Runs one step (forward, backward, update) and returns its loss L_LM + λ·L_VRA.
    @discardableResult
    public func step() throws -> Float {
        let c = configuration
        let (features, targets) = try noGrad { () throws -> (Tensor, Tensor) in
            let states = try tower(pixels).hiddenStates
            let selected = states[c.featureLayer < 0 ? states.count + c.featureLayer : c.featureLayer]
            let taught = try teacher(pixels).lastHiddenState
            return (selected.slice(axis: 1, c.tower.prefixTokenCount..<selected.shape[1]),
                    taught.slice(axis: 1, c.teacher.prefixTokenCount..<taught.shape[1]))
        }
        let embeddings = Tensor.concatenate([projector(features), decoder.embed(textIDs)], axis: 1)
        // Logits only where a label counts: the same loss and gradients as all B·L logits, for
        // a fraction of the vocabulary-wide product (TrainingStepFLOPs counts what is done).
        let output = decoder.forward(embeddings: embeddings, returningHiddenStates: true,
                                     logitPositions: computesAllLogits ? nil : next.positions)
        let language = computesAllLogits ? DecoderLM.causalLanguageModelLoss(logits: output.logits, labels: labels)
                                         : output.logits.crossEntropy(targets: next.targets)
        let visual = (0..<c.batch).map { (row: $0, positions: Array(0..<c.imageTokens)) }
        let vra = alignment.loss(hiddenStates: output.hiddenStates, visualPositions: visual, targets: [targets])
        let loss = language + vra.scaled(by: c.alignment.weight)
        optimizer.zeroGradients()
        loss.backward()
        optimizer.update()
        return loss.item
    }

    /// Runs `warmup` untimed steps, then times `steps` steps.
    public func measure(warmup: Int, steps: Int) throws -> TrainingBenchmarkResult {
        for _ in 0..<warmup { try step() }
        var seconds: [Double] = []
        var losses: [Float] = []
        for _ in 0..<steps {
            let start = DispatchTime.now().uptimeNanoseconds
            losses.append(try step())
            seconds.append(Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9)
        }
        return TrainingBenchmarkResult(configuration: configuration, stepSeconds: seconds, losses: losses,
                                       flopsPerStep: TrainingStepFLOPs.count(configuration,
                                                                             logitRows: computesAllLogits ? nil : next.positions.count),
                                       referenceFlopsPerStep: TrainingStepFLOPs.count(configuration))
    }
}

/// Timings of a benchmark run and the figures derived from them.
public struct TrainingBenchmarkResult {
    public let configuration: TrainingBenchmarkConfiguration
    /// Wall-clock seconds of each timed step.
    public let stepSeconds: [Double]
    /// The loss of each timed step.
    public let losses: [Float]
    /// Matrix-multiply FLOPs one step performs (see `TrainingStepFLOPs`).
    public let flopsPerStep: Double
    /// Matrix-multiply FLOPs of the reference step, which computes logits at every position.
    public let referenceFlopsPerStep: Double

    /// The median step time in seconds (the mean of the middle two for an even count).
    public var medianSeconds: Double {
        let sorted = stepSeconds.sorted()
        guard !sorted.isEmpty else { return .nan }
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }

    /// Decoder positions (image and text tokens) per second.
    public var tokensPerSecond: Double {
        Double(configuration.batch * configuration.sequenceLength) / medianSeconds
    }

    /// Achieved matrix-multiply throughput over the median step.
    public var gigaflopsPerSecond: Double { flopsPerStep / medianSeconds / 1e9 }
}
