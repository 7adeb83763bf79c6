/// L2 normalisation and cosine similarity along the last axis.
extension Tensor {
    /// x / max(‖x‖₂, eps) over the last axis (PyTorch `F.normalize(x, dim=-1)`).
    public func l2Normalized(eps: Float = 1e-12) -> Tensor {
        let width = shape[rank - 1], rows = count / max(width, 1)
        let out = Tensor(uninitialized: shape)
        let norms = RowStatistics(rows: rows, withMean: false)  // holds 1 / max(‖x‖, eps)
        let x = data, y = out.data
        Parallel.forEachChunk(rows, minChunk: max(1, 8192 / max(width, 1))) { range in
            for r in range {
                let xr = x + r * width, yr = y + r * width
                let sumSquares = RowReduction.dot(xr, xr, width)
                let inverse = 1 / Swift.max(sumSquares.squareRoot(), eps)
                norms.rstd[r] = sumSquares.squareRoot() > eps ? inverse : -inverse  // sign marks clamping
                for i in 0..<width { yr[i] = xr[i] * inverse }
            }
        }
        return out.recorded(from: [self]) { out in
            let g = out.grad!.data, gx = self.gradBuffer()
            Parallel.forEachChunk(rows, minChunk: max(1, 8192 / max(width, 1))) { range in
                for r in range {
                    let yr = y + r * width, gr = g + r * width, gxr = gx + r * width
                    let stored = norms.rstd[r]
                    if stored < 0 {  // the norm was clamped to eps: the op was a plain scaling
                        for i in 0..<width { gxr[i] += gr[i] * -stored }
                        continue
                    }
                    let dot = RowReduction.dot(gr, yr, width)
                    for i in 0..<width { gxr[i] += stored * (gr[i] - yr[i] * dot) }
                }
            }
        }
    }

    /// Cosine similarity of `self` and `other` along the last axis: shape without the last axis.
    public func cosineSimilarity(_ other: Tensor) -> Tensor {
        (l2Normalized() * other.l2Normalized()).sum(axis: -1)
    }
}
