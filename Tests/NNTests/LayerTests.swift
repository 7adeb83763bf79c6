import NN
import Tensor
import XCTest

final class LayerTests: XCTestCase {
    func testLoRAStartsAsIdentityAndMergesExactly() {
        var generator = RandomGenerator(seed: 3)
        let layer = Linear(inFeatures: 6, outFeatures: 4, bias: true, generator: &generator)
        let x = Tensor.randomNormal([5, 6], using: &generator)
        let before = noGrad { layer(x) }.scalars
        layer.attachAdapter(rank: 2, alpha: 4, dropout: 0, generator: &generator)
        XCTAssertEqual(noGrad { layer(x) }.scalars, before)  // B = 0
        layer.adapter!.b.data.update(repeating: 0.3, count: 8)
        let adapted = noGrad { layer(x) }.scalars
        XCTAssertNotEqual(adapted, before)
        layer.mergeAdapter()
        for (a, b) in zip(noGrad { layer(x) }.scalars, adapted) { XCTAssertEqual(a, b, accuracy: 1e-5) }
        layer.unmergeAdapter()
        for (a, b) in zip(noGrad { layer(x) }.scalars, adapted) { XCTAssertEqual(a, b, accuracy: 1e-5) }
        XCTAssertEqual(layer.namedParameters.map(\.key), ["weight", "bias", "lora_A.weight", "lora_B.weight"])
    }

    func testLoadingReportsMissingUnexpectedAndWrongShapes() {
        var generator = RandomGenerator(seed: 4)
        let layer = Linear(inFeatures: 3, outFeatures: 2, bias: true, generator: &generator)
        let source = InMemoryParameters(["p.weight": Tensor(zeros: [2, 4]), "p.extra": Tensor(zeros: [1])], description: "test.safetensors")
        XCTAssertThrowsError(try layer.load(from: source, sourceKey: { "p." + $0 }, sourcePrefix: "p.")) { error in
            let message = "\(error)"
            XCTAssertTrue(message.contains("test.safetensors"), message)
            XCTAssertTrue(message.contains("missing tensors (1): p.bias"), message)
            XCTAssertTrue(message.contains("unexpected tensors (1): p.extra"), message)
            XCTAssertTrue(message.contains("p.weight expected [2, 3] found [2, 4]"), message)
        }
        let good = InMemoryParameters(["weight": Tensor([1, 2, 3, 4, 5, 6], shape: [2, 3]), "bias": Tensor([7, 8], shape: [2])])
        XCTAssertNoThrow(try layer.load(from: good))
        XCTAssertEqual(layer.weight.scalars, [1, 2, 3, 4, 5, 6])
        XCTAssertEqual(layer.bias!.scalars, [7, 8])
    }
}
