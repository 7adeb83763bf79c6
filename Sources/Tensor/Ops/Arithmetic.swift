/// Elementwise arithmetic with NumPy broadcasting.
///
/// Fast paths cover what transformers need (same shapes, a trailing-suffix operand such as a bias
/// or a norm weight, scalars); any other broadcast goes through an index walk.
public enum BinaryOp: Sendable { case add, subtract, multiply, divide }

extension Tensor {
    public static func + (a: Tensor, b: Tensor) -> Tensor { binary(.add, a, b) }
    public static func - (a: Tensor, b: Tensor) -> Tensor { binary(.subtract, a, b) }
    public static func * (a: Tensor, b: Tensor) -> Tensor { binary(.multiply, a, b) }
    public static func / (a: Tensor, b: Tensor) -> Tensor { binary(.divide, a, b) }
    public static func * (a: Tensor, s: Float) -> Tensor { a.scaled(by: s) }
    public static func * (s: Float, a: Tensor) -> Tensor { a.scaled(by: s) }
    public static func + (a: Tensor, s: Float) -> Tensor { a.adding(s) }
    public static func - (a: Tensor, s: Float) -> Tensor { a.adding(-s) }
    public static prefix func - (a: Tensor) -> Tensor { a.scaled(by: -1) }

    /// `self · s`.
    public func scaled(by s: Float) -> Tensor {
        let out = Tensor(uninitialized: shape)
        let x = data, y = out.data
        Parallel.forEachChunk(count) { r in for i in r { y[i] = x[i] * s } }
        return out.recorded(from: [self]) { out in
            let g = out.grad!.data, gx = self.gradBuffer()
            Parallel.forEachChunk(self.count) { r in for i in r { gx[i] += g[i] * s } }
        }
    }

    /// `self + s`.
    public func adding(_ s: Float) -> Tensor {
        let out = Tensor(uninitialized: shape)
        let x = data, y = out.data
        Parallel.forEachChunk(count) { r in for i in r { y[i] = x[i] + s } }
        return out.recorded(from: [self]) { out in
            let g = out.grad!.data, gx = self.gradBuffer()
            Parallel.forEachChunk(self.count) { r in for i in r { gx[i] += g[i] } }
        }
    }
}

/// `a ∘ b` with broadcasting.
func binary(_ op: BinaryOp, _ a: Tensor, _ b: Tensor) -> Tensor {
    switch op {
    case .add: return binary(a, b, Sum.self)
    case .subtract: return binary(a, b, Difference.self)
    case .multiply: return binary(a, b, Product.self)
    case .divide: return binary(a, b, Quotient.self)
    }
}

/// An elementwise operation of two operands with its partial derivatives. Static methods so
/// that `binary` is specialised for each and its loops inline and vectorise the arithmetic.
protocol BinaryFunction {
    static func value(_ a: Float, _ b: Float) -> Float
    /// g·∂f/∂a for output gradient g.
    static func gradientOfA(_ g: Float, _ a: Float, _ b: Float) -> Float
    /// g·∂f/∂b for output gradient g.
    static func gradientOfB(_ g: Float, _ a: Float, _ b: Float) -> Float
    /// Whether g·∂f/∂a is g itself (sums and differences), so `a` may take the gradient over.
    static var passesGradientToA: Bool { get }
    /// Whether g·∂f/∂b is g itself (sums).
    static var passesGradientToB: Bool { get }
}

enum Sum: BinaryFunction {
    static func value(_ a: Float, _ b: Float) -> Float { a + b }
    static func gradientOfA(_ g: Float, _ a: Float, _ b: Float) -> Float { g }
    static func gradientOfB(_ g: Float, _ a: Float, _ b: Float) -> Float { g }
    static var passesGradientToA: Bool { true }
    static var passesGradientToB: Bool { true }
}

enum Difference: BinaryFunction {
    static func value(_ a: Float, _ b: Float) -> Float { a - b }
    static func gradientOfA(_ g: Float, _ a: Float, _ b: Float) -> Float { g }
    static func gradientOfB(_ g: Float, _ a: Float, _ b: Float) -> Float { -g }
    static var passesGradientToA: Bool { true }
    static var passesGradientToB: Bool { false }
}

