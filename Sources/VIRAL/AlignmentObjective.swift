import Tensor

/// How projected visual states are compared with their targets.
public enum AlignmentObjective: String, Sendable, Codable, CaseIterable {
    /// −cos(Pπ(h_i), y_i) per token, averaged (VIRAL's default).
    case cosine
    /// MSE between the token–token Gram matrices of the L2-normalised projected states and of the
    /// L2-normalised targets (relation-level alignment, the paper's ablation).
    case relation

    /// The loss for `projected` and `targets`, both [samples, N, d]: the mean over samples of the
    /// per-sample loss.
    public func loss(projected: Tensor, targets: Tensor) -> Tensor {
        precondition(projected.shape == targets.shape, "alignment shapes \(projected.shape) vs \(targets.shape)")
        switch self {
        case .cosine:
            return -projected.cosineSimilarity(targets).mean()
        case .relation:
            let a = projected.l2Normalized(), b = targets.l2Normalized()
            let difference = a.matmul(a, transposeOther: true) - b.matmul(b, transposeOther: true)
            return difference.square().mean()
        }
    }
}
