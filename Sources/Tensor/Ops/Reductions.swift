/// Sums and means over axes.
extension Tensor {
    /// The sum of all elements, as a zero-dimensional tensor.
    public func sum() -> Tensor { reshaped([count]).sum(axis: 0) }

    /// The mean of all elements, as a zero-dimensional tensor.
    public func mean() -> Tensor { sum().scaled(by: 1 / Float(count)) }

    /// The sum over the given axes (negative counts from the end).
    public func sum(axes: [Int], keepingDimensions: Bool = false) -> Tensor {
        let resolved = Set(axes.map { Shape.axis($0, rank: rank) }).sorted(by: >)
        var result = self
        for axis in resolved { result = result.sum(axis: axis, keepingDimension: true) }
        if keepingDimensions { return result }
        let kept = shape.indices.filter { !resolved.contains($0) }.map { shape[$0] }
        return result.reshaped(kept)
    }

    /// The mean over the given axes.
    public func mean(axes: [Int], keepingDimensions: Bool = false) -> Tensor {
        let n = Set(axes.map { Shape.axis($0, rank: rank) }).reduce(1) { $0 * shape[$1] }
        return sum(axes: axes, keepingDimensions: keepingDimensions).scaled(by: 1 / Float(n))
    }

    /// The sum over one axis.
    public func sum(axis: Int, keepingDimension: Bool = false) -> Tensor {
        let axis = Shape.axis(axis, rank: rank)
        let outer = shape[..<axis].reduce(1, *), n = shape[axis], inner = shape[(axis + 1)...].reduce(1, *)
        var outShape = shape
        if keepingDimension { outShape[axis] = 1 } else { outShape.remove(at: axis) }
        let out = Tensor(zeros: outShape)
        let x = data, y = out.data
        Parallel.forEachChunk(outer, minChunk: max(1, 4096 / max(n * inner, 1))) { r in
            for o in r {
                let dst = y + o * inner
                for j in 0..<n {
                    let src = x + (o * n + j) * inner
                    for i in 0..<inner { dst[i] += src[i] }
                }
            }
        }
        return out.recorded(from: [self]) { out in
            let g = out.grad!.data, gx = self.gradBuffer()
            Parallel.forEachChunk(outer, minChunk: max(1, 4096 / max(n * inner, 1))) { r in
                for o in r {
                    let src = g + o * inner
                    for j in 0..<n {
                        let dst = gx + (o * n + j) * inner
                        for i in 0..<inner { dst[i] += src[i] }
                    }
                }
            }
        }
    }
}