enum Product: BinaryFunction {
    static func value(_ a: Float, _ b: Float) -> Float { a * b }
    static func gradientOfA(_ g: Float, _ a: Float, _ b: Float) -> Float { g * b }
    static func gradientOfB(_ g: Float, _ a: Float, _ b: Float) -> Float { g * a }
    static var passesGradientToA: Bool { false }
    static var passesGradientToB: Bool { false }
}

enum Quotient: BinaryFunction {
    static func value(_ a: Float, _ b: Float) -> Float { a / b }
    static func gradientOfA(_ g: Float, _ a: Float, _ b: Float) -> Float { g / b }
    static func gradientOfB(_ g: Float, _ a: Float, _ b: Float) -> Float { -g * a / (b * b) }
    static var passesGradientToA: Bool { false }
    static var passesGradientToB: Bool { false }
}

private func binary<F: BinaryFunction>(_ a: Tensor, _ b: Tensor, _ function: F.Type) -> Tensor {
    guard let shape = Shape.broadcast(a.shape, b.shape) else {
        preconditionFailure("shapes \(a.shape) and \(b.shape) do not broadcast")
    }
    let out = Tensor(uninitialized: shape)
    let ia = BroadcastIndex(from: a.shape, to: shape), ib = BroadcastIndex(from: b.shape, to: shape)
    let pa = a.data, pb = b.data
    ElementwiseLoop.run(ia, ib, out.count, BinaryValue<F>(a: pa, b: pb, out: out.data))
    return out.recorded(from: [a, b]) { out in
        let g = out.grad!.data
        // A sum passes its gradient on unchanged: the first operand of the output's shape takes
        // the buffer over instead of copying it.
        var tookOver = false
        if a.needsGrad {
            if ia.isIdentity && F.passesGradientToA {
                tookOver = a.receiveGradient(of: out)
            } else {
                accumulateOperandGradient(a, index: ia, shape: shape) { target in
                    ElementwiseLoop.run(ia, ib, out.count, GradientOfA<F>(gradient: g, a: pa, b: pb, target: target))
                }
            }
        }
        if b.needsGrad {
            if ib.isIdentity && F.passesGradientToB {
                b.receiveGradient(of: out, mayTakeOver: !tookOver)
            } else {
                accumulateOperandGradient(b, index: ib, shape: shape) { target in
                    ElementwiseLoop.run(ia, ib, out.count, GradientOfB<F>(gradient: g, a: pa, b: pb, target: target))
                }
            }
        }
    }
}

/// Runs `accumulate`, which adds an operand's gradient over the broadcast `shape` into the buffer
/// it is given: the operand's own gradient when it has that shape, else a zeroed buffer then
/// summed over the broadcast axes into it.
private func accumulateOperandGradient(_ operand: Tensor, index: BroadcastIndex, shape: [Int],
                                       _ accumulate: (UnsafeMutablePointer<Float>) -> Void) {
    if index.isIdentity {
        accumulate(operand.gradBuffer())
    } else {
        let full = Tensor(zeros: shape)
        accumulate(full.data)
        reduceBroadcast(full, into: operand)
    }
}

/// Adds `full` (the broadcast shape) into `target`'s gradient, summing over broadcast axes.
func reduceBroadcast(_ full: Tensor, into target: Tensor) {
    let gt = target.gradBuffer()
    if full.shape == target.shape {
        let f = full.data
        Parallel.forEachChunk(full.count) { r in for i in r { gt[i] += f[i] } }
        return
    }
    let index = BroadcastIndex(from: target.shape, to: full.shape)
    let f = full.data
    // Several output positions map to one target element: a suffix operand is summed by
    // column blocks (each target element in one thread), any other broadcast serially.
    if let period = index.period {
        Parallel.forEachColumnBlock(period, rows: full.count / period) { columns in
            for row in 0..<(full.count / period) {
                let f = f + row * period
                for j in columns { gt[j] += f[j] }
            }
        }
    } else {
        for k in 0..<full.count { gt[index.source(of: k)] += f[k] }
    }
}

