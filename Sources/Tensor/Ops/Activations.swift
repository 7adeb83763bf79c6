import Foundation

/// Elementwise functions and activations, each with its derivative.
extension Tensor {
    public func exp() -> Tensor { unary(self, Exponential.self) }
    public func log() -> Tensor { unary(self, Logarithm.self) }
    public func sqrt() -> Tensor { unary(self, SquareRoot.self) }
    public func rsqrt() -> Tensor { unary(self, ReciprocalSquareRoot.self) }
    public func tanh() -> Tensor { unary(self, HyperbolicTangent.self) }
    public func sigmoid() -> Tensor { unary(self, Sigmoid.self) }
    public func square() -> Tensor { unary(self, Square.self) }

    /// SiLU (swish): x·σ(x).
    public func silu() -> Tensor { unary(self, SiLU.self) }

    /// GELU, exact erf form (PyTorch `gelu`, transformers `"gelu"`).
    public func gelu() -> Tensor { unary(self, GELU.self) }

    /// GELU, tanh approximation (transformers `"gelu_pytorch_tanh"`, `"gelu_new"`).
    public func geluTanh() -> Tensor { unary(self, TanhGELU.self) }

    /// Quick GELU, x·σ(1.702x) (CLIP).
    public func quickGelu() -> Tensor { unary(self, QuickGELU.self) }

    /// SiLU(self)·other in one pass (the Llama MLP's gate).
    public func siluMul(_ other: Tensor) -> Tensor {
        precondition(shape == other.shape, "siluMul shapes \(shape) and \(other.shape)")
        let out = Tensor(uninitialized: shape)
        let g = data, u = other.data, y = out.data
        Parallel.forEachChunk(count, minChunk: transcendentalChunk) { r in
            for i in r { y[i] = g[i] * FastMath.sigmoid(g[i]) * u[i] }
        }
        return out.recorded(from: [self, other]) { out in
            let dy = out.grad!.data
            let dg = self.needsGrad ? self.gradBuffer() : nil
            let du = other.needsGrad ? other.gradBuffer() : nil
            Parallel.forEachChunk(self.count, minChunk: transcendentalChunk) { r in
                for i in r {
                    let s = FastMath.sigmoid(g[i])
                    if let du { du[i] += dy[i] * g[i] * s }
                    if let dg { dg[i] += dy[i] * u[i] * s * (1 + g[i] * (1 - s)) }
                }
            }
        }
    }
}

/// Elements per thread at least for loops that evaluate an exponential per element (they do
/// more work per element than a plain sum, so smaller chunks pay for the thread).
let transcendentalChunk = 1 << 13

/// A function applied to every element, with its derivative. Static methods rather than
/// closures: `unary` is specialised for each type, so the function is inlined into the loops
/// and they vectorise (a closure would be called once per element).
protocol ElementwiseFunction {
    static func value(_ x: Float) -> Float
    /// dy/dx at input x with output y.
    static func derivative(_ x: Float, _ y: Float) -> Float
}

/// y = F(x) elementwise; backward multiplies by F's derivative.
func unary<F: ElementwiseFunction>(_ x: Tensor, _ function: F.Type) -> Tensor {
    let out = Tensor(uninitialized: x.shape)
    let px = x.data, py = out.data
    Parallel.forEachChunk(x.count, minChunk: transcendentalChunk) { r in for i in r { py[i] = F.value(px[i]) } }
    return out.recorded(from: [x]) { out in
        let g = out.grad!.data, gx = x.gradBuffer()
        Parallel.forEachChunk(x.count, minChunk: transcendentalChunk) { r in
            for i in r { gx[i] += g[i] * F.derivative(px[i], py[i]) }
        }
    }
}

enum Exponential: ElementwiseFunction {
    static func value(_ x: Float) -> Float { FastMath.exp(x) }
    static func derivative(_ x: Float, _ y: Float) -> Float { y }
}

enum Logarithm: ElementwiseFunction {
    static func value(_ x: Float) -> Float { Foundation.log(x) }
    static func derivative(_ x: Float, _ y: Float) -> Float { 1 / x }
}

enum SquareRoot: ElementwiseFunction {
    static func value(_ x: Float) -> Float { x.squareRoot() }
    static func derivative(_ x: Float, _ y: Float) -> Float { 0.5 / y }
}

enum ReciprocalSquareRoot: ElementwiseFunction {
    static func value(_ x: Float) -> Float { 1 / x.squareRoot() }
    static func derivative(_ x: Float, _ y: Float) -> Float { -0.5 * y * y * y }
}

enum HyperbolicTangent: ElementwiseFunction {
    static func value(_ x: Float) -> Float { FastMath.tanh(x) }
    static func derivative(_ x: Float, _ y: Float) -> Float { 1 - y * y }
}

enum Sigmoid: ElementwiseFunction {
    static func value(_ x: Float) -> Float { FastMath.sigmoid(x) }
    static func derivative(_ x: Float, _ y: Float) -> Float { y * (1 - y) }
}

enum Square: ElementwiseFunction {
    static func value(_ x: Float) -> Float { x * x }
    static func derivative(_ x: Float, _ y: Float) -> Float { 2 * x }
}

enum SiLU: ElementwiseFunction {
    static func value(_ x: Float) -> Float { x * FastMath.sigmoid(x) }
    static func derivative(_ x: Float, _ y: Float) -> Float {
        let s = FastMath.sigmoid(x)
        return s * (1 + x * (1 - s))
    }
}

enum GELU: ElementwiseFunction {
    static func value(_ x: Float) -> Float { 0.5 * x * (1 + FastMath.erf(x * 0.707_106_78)) }
    static func derivative(_ x: Float, _ y: Float) -> Float {
        let cdf = 0.5 * (1 + FastMath.erf(x * 0.707_106_78))
        return cdf + x * 0.398_942_28 * FastMath.exp(-0.5 * x * x)
    }
}

enum TanhGELU: ElementwiseFunction {
    static func value(_ x: Float) -> Float {
        0.5 * x * (1 + FastMath.tanh(0.797_884_56 * (x + 0.044_715 * x * x * x)))
    }
    static func derivative(_ x: Float, _ y: Float) -> Float {
        let t = FastMath.tanh(0.797_884_56 * (x + 0.044_715 * x * x * x))
        return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * 0.797_884_56 * (1 + 3 * 0.044_715 * x * x)
    }
}

enum QuickGELU: ElementwiseFunction {
    static func value(_ x: Float) -> Float { x * FastMath.sigmoid(1.702 * x) }
    static func derivative(_ x: Float, _ y: Float) -> Float {
        let s = FastMath.sigmoid(1.702 * x)
        return s + 1.702 * x * s * (1 - s)
    }
}
