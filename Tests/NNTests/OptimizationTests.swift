import Foundation
import NN
import Tensor
import XCTest

final class OptimizationTests: XCTestCase {
    /// Two AdamW steps against torch.optim.AdamW's update rule written out in Double
    /// (PyTorch 2.x `_single_tensor_adamw`: decay, moments, bias corrections, eps outside the root).
    func testAdamWMatchesTorchUpdateRule() {
        let p = Tensor([0.5, -1.0, 2.0], shape: [3], requiresGrad: true)
        let grads: [[Float]] = [[0.1, -0.2, 0.3], [-0.05, 0.4, 0.0]]
        let optimizer = AdamW(groups: [ParameterGroup(name: "all", parameters: [p], learningRate: 0.01, weightDecay: 0.1)],
                              beta1: 0.9, beta2: 0.999, eps: 1e-8)
        var expected: [Double] = [0.5, -1.0, 2.0], m = [Double](repeating: 0, count: 3), v = m
        for (step, g) in grads.enumerated() {
            p.grad = Tensor(g, shape: [3])
            optimizer.update(learningRateScale: 0.5)
            let lr = 0.005, t = Double(step + 1)
            for i in 0..<3 {
                expected[i] *= 1 - lr * 0.1
                m[i] = 0.9 * m[i] + 0.1 * Double(g[i])
                v[i] = 0.999 * v[i] + 0.001 * Double(g[i]) * Double(g[i])
                let denom = (v[i].squareRoot() / (1 - pow(0.999, t)).squareRoot()) + 1e-8
                expected[i] -= lr / (1 - pow(0.9, t)) * m[i] / denom
            }
        }
        for i in 0..<3 { XCTAssertEqual(Double(p.data[i]), expected[i], accuracy: 1e-6) }
    }

    func testParametersWithoutGradientsAreNotUpdated() {
        let p = Tensor([1, 2], shape: [2], requiresGrad: true)
        let optimizer = AdamW(groups: [ParameterGroup(name: "g", parameters: [p], learningRate: 0.1, weightDecay: 0.5)])
        optimizer.update()
        XCTAssertEqual(p.scalars, [1, 2])
    }

    /// Values of transformers' get_cosine_schedule_with_warmup(warmup=3, total=10) lambda.
    func testWarmupCosineSchedule() {
        let schedule = WarmupCosineSchedule(warmupSteps: 3, totalSteps: 10)
        let expected: [Float] = [0, 1.0 / 3, 2.0 / 3, 1, 0.950484, 0.811745, 0.611260, 0.388740, 0.188255, 0.049516]
        for (step, value) in expected.enumerated() { XCTAssertEqual(schedule.factor(at: step), value, accuracy: 1e-5) }
        XCTAssertEqual(WarmupCosineSchedule(warmupRatio: 0.03, totalSteps: 100).warmupSteps, 3)
    }

    func testGradientClippingScalesToMaxNorm() {
        let a = Tensor([0, 0], shape: [2], requiresGrad: true), b = Tensor([0], shape: [1], requiresGrad: true)
        a.grad = Tensor([3, 0], shape: [2])
        b.grad = Tensor([4], shape: [1])
        XCTAssertEqual(clipGradientNorm([a, b], maxNorm: 1), 5, accuracy: 1e-6)
        XCTAssertEqual(a.grad!.data[0], 0.6, accuracy: 1e-6)
        XCTAssertEqual(b.grad!.data[0], 0.8, accuracy: 1e-6)
        XCTAssertEqual(clipGradientNorm([a, b], maxNorm: 10), 1, accuracy: 1e-5)  // no clipping below the bound
        XCTAssertEqual(b.grad!.data[0], 0.8, accuracy: 1e-6)
    }
}
