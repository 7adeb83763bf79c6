/// Fused loss functions.
extension Tensor {
    /// Mean cross-entropy of `self` (logits, [N, V] or [..., V]) against `targets` (one per row);
    /// rows whose target is `ignoreIndex` are skipped and the mean is over counted rows
    /// (PyTorch `cross_entropy(reduction="mean", ignore_index=-100)`). Zero when no row counts.
    public func crossEntropy(targets: [Int], ignoreIndex: Int = -100) -> Tensor {
        let width = shape[rank - 1], rows = count / max(width, 1)
        precondition(targets.count == rows, "\(targets.count) targets for \(rows) rows of logits")
        let counted = targets.filter { $0 != ignoreIndex }.count
        let losses = UnsafeMutablePointer<Float>.allocate(capacity: max(rows, 1))
        defer { losses.deallocate() }
        let x = data
        Parallel.forEachChunk(rows, minChunk: 4) { range in
            for r in range {
                let t = targets[r]
                guard t != ignoreIndex else { losses[r] = 0; continue }
                precondition(t >= 0 && t < width, "target \(t) out of range 0..<\(width)")
                let xr = x + r * width
                losses[r] = Softmax.logSumExp(xr, width) - xr[t]
            }
        }
        var total: Double = 0
        for r in 0..<rows { total += Double(losses[r]) }
        let out = Tensor(scalar: counted == 0 ? 0 : Float(total / Double(counted)))
        return out.recorded(from: [self]) { out in
            guard counted > 0 else { return }
            let scale = out.grad!.data[0] / Float(counted), gx = self.gradBuffer()
            Parallel.forEachChunk(rows, minChunk: 4) { range in
                for r in range where targets[r] != ignoreIndex {
                    let xr = x + r * width, gr = gx + r * width
                    let lse = Softmax.logSumExp(xr, width)
                    for i in 0..<width { gr[i] += FastMath.exp(xr[i] - lse) * scale }
                    gr[targets[r]] -= scale
                }
            }
        }
    }
}