/// Maps a flat position in a broadcast result to the flat position in one operand.
struct BroadcastIndex {
    let outShape: [Int]
    let sourceStrides: [Int]  // 0 on broadcast axes
    let isIdentity: Bool
    /// The operand repeats with this period over the flat output (operand is a trailing suffix).
    let period: Int?

    init(from source: [Int], to out: [Int]) {
        outShape = out
        let offset = out.count - source.count
        let strides = Shape.strides(source)
        var s = [Int](repeating: 0, count: out.count)
        for axis in 0..<source.count where source[axis] != 1 || out[axis + offset] == 1 {
            s[axis + offset] = strides[axis]
        }
        sourceStrides = s
        isIdentity = source == out
        // A suffix operand (a bias, a norm weight, a scalar) repeats with a fixed period.
        let trimmed = Array(source.drop(while: { $0 == 1 }))
        period = Array(out.suffix(trimmed.count)) == trimmed ? Shape.count(trimmed) : nil
    }

    @inline(__always)
    func source(of flat: Int) -> Int {
        if isIdentity { return flat }
        if let period { return flat % period }
        var rest = flat, position = 0
        for axis in stride(from: outShape.count - 1, through: 0, by: -1) {
            let size = outShape[axis]
            position += (rest % size) * sourceStrides[axis]
            rest /= size
        }
        return position
    }
}

/// The work at one output position k, reading operand positions i and j.
protocol ElementwiseStep {
    func callAsFunction(_ i: Int, _ j: Int, _ k: Int)
}

/// out[k] = F(a[i], b[j]).
struct BinaryValue<F: BinaryFunction>: ElementwiseStep {
    let a: UnsafePointer<Float>, b: UnsafePointer<Float>, out: UnsafeMutablePointer<Float>
    @inline(__always)
    func callAsFunction(_ i: Int, _ j: Int, _ k: Int) { out[k] = F.value(a[i], b[j]) }
}

/// target[k] += g[k]·∂F/∂a.
struct GradientOfA<F: BinaryFunction>: ElementwiseStep {
    let gradient: UnsafePointer<Float>, a: UnsafePointer<Float>, b: UnsafePointer<Float>
    let target: UnsafeMutablePointer<Float>
    @inline(__always)
    func callAsFunction(_ i: Int, _ j: Int, _ k: Int) { target[k] += F.gradientOfA(gradient[k], a[i], b[j]) }
}

/// target[k] += g[k]·∂F/∂b.
struct GradientOfB<F: BinaryFunction>: ElementwiseStep {
    let gradient: UnsafePointer<Float>, a: UnsafePointer<Float>, b: UnsafePointer<Float>
    let target: UnsafeMutablePointer<Float>
    @inline(__always)
    func callAsFunction(_ i: Int, _ j: Int, _ k: Int) { target[k] += F.gradientOfB(gradient[k], a[i], b[j]) }
}

/// Runs `step(i, j, k)` over output positions k with operand positions i, j, in parallel chunks,
/// using plain loops for the common layouts so they vectorise. Generic over the step so that it
/// is specialised and inlined (a closure would be called once per element).
enum ElementwiseLoop {
    static func run<Step: ElementwiseStep>(_ a: BroadcastIndex, _ b: BroadcastIndex, _ count: Int, _ step: Step) {
        Parallel.forEachChunk(count) { range in
            if a.isIdentity && b.isIdentity {
                for k in range { step(k, k, k) }
            } else if a.isIdentity, let p = b.period {
                if p == 1 { for k in range { step(k, 0, k) } } else { for k in range { step(k, k % p, k) } }
            } else if b.isIdentity, let p = a.period {
                if p == 1 { for k in range { step(0, k, k) } } else { for k in range { step(k % p, k, k) } }
            } else {
                for k in range { step(a.source(of: k), b.source(of: k), k) }
            }
        }
    }
}
