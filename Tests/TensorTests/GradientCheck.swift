import Tensor
import XCTest

/// Finite-difference gradient checking.
///
/// The scalar checked is L = Σ f(inputs) ∘ R for a fixed random R, so every output element
/// contributes. Analytic gradients come from `backward()`; numeric ones from central differences
/// with step h = 1e-2 on F32 values. Tolerance: |analytic − numeric| ≤ 2e-3 + 1e-2·|numeric|
/// (F32 rounding of L over small tensors bounds the numeric error near 1e-4; the rest covers the
/// O(h²) truncation of smooth functions).
enum GradientCheck {
    static func check(_ inputs: [Tensor], file: StaticString = #filePath, line: UInt = #line,
                      step h: Float = 1e-2, absoluteTolerance: Float = 2e-3, relativeTolerance: Float = 1e-2,
                      _ f: ([Tensor]) -> Tensor) {
        for input in inputs { input.requiresGrad = true; input.grad = nil }
        let probe = f(inputs)
        var generator = RandomGenerator(seed: 99)
        let weights = Tensor.randomNormal(probe.shape, using: &generator)
        func loss() -> Float {
            noGrad { (f(inputs) * weights).sum().item }
        }
        (probe * weights).sum().backward()
        for (n, input) in inputs.enumerated() {
            let analytic = input.grad?.scalars ?? [Float](repeating: 0, count: input.count)
            for i in 0..<input.count {
                let saved = input.data[i]
                input.data[i] = saved + h
                let plus = loss()
                input.data[i] = saved - h
                let minus = loss()
                input.data[i] = saved
                let numeric = (plus - minus) / (2 * h)
                let error = abs(analytic[i] - numeric)
                if error > absoluteTolerance + relativeTolerance * abs(numeric) {
                    XCTFail("input \(n) element \(i): analytic \(analytic[i]) vs numeric \(numeric)", file: file, line: line)
                    return
                }
            }
        }
    }

    /// A random tensor for checks.
    static func random(_ shape: [Int], seed: UInt64, scale: Float = 1) -> Tensor {
        var generator = RandomGenerator(seed: seed)
        return Tensor.randomNormal(shape, std: scale, using: &generator)
    }
}
