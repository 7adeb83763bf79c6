import NN
import Tensor

/// What a LLaVA forward pass returns.
public struct LlavaOutput {
    public var logits: Tensor
    /// The decoder's hidden states (transformers convention), when requested.
    public var hiddenStates: [Tensor]
    /// Projected image features [images·N, D] (llava-hf `image_features`), nil without images.
    public var imageFeatures: Tensor?
    /// The tower's selected features before the projector [images, N, Dz] (VIRAL's "encoder" target).
    public var towerFeatures: Tensor?
    /// Per batch row, the sequence positions that hold visual tokens (empty for text-only rows).
    public var imagePositions: [[Int]]
    /// Mean next-token cross-entropy over learned labels, when labels were given.
    public var loss: Tensor?
    public var attentionWeights: [Tensor]
}

/// A LLaVA model: vision tower → projector → decoder, with image features spliced into the
/// decoder's input at the image-token positions. Keys follow the llava-hf layout.
public final class LlavaModel: Module {
    public let config: LlavaConfig
    public let visionTower: VisionTransformer
    public let projector: Projector
    public let languageModel: DecoderLM

    public init(config: LlavaConfig, generator: inout RandomGenerator) {
        self.config = config
        visionTower = VisionTransformer(config: config.vision, generator: &generator)
        projector = Projector(kind: config.projector, inFeatures: config.vision.hiddenSize,
                              outFeatures: config.decoder.hiddenSize, bias: config.projectorBias, generator: &generator)
        languageModel = DecoderLM(config: config.decoder, generator: &generator)
    }

    public var namedParameters: [NamedParameter] {
        prefixed("vision_tower", visionTower) + prefixed("multi_modal_projector", projector)
            + prefixed("language_model", languageModel)
    }

    /// The tower's features that feed the projector: hidden_states[featureLayer], class token and
    /// registers dropped when the strategy says so. [images, N, Dz].
    public func towerFeatures(_ pixels: Tensor) throws -> Tensor {
        let output = try visionTower(pixels)
        let states = output.hiddenStates
        let index = config.featureLayer < 0 ? states.count + config.featureLayer : config.featureLayer
        guard index >= 0 && index < states.count else {
            throw ModelInputError("vision feature layer \(config.featureLayer) is outside the tower's \(states.count) hidden states")
        }
        let selected = states[index]
        let prefix = config.vision.prefixTokenCount
        return config.dropsClassToken ? selected.slice(axis: 1, prefix..<selected.shape[1]) : selected
    }

    /// Runs the model.
    /// - Parameters:
    ///   - inputIDs: token rows of equal length; each image occupies `imageTokenCount` consecutive
    ///     positions holding `config.imageTokenID` (see `expandingImagePlaceholders`).
    ///   - pixelValues: [images, C, H, W], images in the order their tokens appear.
    ///   - visualTokenHook: transforms the projected features before they are spliced in (the patch
    ///     shuffle analysis uses it).
    ///   - layerHook: transforms the output of decoder block ℓ (1-based) before the next block
    ///     (the residual-injection baselines use it).
    public func forward(inputIDs: [[Int]], pixelValues: Tensor?, attentionMask: [[Bool]]? = nil,
                        labels: [[Int]]? = nil, imageRows: [Int]? = nil, returningHiddenStates: Bool = false,
                        returningAttentionWeights: Bool = false,
                        visualTokenHook: ((Tensor) -> Tensor)? = nil,
                        layerHook: ((_ layer: Int, _ hidden: Tensor) -> Tensor)? = nil) throws -> LlavaOutput {
        let input = try inputEmbeddings(inputIDs: inputIDs, pixelValues: pixelValues, imageRows: imageRows,
                                        visualTokenHook: visualTokenHook)
        let output = languageModel.forward(embeddings: input.embeddings, attentionMask: attentionMask,
                                           returningHiddenStates: returningHiddenStates,
                                           returningAttentionWeights: returningAttentionWeights, layerHook: layerHook)
        let loss = labels.map { DecoderLM.causalLanguageModelLoss(logits: output.logits, labels: $0) }
        return LlavaOutput(logits: output.logits, hiddenStates: output.hiddenStates, imageFeatures: input.imageFeatures,
                           towerFeatures: input.towerFeatures, imagePositions: input.imagePositions, loss: loss,
                           attentionWeights: output.attentionWeights)
    }

