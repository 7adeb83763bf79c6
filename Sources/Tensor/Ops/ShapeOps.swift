/// Reshaping, permuting, concatenating and slicing.
extension Tensor {
    /// The same elements under a new shape (one axis may be −1). Shares storage.
    public func reshaped(_ newShape: [Int]) -> Tensor {
        var resolved = newShape
        if let hole = newShape.firstIndex(of: -1) {
            let known = newShape.enumerated().filter { $0.offset != hole }.reduce(1) { $0 * $1.element }
            resolved[hole] = count / max(known, 1)
        }
        precondition(Shape.count(resolved) == count, "cannot reshape \(shape) to \(newShape)")
        let out = Tensor(shape: resolved, storage: storage)
        return out.recorded(from: [self]) { out in self.receiveGradient(of: out) }
    }

    /// Axes reordered: output axis i is input axis `order[i]`.
    public func permuted(_ order: [Int]) -> Tensor {
        precondition(order.sorted() == Array(0..<rank), "permutation \(order) for rank \(rank)")
        let outShape = order.map { shape[$0] }
        let out = Tensor(uninitialized: outShape)
        permuteCopy(from: data, shape: shape, order: order, to: out.data, accumulate: false)
        return out.recorded(from: [self]) { out in
            var inverse = [Int](repeating: 0, count: order.count)
            for (i, axis) in order.enumerated() { inverse[axis] = i }
            permuteCopy(from: out.grad!.data, shape: outShape, order: inverse, to: self.gradBuffer(), accumulate: true)
        }
    }

    /// Two axes swapped.
    public func transposed(_ a: Int = -2, _ b: Int = -1) -> Tensor {
        var order = Array(0..<rank)
        order.swapAt(Shape.axis(a, rank: rank), Shape.axis(b, rank: rank))
        return permuted(order)
    }

    /// Elements `range` along `axis`.
    public func slice(axis: Int, _ range: Range<Int>) -> Tensor {
        let axis = Shape.axis(axis, rank: rank)
        precondition(range.lowerBound >= 0 && range.upperBound <= shape[axis], "slice \(range) of axis size \(shape[axis])")
        let outer = shape[..<axis].reduce(1, *), inner = shape[(axis + 1)...].reduce(1, *)
        var outShape = shape
        outShape[axis] = range.count
        let out = Tensor(uninitialized: outShape)
        let n = shape[axis], m = range.count, start = range.lowerBound
        let x = data, y = out.data
        for o in 0..<outer {
            (y + o * m * inner).update(from: x + (o * n + start) * inner, count: m * inner)
        }
        return out.recorded(from: [self]) { out in
            let g = out.grad!.data, gx = self.gradBuffer()
            for o in 0..<outer {
                let src = g + o * m * inner, dst = gx + (o * n + start) * inner
                for i in 0..<(m * inner) { dst[i] += src[i] }
            }
        }
    }

    /// Tensors joined along `axis`; all other axes must agree.
    public static func concatenate(_ tensors: [Tensor], axis: Int) -> Tensor {
        precondition(!tensors.isEmpty, "concatenate of no tensors")
        let first = tensors[0]
        let axis = Shape.axis(axis, rank: first.rank)
        let outer = first.shape[..<axis].reduce(1, *), inner = first.shape[(axis + 1)...].reduce(1, *)
        var outShape = first.shape
        outShape[axis] = tensors.reduce(0) { $0 + $1.shape[axis] }
        for t in tensors {
            var expected = outShape
            expected[axis] = t.shape[axis]
            precondition(t.shape == expected, "concatenate: shape \(t.shape) does not fit \(outShape) on axis \(axis)")
        }
        let out = Tensor(uninitialized: outShape)
        let total = outShape[axis]
        var offset = 0
        var offsets: [Int] = []
        for t in tensors {
            offsets.append(offset)
            let m = t.shape[axis]
            for o in 0..<outer {
                (out.data + (o * total + offset) * inner).update(from: t.data + o * m * inner, count: m * inner)
            }
            offset += m
        }
        return out.recorded(from: tensors) { out in
            let g = out.grad!.data
            for (t, offset) in zip(tensors, offsets) where t.needsGrad {
                let m = t.shape[axis], gt = t.gradBuffer()
                for o in 0..<outer {
                    let src = g + (o * total + offset) * inner, dst = gt + o * m * inner
                    for i in 0..<(m * inner) { dst[i] += src[i] }
                }
            }
        }
    }
}

/// Copies `source` (contiguous, `shape`) into `destination` laid out with axes `order`.
func permuteCopy(from source: UnsafeMutablePointer<Float>, shape: [Int], order: [Int],
                 to destination: UnsafeMutablePointer<Float>, accumulate: Bool) {
    let rank = shape.count
    let inStrides = Shape.strides(shape)
    let outShape = order.map { shape[$0] }
    let stridesInOutOrder = order.map { inStrides[$0] }
    let total = Shape.count(shape)
    guard total > 0 else { return }
    // Walk the output in order; the innermost output axis is a strided run over the input.
    let innerSize = outShape[rank - 1], innerStride = stridesInOutOrder[rank - 1]
    let rows = total / innerSize
    Parallel.forEachChunk(rows, minChunk: max(1, 4096 / innerSize)) { range in
        for row in range {
            var rest = row, base = 0
            for axis in stride(from: rank - 2, through: 0, by: -1) {
                base += (rest % outShape[axis]) * stridesInOutOrder[axis]
                rest /= outShape[axis]
            }
            let dst = destination + row * innerSize
            let src = source + base
            if accumulate {
                for i in 0..<innerSize { dst[i] += src[i * innerStride] }
            } else {
                for i in 0..<innerSize { dst[i] = src[i * innerStride] }
            }
        }
    }
}
