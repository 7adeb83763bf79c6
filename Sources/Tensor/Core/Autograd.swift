/// One recorded op: the tensors it read and how to send its output's gradient back to them.
///
/// The backward closure reads `output.grad` and adds into each input's gradient (llm.c style:
/// gradients accumulate with `+=`, so a tensor used twice simply receives two contributions and
/// GEMMs can accumulate with beta = 1).
final class Node {
    let inputs: [Tensor]
    let backward: (_ output: Tensor) -> Void

    init(inputs: [Tensor], backward: @escaping (_ output: Tensor) -> Void) {
        self.inputs = inputs
        self.backward = backward
    }
}

/// Whether ops record the autograd graph. Turned off inside `noGrad`.
public enum GradMode {
    nonisolated(unsafe) static var disabledDepth = 0
    /// True when ops record their backward steps.
    public static var isEnabled: Bool { disabledDepth == 0 }
}

/// Runs `body` without recording the autograd graph (frozen towers, inference, optimiser steps).
@discardableResult
public func noGrad<Result>(_ body: () throws -> Result) rethrows -> Result {
    GradMode.disabledDepth += 1
    defer { GradMode.disabledDepth -= 1 }
    return try body()
}

extension Tensor {
    /// Makes `result` the output of a recorded op with these inputs, when any input needs a
    /// gradient and recording is on; otherwise leaves it a plain tensor. Returns `result`.
    @discardableResult
    func recorded(from inputs: [Tensor], backward: @escaping (_ output: Tensor) -> Void) -> Tensor {
        guard GradMode.isEnabled, inputs.contains(where: { $0.needsGrad }) else { return self }
        node = Node(inputs: inputs, backward: backward)
        return self
    }

    /// The gradient buffer of this tensor, created zero-filled on first use. Backward steps add
    /// into it.
    func gradBuffer() -> UnsafeMutablePointer<Float> {
        if let grad { return grad.data }
        let fresh = Tensor(zeros: shape)
        grad = fresh
        return fresh.data
    }

    /// The gradient buffer for a product that adds into it (C = A·B + beta·C): the buffer, and
    /// beta = 0 when the buffer is new and uninitialised (the product fills it; no zero-filling
    /// pass), else 1.
    func gradBufferForProduct() -> (buffer: UnsafeMutablePointer<Float>, beta: Float) {
        if let grad { return (grad.data, 1) }
        let fresh = Tensor(uninitialized: shape)
        grad = fresh
        return (fresh.data, 0)
    }

    /// Passes `output`'s gradient on unchanged to this tensor (an input with as many elements).
    /// When this tensor has no gradient yet and `output` keeps none (`output`'s gradient is dead
    /// once its backward step has run), it takes the buffer over instead of copying it; a backward
    /// step may let only one input do so (`mayTakeOver`). Returns whether it took the buffer.
    @discardableResult
    func receiveGradient(of output: Tensor, mayTakeOver: Bool = true) -> Bool {
        let gradient = output.grad!
        if mayTakeOver && grad == nil && !output.requiresGrad {
            grad = Tensor(shape: shape, storage: gradient.storage)
            return true
        }
        let gx = gradBuffer(), g = gradient.data
        Parallel.forEachChunk(count) { r in for i in r { gx[i] += g[i] } }
        return false
    }

    /// Back-propagates from this tensor, which must hold one element (a loss), or with an
    /// explicit seed gradient of this tensor's shape. Gradients of parameters (`requiresGrad`
    /// leaves) accumulate in their `grad`; the graph is released as it is walked.
    public func backward(seed: Tensor? = nil) {
        if let seed {
            precondition(seed.shape == shape, "seed gradient shape \(seed.shape) ≠ \(shape)")
            gradBuffer().update(from: seed.data, count: count)
        } else {
            precondition(count == 1, "backward() without a seed needs a one-element tensor, got \(shape)")
            gradBuffer()[0] += 1
        }
        for tensor in topologicalOrder().reversed() {
            guard let node = tensor.node else { continue }
            if tensor.grad != nil { node.backward(tensor) }
            tensor.node = nil
            if !tensor.requiresGrad { tensor.grad = nil }
        }
    }

    /// Tensors reachable through recorded ops, each after all of its inputs.
    private func topologicalOrder() -> [Tensor] {
        var order: [Tensor] = []
        var visited = Set<ObjectIdentifier>()
        var stack: [(Tensor, Bool)] = [(self, false)]
        while let (tensor, expanded) = stack.popLast() {
            if expanded { order.append(tensor); continue }
            guard visited.insert(ObjectIdentifier(tensor)).inserted else { continue }
            stack.append((tensor, true))
            for input in tensor.node?.inputs ?? [] where input.node != nil {
                if !visited.contains(ObjectIdentifier(input)) { stack.append((input, false)) }
            }
        }
        return order
    }

    /// Clears the gradient (before the next accumulation).
    public func zeroGrad() { grad = nil }
}
