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
                    var dot: Float = 0
                    for i in 0..<width { dot += gr[i] * yr[i] }
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
                    var sum: Float = 0
                    for i in 0..<width { sum += gr[i] }
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
        var maximum = -Float.infinity
        for i in 0..<n { maximum = Swift.max(maximum, x[i]) }
        if maximum == -.infinity { y.update(repeating: 0, count: n); return }
        var sum: Float = 0
        for i in 0..<n {
            let e = FastMath.exp(x[i] - maximum)
            y[i] = e
            sum += e
        }
        let inverse = 1 / sum
        for i in 0..<n { y[i] *= inverse }
    }

    /// log Σ exp(x) for one row.
    @inline(__always)
    public static func logSumExp(_ x: UnsafePointer<Float>, _ n: Int) -> Float {
        var maximum = -Float.infinity
        for i in 0..<n { maximum = Swift.max(maximum, x[i]) }
        var sum: Float = 0
        for i in 0..<n { sum += FastMath.exp(x[i] - maximum) }
        return maximum + Foundation.log(sum)
    }
}

import Foundation
