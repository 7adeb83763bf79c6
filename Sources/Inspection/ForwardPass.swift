import Models
import NN
import Tensor

/// Runs a loaded model on `ForwardInputs` and collects what it computes under the names of the
/// PyTorch fixtures, so the result can be compared tensor by tensor with transformers:
/// - decoders: `logits`, `hidden_states.0…L`, `loss` (with labels);
/// - vision towers: `hidden_states.0…L`, `last_hidden_state`, `pooler_output`;
/// - LLaVA: `image_features` (with images), `hidden_states.0…L`, `logits`, `loss` (with labels).
/// With gradients, the loss is backpropagated and `grad.<key>` added for every parameter under
/// the model's own keys (zeros for parameters the loss does not reach, where PyTorch has None).
public enum ForwardPass {
    /// Runs `model` on `inputs`; with `gradients`, also backpropagates the loss (labels needed).
    public static func run(_ model: LoadedModel, inputs: ForwardInputs, gradients: Bool = false) throws -> NamedTensors {
        let module = model.module
        if gradients {
            try checkLossIsComputed(model, inputs)
            module.setTrainable(true)
            module.zeroGradients()
        }
        let evaluate = { () throws -> (NamedTensors, Tensor?) in
            switch model {
            case .decoder(let decoder): return try run(decoder, inputs, kind: model.kindDescription)
            case .vision(let tower): return try run(tower, inputs, kind: model.kindDescription)
            case .llava(let llava): return try run(llava, inputs, kind: model.kindDescription)
            }
        }
        let (computed, loss) = gradients ? try evaluate() : try noGrad(evaluate)
        var outputs = computed
        if let loss { outputs.append("loss", Tensor([loss.item], shape: [1])) }
        guard gradients, let loss else { return outputs }
        loss.backward()
        for (key, parameter) in module.namedParameters {
            outputs.append("grad." + key, parameter.grad ?? Tensor(zeros: parameter.shape))
        }
        return outputs
    }

    /// Gradients need a loss: labels, and a model that has one.
    static func checkLossIsComputed(_ model: LoadedModel, _ inputs: ForwardInputs) throws {
        if case .vision = model {
            throw InspectionError("a \(model.kindDescription) computes no loss, so there are no gradients to write; drop --gradients")
        }
        guard inputs.labels != nil else {
            throw InspectionError("\(inputs.origin) has no tensor 'labels', which a \(model.kindDescription) needs for the loss that --gradients differentiates")
        }
    }

    static func run(_ model: DecoderLM, _ inputs: ForwardInputs, kind: String) throws -> (NamedTensors, Tensor?) {
        let ids = try required(inputs.inputIDs, "input_ids", inputs, kind)
        try checkIDs(ids, "input_ids", vocabulary: model.config.vocabularySize, inputs)
        if let labels = inputs.labels { try checkIDs(labels, "labels", vocabulary: model.config.vocabularySize, inputs, ignored: -100) }
        let output = model.forward(embeddings: model.embed(ids), attentionMask: inputs.attentionMask, returningHiddenStates: true)
        var outputs = NamedTensors()
        outputs.append("logits", output.logits)
        for (i, state) in output.hiddenStates.enumerated() { outputs.append("hidden_states.\(i)", state) }
        return (outputs, inputs.labels.map { DecoderLM.causalLanguageModelLoss(logits: output.logits, labels: $0) })
    }

    static func run(_ model: VisionTransformer, _ inputs: ForwardInputs, kind: String) throws -> (NamedTensors, Tensor?) {
        let pixels = try required(inputs.pixelValues, "pixel_values", inputs, kind)
        let output = try model(pixels)
        var outputs = NamedTensors()
        for (i, state) in output.hiddenStates.enumerated() { outputs.append("hidden_states.\(i)", state) }
        outputs.append("last_hidden_state", output.lastHiddenState)
        if let pooled = output.pooled { outputs.append("pooler_output", pooled) }
        return (outputs, nil)
    }

    static func run(_ model: LlavaModel, _ inputs: ForwardInputs, kind: String) throws -> (NamedTensors, Tensor?) {
        var ids = try required(inputs.inputIDs, "input_ids", inputs, kind)
        try checkIDs(ids, "input_ids", vocabulary: nil, inputs)
        let imageID = model.config.imageTokenID
        if let marker = inputs.imageTokenID, marker != imageID {
            ids = ids.map { row in row.map { $0 == marker ? imageID : $0 } }
        }
        let imageTokens = ids.reduce(0) { $0 + $1.filter { $0 == imageID }.count }
        if imageTokens > 0 && inputs.pixelValues == nil {
            throw InspectionError("\(inputs.origin) has no tensor 'pixel_values', which a \(kind) needs for the \(imageTokens) image tokens in 'input_ids'")
        }
        if let labels = inputs.labels {
            try checkIDs(labels, "labels", vocabulary: model.config.decoder.vocabularySize, inputs, ignored: -100)
        }
        let output = try model.forward(inputIDs: ids, pixelValues: inputs.pixelValues, attentionMask: inputs.attentionMask,
                                       labels: inputs.labels, returningHiddenStates: true)
        var outputs = NamedTensors()
        if let features = output.imageFeatures { outputs.append("image_features", features) }
        for (i, state) in output.hiddenStates.enumerated() { outputs.append("hidden_states.\(i)", state) }
        outputs.append("logits", output.logits)
        return (outputs, output.loss)
    }

    static func required<Value>(_ value: Value?, _ name: String, _ inputs: ForwardInputs, _ kind: String) throws -> Value {
        guard let value else { throw InspectionError("\(inputs.origin) has no tensor '\(name)', which a \(kind) needs") }
        return value
    }

    /// Rows must be non-empty, and every id inside the vocabulary (when given) or `ignored`.
    static func checkIDs(_ rows: [[Int]], _ name: String, vocabulary: Int?, _ inputs: ForwardInputs, ignored: Int? = nil) throws {
        guard let first = rows.first, !first.isEmpty else {
            throw InspectionError("'\(name)' in \(inputs.origin) is empty")
        }
        guard let vocabulary else { return }
        for (b, row) in rows.enumerated() {
            if let bad = row.first(where: { $0 != ignored && !(0..<vocabulary).contains($0) }) {
                throw InspectionError("'\(name)' in \(inputs.origin) row \(b) holds id \(bad), outside the vocabulary of \(vocabulary)")
            }
        }
    }
}
