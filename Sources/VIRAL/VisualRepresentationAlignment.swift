import NN
import Tensor

/// Settings of the VIRAL regulariser (DESIGN.md §1).
public struct AlignmentConfiguration: Codable, Equatable, Sendable {
    /// Decoder layers ℓ whose visual hidden states are aligned (`hidden_states[ℓ]`, 1-based block
    /// outputs); the loss averages over them.
    public var layers: [Int]
    /// λ in L = L_LM + λ·L_VRA.
    public var weight: Float
    public var objective: AlignmentObjective
    /// With several layers: one projector shared by all layers, or one per layer.
    public var sharesProjectorAcrossLayers: Bool
    /// Width of Pπ's hidden layers.
    public var projectorSize: Int

    public init(layers: [Int], weight: Float = 0.5, objective: AlignmentObjective = .cosine,
                sharesProjectorAcrossLayers: Bool = true, projectorSize: Int = 2048) {
        self.layers = layers
        self.weight = weight
        self.objective = objective
        self.sharesProjectorAcrossLayers = sharesProjectorAcrossLayers
        self.projectorSize = projectorSize
    }

    /// The paper's default layer for a decoder of `depth` blocks: 16 of 32, i.e. the middle.
    public static func defaultLayer(forDepth depth: Int) -> Int { max(1, depth / 2) }
}

/// The VIRAL regulariser L_VRA: for each target (a teacher, or the tower itself) and each aligned
/// layer, project the visual hidden states with an alignment projector and compare them with the
/// target features; the result is averaged over layers and over targets.
public final class VisualRepresentationAlignment: Module {
    public let configuration: AlignmentConfiguration
    /// Names of the targets, in the order `loss` expects their features.
    public let targetNames: [String]
    /// projectors[target][0] when shared across layers, else projectors[target][layerIndex].
    public let projectors: [[AlignmentProjector]]

    public init(configuration: AlignmentConfiguration, hiddenSize: Int, targets: [(name: String, width: Int)],
                generator: inout RandomGenerator) {
        self.configuration = configuration
        targetNames = targets.map(\.name)
        let perTarget = configuration.sharesProjectorAcrossLayers ? 1 : configuration.layers.count
        projectors = targets.map { target in
            (0..<perTarget).map { _ in
                AlignmentProjector(hiddenSize: hiddenSize, projectorSize: configuration.projectorSize,
                                   targetSize: target.width, generator: &generator)
            }
        }
    }

    /// Keys `<target>.<i>.{0,2,4}.{weight,bias}` (i = layer index, 0 when shared).
    public var namedParameters: [NamedParameter] {
        zip(targetNames, projectors).flatMap { name, list in prefixed(name, list) }
    }

    /// L_VRA for one batch.
    /// - Parameters:
    ///   - hiddenStates: the decoder's `hidden_states` ([B, T, D] each).
    ///   - visualPositions: for each sample that takes part, its row in the batch and the sequence
    ///     positions of its N visual tokens (samples without an image or with truncated image
    ///     tokens are left out by the caller).
    ///   - targets: per target, [participants, N, d] in the order of `visualPositions`.
    /// - Returns: the loss (0 when no sample takes part).
    public func loss(hiddenStates: [Tensor], visualPositions: [(row: Int, positions: [Int])],
                     targets: [Tensor]) -> Tensor {
        precondition(targets.count == projectors.count, "\(targets.count) target tensors for \(projectors.count) targets")
        guard let first = visualPositions.first else { return Tensor(scalar: 0) }
        let tokensPerImage = first.positions.count
        let width = hiddenStates[0].shape[2], sequence = hiddenStates[0].shape[1]
        let rows = visualPositions.flatMap { sample in sample.positions.map { sample.row * sequence + $0 } }
        var total: Tensor?
        for (t, target) in targets.enumerated() {
            precondition(target.shape[0] == visualPositions.count && target.shape[1] == tokensPerImage,
                         "target \(targetNames[t]) of shape \(target.shape) for \(visualPositions.count)×\(tokensPerImage) visual tokens")
            for (l, layer) in configuration.layers.enumerated() {
                let visual = hiddenStates[layer].reshaped([-1, width]).gatherRows(rows)
                    .reshaped([visualPositions.count, tokensPerImage, width])
                let projector = projectors[t][configuration.sharesProjectorAcrossLayers ? 0 : l]
                let term = configuration.objective.loss(projected: projector(visual), targets: target)
                total = total.map { $0 + term } ?? term
            }
        }
        return total!.scaled(by: 1 / Float(targets.count * configuration.layers.count))
    }
}
