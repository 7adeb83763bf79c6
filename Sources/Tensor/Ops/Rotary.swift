import Foundation

/// Rotary position embedding in transformers' "rotate half" form.
extension Tensor {
    /// Rotates each head of `self` ([rows, heads·headDim], or [..., heads·headDim] with one
    /// position per row) by its position: for i < d/2, (x_i, x_{i+d/2}) is rotated by angle
    /// position · θ^(−2i/d). Angles and their cos/sin are computed as transformers does, in F32.
    public func rotaryEmbedding(heads: Int, positions: [Int], theta: Float,
                                inverseFrequencies: [Float]? = nil) -> Tensor {
        let width = shape[rank - 1], rows = count / max(width, 1)
        let headDim = width / heads, half = headDim / 2
        precondition(headDim * heads == width && headDim % 2 == 0, "rotary: width \(width) for \(heads) heads")
        precondition(positions.count == rows, "rotary: \(positions.count) positions for \(rows) rows")
        let table = RotaryTable(positions: positions, half: half,
                                inverseFrequencies: inverseFrequencies ?? RotaryTable.inverseFrequencies(headDim: headDim, theta: theta))
        let out = Tensor(uninitialized: shape)
        let x = data, y = out.data
        Parallel.forEachChunk(rows, minChunk: 16) { range in
            for r in range {
                let c = table.cos + r * half, s = table.sin + r * half
                for h in 0..<heads {
                    let xr = x + r * width + h * headDim, yr = y + r * width + h * headDim
                    for i in 0..<half {
                        let a = xr[i], b = xr[i + half]
                        yr[i] = a * c[i] - b * s[i]
                        yr[i + half] = b * c[i] + a * s[i]
                    }
                }
            }
        }
        return out.recorded(from: [self]) { out in
            let g = out.grad!.data, gx = self.gradBuffer()
            Parallel.forEachChunk(rows, minChunk: 16) { range in
                for r in range {
                    let c = table.cos + r * half, s = table.sin + r * half
                    for h in 0..<heads {
                        let gr = g + r * width + h * headDim, gxr = gx + r * width + h * headDim
                        for i in 0..<half {
                            let a = gr[i], b = gr[i + half]
                            gxr[i] += a * c[i] + b * s[i]
                            gxr[i + half] += b * c[i] - a * s[i]
                        }
                    }
                }
            }
        }
    }
}

/// cos and sin of every (row, frequency) angle.
final class RotaryTable: @unchecked Sendable {
    let cos: UnsafeMutablePointer<Float>
    let sin: UnsafeMutablePointer<Float>

    /// θ^(−2i/d) for i < d/2, as transformers computes it (F32 power of an F32 exponent).
    static func inverseFrequencies(headDim: Int, theta: Float) -> [Float] {
        (0..<(headDim / 2)).map { i in 1 / Float(Foundation.pow(Double(theta), Double(Float(2 * i) / Float(headDim)))) }
    }

    init(positions: [Int], half: Int, inverseFrequencies: [Float]) {
        cos = .allocate(capacity: max(positions.count * half, 1))
        sin = .allocate(capacity: max(positions.count * half, 1))
        for (r, p) in positions.enumerated() {
            for i in 0..<half {
                let angle = Float(p) * inverseFrequencies[i]
                cos[r * half + i] = Float(Foundation.cos(Double(angle)))
                sin[r * half + i] = Float(Foundation.sin(Double(angle)))
            }
        }
    }

    deinit {
        cos.deallocate()
        sin.deallocate()
    }
}
