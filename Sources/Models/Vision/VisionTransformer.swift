import NN
import Tensor
import Vision

/// What a vision tower returns (transformers' names).
public struct VisionOutput {
    /// [0] = the encoder's input (CLIP: after `pre_layrnorm`), [i] = output of block i.
    public var hiddenStates: [Tensor]
    /// CLIP: the last block's output; SigLIP and DINOv2: after the final layer norm.
    public var lastHiddenState: Tensor
    /// CLIP: `post_layernorm` of the class token; SigLIP: the attention-pooled vector (when it
    /// has a head); DINOv2: the normed class token.
    public var pooled: Tensor?
    /// Attention weights per block, [B, heads, T, T], when requested.
    public var attentionWeights: [Tensor]
}

/// One ViT covering CLIP, SigLIP and DINOv2 (± registers), with their checkpoint names.
public final class VisionTransformer: Module {
    public let config: VisionConfig
    /// Patch projection stored as the conv kernel [D, C, p, p].
    public let patchWeight: Tensor
    public let patchBias: Tensor?
    public let classToken: Tensor?
    /// [positions, D] (CLIP/SigLIP) or [1, positions, D] (DINOv2), positions = grid² (+1 with a class token).
    public let positionEmbedding: Tensor
    public let registerTokens: Tensor?
    /// DINOv2's `mask_token` (used only for masked-image pretraining; kept so checkpoints round-trip).
    public let maskToken: Tensor?
    public let preLayernorm: LayerNorm?
    public let layers: [VisionLayer]
    /// CLIP/SigLIP `post_layernorm`, DINOv2 `layernorm`.
    public let finalLayernorm: LayerNorm
    public let head: AttentionPoolingHead?

    public init(config: VisionConfig, generator: inout RandomGenerator) {
        self.config = config
        let (d, p, std) = (config.hiddenSize, config.patchSize, config.initializerRange)
        patchWeight = Tensor.randomNormal([d, config.channels, p, p], std: std, using: &generator)
        patchBias = config.family == .clip ? nil : Tensor(zeros: [d])
        classToken = config.hasClassToken ? Tensor.randomNormal(config.family == .dinov2 ? [1, 1, d] : [d], std: std, using: &generator) : nil
        let positions = config.gridSize * config.gridSize + (config.hasClassToken ? 1 : 0)
        positionEmbedding = Tensor.randomNormal(config.family == .dinov2 ? [1, positions, d] : [positions, d], std: std, using: &generator)
        registerTokens = config.registerCount > 0 ? Tensor.randomNormal([1, config.registerCount, d], std: std, using: &generator) : nil
        maskToken = config.family == .dinov2 ? Tensor(zeros: [1, d]) : nil
        for t in [patchWeight, patchBias, classToken, positionEmbedding, registerTokens, maskToken].compactMap({ $0 }) {
            t.requiresGrad = true
        }
        preLayernorm = config.family == .clip ? LayerNorm(width: d, eps: config.layerNormEps) : nil
        layers = (0..<config.layerCount).map { _ in VisionLayer(config: config, generator: &generator) }
        finalLayernorm = LayerNorm(width: d, eps: config.layerNormEps)
        head = config.usesHead ? AttentionPoolingHead(config: config, generator: &generator) : nil
    }

    public var namedParameters: [NamedParameter] {
        switch config.family {
        case .clip:
            return [("embeddings.class_embedding", classToken!), ("embeddings.patch_embedding.weight", patchWeight),
                    ("embeddings.position_embedding.weight", positionEmbedding)]
                + prefixed("pre_layrnorm", preLayernorm) + prefixed("encoder.layers", layers)
                + prefixed("post_layernorm", finalLayernorm)
        case .siglip:
            return [("embeddings.patch_embedding.weight", patchWeight), ("embeddings.patch_embedding.bias", patchBias!),
                    ("embeddings.position_embedding.weight", positionEmbedding)]
                + prefixed("encoder.layers", layers) + prefixed("post_layernorm", finalLayernorm) + prefixed("head", head)
        case .dinov2:
            var embeddings: [NamedParameter] = [("embeddings.cls_token", classToken!), ("embeddings.mask_token", maskToken!),
                                                ("embeddings.patch_embeddings.projection.weight", patchWeight),
                                                ("embeddings.patch_embeddings.projection.bias", patchBias!),
                                                ("embeddings.position_embeddings", positionEmbedding)]
            if let registerTokens { embeddings.append(("embeddings.register_tokens", registerTokens)) }
            return embeddings + prefixed("encoder.layer", layers) + prefixed("layernorm", finalLayernorm)
        }
    }

