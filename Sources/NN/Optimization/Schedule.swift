import Foundation
import Tensor

/// Learning-rate factor over training: linear warmup then cosine decay to zero, as transformers'
/// `get_cosine_schedule_with_warmup` (LLaVA-1.5 uses 3 % warmup).
public struct WarmupCosineSchedule: Sendable {
    public let warmupSteps: Int
    public let totalSteps: Int

    public init(warmupSteps: Int, totalSteps: Int) {
        self.warmupSteps = warmupSteps
        self.totalSteps = totalSteps
    }

    /// Warmup as a fraction of the total, rounded up (HF's `math.ceil(ratio · total)`).
    public init(warmupRatio: Double, totalSteps: Int) {
        self.init(warmupSteps: Int((warmupRatio * Double(totalSteps)).rounded(.up)), totalSteps: totalSteps)
    }

    /// The factor for the update taken after `step` completed updates (0-based, as HF's
    /// LambdaLR is queried).
    public func factor(at step: Int) -> Float {
        if step < warmupSteps { return Float(step) / Float(max(1, warmupSteps)) }
        let progress = Double(step - warmupSteps) / Double(max(1, totalSteps - warmupSteps))
        return Float(max(0, 0.5 * (1 + Foundation.cos(Double.pi * progress))))
    }
}

/// Global-norm gradient clipping as `torch.nn.utils.clip_grad_norm_`: when the L2 norm of all
/// gradients exceeds `maxNorm`, every gradient is scaled by maxNorm / (norm + 1e-6).
/// Returns the norm before clipping.
@discardableResult
public func clipGradientNorm(_ parameters: [Tensor], maxNorm: Float) -> Float {
    var total: Double = 0
    for p in parameters {
        guard let g = p.grad?.data else { continue }
        var sum: Double = 0
        for i in 0..<p.count { sum += Double(g[i]) * Double(g[i]) }
        total += sum
    }
    let norm = Float(total.squareRoot())
    let coefficient = maxNorm / (norm + 1e-6)
    if coefficient < 1 {
        for p in parameters {
            guard let g = p.grad?.data else { continue }
            for i in 0..<p.count { g[i] *= coefficient }
        }
    }
    return norm
}
