import Models
import NN
import Tensor

/// The pilot-study baselines of the paper: after decoder block ℓ, add visual features back into
/// the visual positions — either the projector's output P(z) (Eq. 3) or a trainable adapter A(z)
/// of the raw tower features (Eq. 4).
public final class ResidualInjection: Module {
    public enum Source: String, Sendable, Codable {
        /// Eq. 3: h_ℓ ← h_ℓ + P(z) at the visual positions.
        case projectedFeatures = "projector"
        /// Eq. 4: h_ℓ ← h_ℓ + A(z), A a trainable Linear → GELU → Linear on the tower's features.
        case adaptedTowerFeatures = "adapter"
    }

    public let source: Source
    public let layer: Int
    /// A, for `.adaptedTowerFeatures`.
    public let adapter: Projector?

    public init(source: Source, layer: Int, towerWidth: Int, hiddenSize: Int, generator: inout RandomGenerator) {
        self.source = source
        self.layer = layer
        adapter = source == .adaptedTowerFeatures
            ? Projector(kind: .mlp2xGelu, inFeatures: towerWidth, outFeatures: hiddenSize, generator: &generator) : nil
    }

    public var namedParameters: [NamedParameter] { prefixed("adapter", adapter) }

    /// The hook to pass as `layerHook`, for a batch whose visual tokens sit at `positions`
    /// (per row) and whose image features are `projected` [images·N, D] (the model's
    /// `imageFeatures`) and `tower` [images, N, Dz].
    public func layerHook(positions: [[Int]], projected: Tensor, tower: Tensor) -> (Int, Tensor) -> Tensor {
        let injected = adapter.map { $0(tower).reshaped([-1, $0.linear1.outFeatures]) } ?? projected
        return { [layer] block, hidden in
            guard block == layer else { return hidden }
            let (tokens, width) = (hidden.shape[1], hidden.shape[2])
            let rows = positions.enumerated().flatMap { row, list in list.map { row * tokens + $0 } }
            guard !rows.isEmpty else { return hidden }
            let flat = hidden.reshaped([-1, width])
            let count = min(rows.count, injected.shape[0])
            let added = flat.gatherRows(Array(rows.prefix(count))) + injected.slice(axis: 0, 0..<count)
            return flat.scatteringRows(added, at: Array(rows.prefix(count))).reshaped(hidden.shape)
        }
    }
}