    /// The decoder's input: token embeddings with the projected image features spliced in at the
    /// image-token positions. [B, T, D].
    /// - Parameter imageRows: the batch row of each image (default: the rows holding image tokens,
    ///   in order); needed when an image's tokens were all cut by truncation.
    public func inputEmbeddings(inputIDs: [[Int]], pixelValues: Tensor?, imageRows: [Int]? = nil,
                                visualTokenHook: ((Tensor) -> Tensor)? = nil) throws
        -> (embeddings: Tensor, imagePositions: [[Int]], imageFeatures: Tensor?, towerFeatures: Tensor?) {
        let (batch, tokens, width) = (inputIDs.count, inputIDs.first?.count ?? 0, config.decoder.hiddenSize)
        let imageID = config.imageTokenID, vocabulary = config.decoder.vocabularySize
        for (b, row) in inputIDs.enumerated() {
            guard row.count == tokens else { throw ModelInputError("input_ids rows differ in length (row \(b): \(row.count), row 0: \(tokens)); pad them") }
            if let bad = row.first(where: { $0 != imageID && ($0 < 0 || $0 >= vocabulary) }) {
                throw ModelInputError("input_ids row \(b) holds id \(bad), outside the vocabulary of \(vocabulary)")
            }
        }
        let positions = inputIDs.map { row in row.indices.filter { row[$0] == imageID } }
        // Image positions look up row 0 and are overwritten by the features below.
        var embeddings = languageModel.embedTokens(inputIDs.flatMap { row in row.map { $0 == imageID ? 0 : $0 } })
        var towerOutput: Tensor?, features: Tensor?
        if let pixelValues {
            let selected = try towerFeatures(pixelValues)
            towerOutput = selected
            var projected = projector(selected)
            if let visualTokenHook { projected = visualTokenHook(projected) }
            let perImage = projected.shape[1]
            let flat = projected.reshaped([-1, width])
            features = flat
            // Image i fills the image tokens of row imageRows[i]; a row truncated by the maximum
            // length keeps only its first image tokens.
            let rows = imageRows ?? positions.indices.filter { !positions[$0].isEmpty }
            guard rows.count == pixelValues.shape[0] else {
                throw ModelInputError("\(pixelValues.shape[0]) image(s) for \(rows.count) rows with image tokens (id \(imageID))")
            }
            var sources: [Int] = [], destinations: [Int] = []
            for (image, row) in rows.enumerated() {
                guard positions[row].count <= perImage else {
                    throw ModelInputError("input_ids row \(row) holds \(positions[row].count) image tokens (id \(imageID)) but an image gives \(perImage) visual tokens")
                }
                sources += (0..<positions[row].count).map { image * perImage + $0 }
                destinations += positions[row].map { row * tokens + $0 }
            }
            let used = sources.count == flat.shape[0] ? flat : flat.gatherRows(sources)
            embeddings = embeddings.scatteringRows(used, at: destinations)
        } else if positions.contains(where: { !$0.isEmpty }) {
            throw ModelInputError("input_ids hold image tokens (id \(imageID)) but no pixel_values were given")
        }
        return (embeddings.reshaped([batch, tokens, width]), positions, features, towerOutput)
    }

    /// Expands each single image placeholder id into `imageTokenCount` copies (the original LLaVA
    /// form, one `<image>` per image) — labels get −100 and the mask `true` at the new positions.
    public func expandingImagePlaceholders(_ ids: [Int], labels: [Int]? = nil, placeholder: Int? = nil)
        -> (ids: [Int], labels: [Int]?) {
        let marker = placeholder ?? config.imageTokenID, n = config.imageTokenCount
        var outIDs: [Int] = [], outLabels: [Int]? = labels == nil ? nil : []
        for (i, id) in ids.enumerated() {
            if id == marker {
                outIDs += Array(repeating: config.imageTokenID, count: n)
                outLabels? += Array(repeating: -100, count: n)
            } else {
                outIDs.append(id)
                outLabels?.append(labels![i])
            }
        }
        return (outIDs, outLabels)
    }
}
