import Models

/// The matrix-multiply floating-point operations of one benchmark training step, counted
/// analytically from the configuration (elementwise work, norms and softmaxes are not counted).
///
/// A product of an m×k and a k×n matrix costs 2·m·n·k. A linear layer over r rows, i → o features,
/// costs 2·r·i·o forward; backward costs the same again for the input gradient (when its input
/// needs one) and again for the weight gradient. Attention over L positions with head size d costs
/// 2·L·L·d per head for Q·Kᵀ and the same for P·V forward, and four such products backward
/// (dV, dP, dQ, dK); the causal mask is not subtracted, as the kernels compute the full squares.
/// The frozen tower and teacher run forward only.
public enum TrainingStepFLOPs {
    /// The count for one step of `configuration`.
    /// - Parameter logitRows: decoder positions whose logits are computed (nil: all batch·L of
    ///   them, as `torch_reference.py` does).
    public static func count(_ configuration: TrainingBenchmarkConfiguration, logitRows: Int? = nil) -> Double {
        let c = configuration
        let images = Double(c.batch), n = Double(c.imageTokens)
        var total = visionForward(c.tower, images: c.batch) + visionForward(c.teacher, images: c.batch)

        // Projector: its input (tower features) needs no gradient, so the first layer has no dX.
        let visualRows = images * n
        total += linear(rows: visualRows, c.tower.hiddenSize, c.decoder.hiddenSize, backward: .weightOnly)
        if c.projector == .mlp2xGelu {
            total += linear(rows: visualRows, c.decoder.hiddenSize, c.decoder.hiddenSize, backward: .full)
        }

        // Decoder blocks: every linear with both gradients (the embeddings carry the projector's).
        let decoder = c.decoder, rows = images * Double(c.sequenceLength)
        let qWidth = decoder.headCount * decoder.headDim, kvWidth = decoder.kvHeadCount * decoder.headDim
        var block = linear(rows: rows, decoder.hiddenSize, qWidth, backward: .full)
            + 2 * linear(rows: rows, decoder.hiddenSize, kvWidth, backward: .full)
            + linear(rows: rows, qWidth, decoder.hiddenSize, backward: .full)
            + 2 * linear(rows: rows, decoder.hiddenSize, decoder.intermediateSize, backward: .full)
            + linear(rows: rows, decoder.intermediateSize, decoder.hiddenSize, backward: .full)
        let l = Double(c.sequenceLength)
        block += 6 * 2 * images * Double(decoder.headCount) * l * l * Double(decoder.headDim)
        total += Double(decoder.layerCount) * block
        total += linear(rows: Double(logitRows ?? c.batch * c.sequenceLength), decoder.hiddenSize,
                        decoder.vocabularySize, backward: .full)

        // Alignment projector D → P → P → teacher width, on the visual positions of each aligned layer.
        let p = c.alignment.projectorSize, target = c.teacher.hiddenSize
        let projector = linear(rows: visualRows, decoder.hiddenSize, p, backward: .full)
            + linear(rows: visualRows, p, p, backward: .full) + linear(rows: visualRows, p, target, backward: .full)
        total += Double(c.alignment.layers.count) * projector
        if c.alignment.objective == .relation {
            // Gram matrices: a·aᵀ of the projected states forward and its two operand gradients
            // backward, b·bᵀ of the targets forward.
            let gram = 2 * images * n * n * Double(target)
            total += Double(c.alignment.layers.count) * 4 * gram
        }
        return total
    }

    private enum LinearBackward { case none, weightOnly, full }

    private static func linear(rows: Double, _ inputs: Int, _ outputs: Int, backward: LinearBackward) -> Double {
        let one = 2 * rows * Double(inputs) * Double(outputs)
        switch backward {
        case .none: return one
        case .weightOnly: return 2 * one
        case .full: return 3 * one
        }
    }

    /// A frozen ViT's forward pass: patch embedding, then per block four D×D projections, the MLP
    /// and attention over all tokens (patches and class token/registers).
    private static func visionForward(_ config: VisionConfig, images: Int) -> Double {
        let grid = config.gridSize, patches = Double(images * grid * grid)
        let tokens = Double(grid * grid + config.prefixTokenCount), rows = Double(images) * tokens
        let d = config.hiddenSize
        var total = linear(rows: patches, config.channels * config.patchSize * config.patchSize, d, backward: .none)
        let block = 4 * linear(rows: rows, d, d, backward: .none)
            + linear(rows: rows, d, config.intermediateSize, backward: .none)
            + linear(rows: rows, config.intermediateSize, d, backward: .none)
            + 2 * 2 * Double(images) * tokens * tokens * Double(d)
        total += Double(config.layerCount) * block
        return total
    }
}