    /// Runs the tower on `pixels` [B, C, H, W]; H and W must be multiples of the patch size
    /// (and equal to the configured size, except for DINOv2, which interpolates its positions).
    public func callAsFunction(_ pixels: Tensor, returningAttentionWeights: Bool = false) throws -> VisionOutput {
        var h = try embed(pixels)
        if let preLayernorm { h = preLayernorm(h) }
        var hidden = [h], weights: [Tensor] = []
        for layer in layers {
            let (next, w) = layer(h, keepingWeights: returningAttentionWeights)
            h = next
            hidden.append(h)
            if let w { weights.append(w) }
        }
        let batch = pixels.shape[0], d = config.hiddenSize
        switch config.family {
        case .clip:
            let pooled = finalLayernorm(h.slice(axis: 1, 0..<1).reshaped([batch, d]))
            return VisionOutput(hiddenStates: hidden, lastHiddenState: h, pooled: pooled, attentionWeights: weights)
        case .siglip:
            let last = finalLayernorm(h)
            return VisionOutput(hiddenStates: hidden, lastHiddenState: last, pooled: head.map { $0(last) }, attentionWeights: weights)
        case .dinov2:
            let last = finalLayernorm(h)
            return VisionOutput(hiddenStates: hidden, lastHiddenState: last,
                                pooled: last.slice(axis: 1, 0..<1).reshaped([batch, d]), attentionWeights: weights)
        }
    }

    /// Patch embeddings + class token + positions (+ registers): [B, prefix + gridH·gridW, D].
    func embed(_ pixels: Tensor) throws -> Tensor {
        let (batch, channels, height, width) = (pixels.shape[0], pixels.shape[1], pixels.shape[2], pixels.shape[3])
        let (p, d) = (config.patchSize, config.hiddenSize)
        guard pixels.rank == 4, channels == config.channels, height % p == 0, width % p == 0 else {
            throw ModelInputError("pixel_values of shape \(pixels.shape) do not fit a tower with \(config.channels) channels and \(p)-pixel patches")
        }
        let (rows, columns) = (height / p, width / p)
        // Non-overlapping patches in (channel, y, x) order, as the conv kernel is laid out.
        let patches = pixels.reshaped([batch, channels, rows, p, columns, p]).permuted([0, 2, 4, 1, 3, 5])
            .reshaped([batch, rows * columns, channels * p * p])
        var x = patches.linear(patchWeight.reshaped([d, channels * p * p]), bias: patchBias)
        if let classToken {
            x = Tensor.concatenate([Tensor(zeros: [batch, 1, d]) + classToken.reshaped([1, 1, d]), x], axis: 1)
        }
        x = x + (try positions(rows: rows, columns: columns))
        if let registerTokens {
            let registers = Tensor(zeros: [batch, config.registerCount, d]) + registerTokens
            x = Tensor.concatenate([x.slice(axis: 1, 0..<1), registers, x.slice(axis: 1, 1..<x.shape[1])], axis: 1)
        }
        return x
    }

    /// Position embeddings for a rows × columns grid, [1, prefix + rows·columns, D].
    private func positions(rows: Int, columns: Int) throws -> Tensor {
        let d = config.hiddenSize, grid = config.gridSize
        let table = positionEmbedding.reshaped([1, positionEmbedding.count / d, d])
        if rows == grid && columns == grid { return table }
        guard config.family == .dinov2 else {
            throw ModelInputError("a \(config.family.rawValue) tower trained on \(grid)×\(grid) patches cannot take a \(rows)×\(columns) grid; resize the image to \(config.imageSize)×\(config.imageSize)")
        }
        // DINOv2: bicubic interpolation (align_corners = false) of the patch positions, as transformers;
        // its with-registers variant passes antialias=True.
        let patchTable = Array(table.scalars[d...])
        let interpolation: GridInterpolation = config.registerCount > 0 ? .bicubicAntialiased : .bicubic
        let resampled = interpolation.resample(patchTable, height: grid, width: grid, channels: d,
                                                           outputHeight: rows, outputWidth: columns)
        let classPosition = table.slice(axis: 1, 0..<1)
        let interpolated = Tensor(resampled, shape: [1, rows * columns, d])
        return Tensor.concatenate([classPosition, interpolated], axis: 1)
    }
}

/// Inputs that do not fit the model (a user-facing error).
public struct ModelInputError: Error, CustomStringConvertible, LocalizedError {
    public let description: String
    public init(_ description: String) { self.description = description }
    public var errorDescription: String? { description }
}

import Foundation
