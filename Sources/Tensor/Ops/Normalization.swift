/// Fused layer norm and RMS norm over the last axis (statistics in F32, as transformers).
extension Tensor {
    /// RMS norm (Llama, Qwen2): x / √(mean(x²) + eps) · weight.
    public func rmsNorm(weight: Tensor, eps: Float) -> Tensor {
        let width = shape[rank - 1], rows = count / max(width, 1)
        precondition(weight.shape == [width], "rmsNorm weight \(weight.shape) for width \(width)")
        let out = Tensor(uninitialized: shape)
        let saved = RowStatistics(rows: rows, withMean: false)
        let rstd = saved.rstd
        let x = data, w = weight.data, y = out.data
        Parallel.forEachChunk(rows, minChunk: max(1, 8192 / max(width, 1))) { range in
            for r in range {
                let xr = x + r * width, yr = y + r * width
                let sumSquares = RowReduction.dot(xr, xr, width)
                let s = 1 / (sumSquares / Float(width) + eps).squareRoot()
                rstd[r] = s
                for i in 0..<width { yr[i] = xr[i] * s * w[i] }
            }
        }
        return out.recorded(from: [self, weight]) { out in
            let g = out.grad!.data
            let gx = self.needsGrad ? self.gradBuffer() : nil
            if let gx {
                Parallel.forEachChunk(rows, minChunk: max(1, 8192 / max(width, 1))) { range in
                    for r in range {
                        let xr = x + r * width, gr = g + r * width, gxr = gx + r * width
                        let s = saved.rstd[r]
                        // dx = s·(g∘w) − s³/n · x · Σ(g∘w∘x)
                        let dot = RowReduction.dot(gr, w, xr, width)
                        let c = s * s * s * dot / Float(width)
                        for i in 0..<width { gxr[i] += s * gr[i] * w[i] - c * xr[i] }
                    }
                }
            }
            if weight.needsGrad {
                let gw = weight.gradBuffer()
                Parallel.forEachColumnBlock(width, rows: rows) { columns in
                    for r in 0..<rows {
                        let xr = x + r * width, gr = g + r * width, s = saved.rstd[r]
                        for i in columns { gw[i] += gr[i] * xr[i] * s }
                    }
                }
            }
        }
    }

    /// Layer norm over the last axis with affine weight and bias.
    public func layerNorm(weight: Tensor, bias: Tensor, eps: Float) -> Tensor {
        let width = shape[rank - 1], rows = count / max(width, 1)
        precondition(weight.shape == [width] && bias.shape == [width], "layerNorm weight/bias for width \(width)")
        let out = Tensor(uninitialized: shape)
        let stats = RowStatistics(rows: rows, withMean: true)
        let x = data, w = weight.data, b = bias.data, y = out.data
        Parallel.forEachChunk(rows, minChunk: max(1, 8192 / max(width, 1))) { range in
            for r in range {
                let xr = x + r * width, yr = y + r * width
                let mean = RowReduction.sum(xr, width) / Float(width)
                let variance = RowReduction.sumOfSquaredDeviations(xr, width, from: mean)
                let s = 1 / (variance / Float(width) + eps).squareRoot()
                stats.mean![r] = mean
                stats.rstd[r] = s
                for i in 0..<width { yr[i] = (xr[i] - mean) * s * w[i] + b[i] }
            }
        }
        return out.recorded(from: [self, weight, bias]) { out in
            let g = out.grad!.data
            if self.needsGrad {
                let gx = self.gradBuffer()
                Parallel.forEachChunk(rows, minChunk: max(1, 8192 / max(width, 1))) { range in
                    for r in range {
                        let xr = x + r * width, gr = g + r * width, gxr = gx + r * width
                        let mean = stats.mean![r], s = stats.rstd[r]
                        // dx = s · (ĝ − mean(ĝ) − x̂ · mean(ĝ∘x̂)), ĝ = g∘w
                        var sumG: Float = 0, sumGX: Float = 0
                        for i in 0..<width {
                            let gh = gr[i] * w[i]
                            sumG += gh
                            sumGX += gh * (xr[i] - mean) * s
                        }
                        let meanG = sumG / Float(width), meanGX = sumGX / Float(width)
                        for i in 0..<width {
                            let xhat = (xr[i] - mean) * s
                            gxr[i] += s * (gr[i] * w[i] - meanG - xhat * meanGX)
                        }
                    }
                }
            }
            if weight.needsGrad || bias.needsGrad {
                let gw = weight.needsGrad ? weight.gradBuffer() : nil
                let gb = bias.needsGrad ? bias.gradBuffer() : nil
                Parallel.forEachColumnBlock(width, rows: rows) { columns in
                    for r in 0..<rows {
                        let xr = x + r * width, gr = g + r * width
                        let mean = stats.mean![r], s = stats.rstd[r]
                        if let gw { for i in columns { gw[i] += gr[i] * (xr[i] - mean) * s } }
                        if let gb { for i in columns { gb[i] += gr[i] } }
                    }
                }
            }
        }
    }
}

/// Per-row statistics saved by a norm's forward pass for its backward pass.
final class RowStatistics: @unchecked Sendable {
    let rstd: UnsafeMutablePointer<Float>
    let mean: UnsafeMutablePointer<Float>?

    init(rows: Int, withMean: Bool) {
        rstd = .allocate(capacity: max(rows, 1))
        mean = withMean ? .allocate(capacity: max(rows, 1)) : nil
    }

    deinit {
        rstd.deallocate()
        mean?.deallocate()
    }
}
