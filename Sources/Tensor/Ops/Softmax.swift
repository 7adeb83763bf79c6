/// Softmax and log-softmax over the last axis.
extension Tensor {
    /// softmax(x) over the last axis.
    public func softmax() -> Tensor {
        let width = shape[rank - 1], rows = count / max(width, 1)
        let out = Tensor(uninitialized: shape)
        let x = data, y = out.data
        Parallel.forEachChunk(rows, minChunk: max(1, 8192 / max(width, 1))) { range in
            for r in range { Softmax.row(x + r * width, y + r * width, width) }
        }
        return out.recorded(from: [self]) { out in
            let g = out.grad!.data, gx = self.gradBuffer()
            Parallel.forEachChunk(rows, minChunk: max(1, 8192 / max(width, 1))) { range in
                for r in range {
                    let yr = y + r * width, gr = g + r * width, gxr = gx + r * width
                    let dot = RowReduction.dot(gr, yr, width)
                    for i in 0..<width { gxr[i] += yr[i] * (gr[i] - dot) }
                }
            }
        }
    }

    /// log(softmax(x)) over the last axis, computed stably.
    public func logSoftmax() -> Tensor {
        let width = shape[rank - 1], rows = count / max(width, 1)
        let out = Tensor(uninitialized: shape)
        let x = data, y = out.data
        Parallel.forEachChunk(rows, minChunk: max(1, 8192 / max(width, 1))) { range in
            for r in range {
                let xr = x + r * width, yr = y + r * width
                let lse = Softmax.logSumExp(xr, width)
                for i in 0..<width { yr[i] = xr[i] - lse }
            }
        }
        return out.recorded(from: [self]) { out in
            let g = out.grad!.data, gx = self.gradBuffer()
            Parallel.forEachChunk(rows, minChunk: max(1, 8192 / max(width, 1))) { range in
                for r in range {
                    let yr = y + r * width, gr = g + r * width, gxr = gx + r * width
                    let sum = RowReduction.sum(gr, width)
                    for i in 0..<width { gxr[i] += gr[i] - FastMath.exp(yr[i]) * sum }
                }
            }
        }
    }
}

/// Row kernels shared by softmax, cross-entropy and attention.
public enum Softmax {
    /// y = softmax(x) for one row of `n` values.
    @inline(__always)
    public static func row(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
        if UnsafePointer(y) != x { y.update(from: x, count: n) }
        rowInPlace(y, n)
    }

    /// row = softmax(row) for one row of `n` values. (One pointer: with two that may be equal,
    /// LLVM's overlap check fails in place and the loop runs scalar.)
    @inline(__always)
    public static func rowInPlace(_ row: UnsafeMutablePointer<Float>, _ n: Int) {
        let maximum = RowReduction.maximum(row, n)
        if maximum == -.infinity { row.update(repeating: 0, count: n); return }
        for i in 0..<n { row[i] = FastMath.exp(row[i] - maximum) }
        let inverse = 1 / RowReduction.sum(row, n)
        for i in 0..<n { row[i] *= inverse }
    }

    /// log Σ exp(x) for one row.
    @inline(__always)
    public static func logSumExp(_ x: UnsafePointer<Float>, _ n: Int) -> Float {
        let maximum = RowReduction.maximum(x, n)
        return maximum + Foundation.log(RowReduction.sumOfExponentials(x, n, minus: maximum))
    }
}

import Foundation
