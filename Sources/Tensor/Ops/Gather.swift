/// Row gathers and scatters: embedding lookup, index-select, splicing image features into a
/// token sequence.
extension Tensor {
    /// Rows `indices` of the tensor viewed as [size(0), rest]: output shape [indices.count] + rest.
    /// The gradient adds back into the selected rows (an index may repeat).
    public func gatherRows(_ indices: [Int]) -> Tensor {
        let rows = shape[0], width = count / max(rows, 1)
        for i in indices { precondition(i >= 0 && i < rows, "row index \(i) out of range 0..<\(rows)") }
        let out = Tensor(uninitialized: [indices.count] + shape.dropFirst())
        let x = data, y = out.data
        Parallel.forEachChunk(indices.count, minChunk: max(1, 4096 / max(width, 1))) { r in
            for (k, i) in zip(r, indices[r]) { (y + k * width).update(from: x + i * width, count: width) }
        }
        return out.recorded(from: [self]) { out in
            let g = out.grad!.data, gx = self.gradBuffer()
            // By column blocks: a repeated index then adds into its row from one thread only.
            Parallel.forEachColumnBlock(width, rows: indices.count) { columns in
                for (k, i) in indices.enumerated() {
                    let src = g + k * width, dst = gx + i * width
                    for j in columns { dst[j] += src[j] }
                }
            }
        }
    }

    /// The embedding rows of `ids` (self is the [vocabulary, width] table).
    public func embedding(_ ids: [Int]) -> Tensor { isHalfPrecision ? embeddingHalfPrecision(ids) : gatherRows(ids) }

    /// A copy of `self` (viewed as rows) whose rows at `positions` are replaced by the rows of
    /// `values` in order. Replaced rows pass no gradient to `self`.
    public func scatteringRows(_ values: Tensor, at positions: [Int]) -> Tensor {
        let rows = shape[0], width = count / max(rows, 1)
        precondition(values.shape[0] == positions.count && values.count == positions.count * width,
                     "scatter of \(values.shape) into rows of width \(width) at \(positions.count) positions")
        let out = copy()
        let y = out.data, v = values.data
        for (k, p) in positions.enumerated() {
            precondition(p >= 0 && p < rows, "row position \(p) out of range 0..<\(rows)")
            (y + p * width).update(from: v + k * width, count: width)
        }
        return out.recorded(from: [self, values]) { out in
            let g = out.grad!.data
            if self.needsGrad {
                let gx = self.gradBuffer()
                var replaced = [Bool](repeating: false, count: rows)
                for p in positions { replaced[p] = true }
                for row in 0..<rows where !replaced[row] {
                    let src = g + row * width, dst = gx + row * width
                    for j in 0..<width { dst[j] += src[j] }
                }
            }
            if values.needsGrad {
                let gv = values.gradBuffer()
                for (k, p) in positions.enumerated() {
                    let src = g + p * width, dst = gv + k * width
                    for j in 0..<width { dst[j] += src[j] }
                }
            }
        }
    }
}
