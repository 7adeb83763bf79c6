import Foundation
import Tensor

/// Parameters that share a learning rate and weight decay (decoder, projector, alignment
/// projector each get their own in VIRAL training).
public struct ParameterGroup {
    public var name: String
    public var parameters: [Tensor]
    public var learningRate: Float
    public var weightDecay: Float

    public init(name: String, parameters: [Tensor], learningRate: Float, weightDecay: Float = 0) {
        self.name = name
        self.parameters = parameters
        self.learningRate = learningRate
        self.weightDecay = weightDecay
    }
}

/// AdamW (Loshchilov & Hutter) exactly as `torch.optim.AdamW`: decoupled weight decay
/// p ← p·(1 − lr·wd), bias-corrected moments, p ← p − lr/(1−β₁ᵗ) · m / (√v/√(1−β₂ᵗ) + ε).
public final class AdamW {
    public var groups: [ParameterGroup]
    public let beta1: Float, beta2: Float, eps: Float
    /// Steps taken so far.
    public private(set) var step = 0
    /// First and second moments per parameter, in group order.
    public private(set) var firstMoments: [[Tensor]]
    public private(set) var secondMoments: [[Tensor]]

    public init(groups: [ParameterGroup], beta1: Float = 0.9, beta2: Float = 0.999, eps: Float = 1e-8) {
        self.groups = groups
        self.beta1 = beta1
        self.beta2 = beta2
        self.eps = eps
        firstMoments = groups.map { $0.parameters.map { Tensor(zeros: $0.shape) } }
        secondMoments = groups.map { $0.parameters.map { Tensor(zeros: $0.shape) } }
    }

    /// Applies one update with each group's learning rate times `scale` (the schedule's factor).
    /// Parameters without a gradient are left unchanged (their moments too), as in PyTorch.
    public func update(learningRateScale scale: Float = 1) {
        step += 1
        let correction1 = 1 - Foundation.pow(beta1, Float(step))
        let correction2Root = (1 - Foundation.pow(beta2, Float(step))).squareRoot()
        let (b1, b2, eps) = (beta1, beta2, self.eps)
        for (g, group) in groups.enumerated() {
            let lr = group.learningRate * scale
            let decay = 1 - lr * group.weightDecay
            let stepSize = lr / correction1
            for (i, parameter) in group.parameters.enumerated() {
                guard let grad = parameter.grad else { continue }
                let p = parameter.data, gr = grad.data
                let m = firstMoments[g][i].data, v = secondMoments[g][i].data
                // One pass over p, g, m, v (it vectorises: see `numericFlags` in Package.swift).
                Parallel.forEachChunk(parameter.count, minChunk: 1 << 15) { range in
                    for j in range {
                        let gj = gr[j]
                        let mj = b1 * m[j] + (1 - b1) * gj
                        let vj = b2 * v[j] + (1 - b2) * gj * gj
                        m[j] = mj
                        v[j] = vj
                        p[j] = p[j] * decay - stepSize * mj / (vj.squareRoot() / correction2Root + eps)
                    }
                }
            }
        }
    }

    /// Drops the gradients of every parameter of every group.
    public func zeroGradients() {
        for group in groups { for p in group.parameters { p.grad = nil } }
    }

    /// Restores the step count and moments (from a checkpoint), checking their shapes.
    public func restore(step: Int, firstMoments: [[Tensor]], secondMoments: [[Tensor]]) throws {
        for (g, group) in groups.enumerated() {
            guard g < firstMoments.count, g < secondMoments.count,
                  firstMoments[g].map(\.shape) == group.parameters.map(\.shape),
                  secondMoments[g].map(\.shape) == group.parameters.map(\.shape)
            else { throw OptimizerStateError(group: group.name) }
        }
        self.step = step
        self.firstMoments = firstMoments
        self.secondMoments = secondMoments
    }
}

/// Saved optimiser state that does not fit the current parameters.
public struct OptimizerStateError: Error, CustomStringConvertible {
    public let group: String
    public var description: String {
        "optimizer state does not match the parameters of group \"\(group)\" (was the checkpoint made with another model or LoRA rank?)"
    }
}
