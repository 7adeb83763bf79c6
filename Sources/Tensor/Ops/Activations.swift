/// Elementwise functions and activations, each with its derivative.
extension Tensor {
    public func exp() -> Tensor { unary(self, { FastMath.exp($0) }, { _, y in y }) }
    public func log() -> Tensor { unary(self, { Foundation.log($0) }, { x, _ in 1 / x }) }
    public func sqrt() -> Tensor { unary(self, { $0.squareRoot() }, { _, y in 0.5 / y }) }
    public func rsqrt() -> Tensor { unary(self, { 1 / $0.squareRoot() }, { _, y in -0.5 * y * y * y }) }
    public func tanh() -> Tensor { unary(self, { FastMath.tanh($0) }, { _, y in 1 - y * y }) }
    public func sigmoid() -> Tensor { unary(self, { FastMath.sigmoid($0) }, { _, y in y * (1 - y) }) }
    public func square() -> Tensor { unary(self, { $0 * $0 }, { x, _ in 2 * x }) }

    /// SiLU (swish): x·σ(x).
    public func silu() -> Tensor {
        unary(self, { $0 * FastMath.sigmoid($0) }, { x, _ in
            let s = FastMath.sigmoid(x)
            return s * (1 + x * (1 - s))
        })
    }

    /// GELU, exact erf form (PyTorch `gelu`, transformers `"gelu"`).
    public func gelu() -> Tensor {
        unary(self, { 0.5 * $0 * (1 + FastMath.erf($0 * 0.707_106_78)) }, { x, _ in
            let cdf = 0.5 * (1 + FastMath.erf(x * 0.707_106_78))
            return cdf + x * 0.398_942_28 * FastMath.exp(-0.5 * x * x)
        })
    }

    /// GELU, tanh approximation (transformers `"gelu_pytorch_tanh"`, `"gelu_new"`).
    public func geluTanh() -> Tensor {
        unary(self, { x in
            0.5 * x * (1 + FastMath.tanh(0.797_884_56 * (x + 0.044_715 * x * x * x)))
        }, { x, _ in
            let t = FastMath.tanh(0.797_884_56 * (x + 0.044_715 * x * x * x))
            return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * 0.797_884_56 * (1 + 3 * 0.044_715 * x * x)
        })
    }

    /// Quick GELU, x·σ(1.702x) (CLIP).
    public func quickGelu() -> Tensor {
        unary(self, { $0 * FastMath.sigmoid(1.702 * $0) }, { x, _ in
            let s = FastMath.sigmoid(1.702 * x)
            return s + 1.702 * x * s * (1 - s)
        })
    }

    /// SiLU(self)·other in one pass (the Llama MLP's gate).
    public func siluMul(_ other: Tensor) -> Tensor {
        precondition(shape == other.shape, "siluMul shapes \(shape) and \(other.shape)")
        let out = Tensor(uninitialized: shape)
        let g = data, u = other.data, y = out.data
        Parallel.forEachChunk(count) { r in
            for i in r { y[i] = g[i] * FastMath.sigmoid(g[i]) * u[i] }
        }
        return out.recorded(from: [self, other]) { out in
            let dy = out.grad!.data
            let dg = self.needsGrad ? self.gradBuffer() : nil
            let du = other.needsGrad ? other.gradBuffer() : nil
            Parallel.forEachChunk(self.count) { r in
                for i in r {
                    let s = FastMath.sigmoid(g[i])
                    if let du { du[i] += dy[i] * g[i] * s }
                    if let dg { dg[i] += dy[i] * u[i] * s * (1 + g[i] * (1 - s)) }
                }
            }
        }
    }
}

import Foundation

/// y = f(x) elementwise; backward multiplies by `derivative(x, y)`.
@inline(__always)
func unary(_ x: Tensor, _ f: @escaping (Float) -> Float,
           _ derivative: @escaping (Float, Float) -> Float) -> Tensor {
    let out = Tensor(uninitialized: x.shape)
    let px = x.data, py = out.data
    Parallel.forEachChunk(x.count) { r in for i in r { py[i] = f(px[i]) } }
    return out.recorded(from: [x]) { out in
        let g = out.grad!.data, gx = x.gradBuffer()
        Parallel.forEachChunk(x.count) { r in for i in r { gx[i] += g[i] * derivative(px[i], py[i]) } }
    }
}
