import Foundation
import NN
import SafeTensors
import Tensor
import VIRAL
import XCTest

/// The VRA loss against `../shared/fixtures/alignment` (PyTorch): losses within 1e-5 relative,
/// gradients within 1e-5 of each tensor's scale.
final class AlignmentFixtureTests: XCTestCase {
    let reference = try! SafeTensorsFile(url: URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/reference.safetensors"))

    func tensor(_ name: String) throws -> Tensor { Tensor(try reference.floats(name), shape: try reference.info(name).shape) }

    /// The regulariser with the fixture's projector weights, and the participating samples.
    func setUp(_ configuration: AlignmentConfiguration) throws -> (VisualRepresentationAlignment, [(row: Int, positions: [Int])], Tensor) {
        var generator = RandomGenerator(seed: 0)
        let alignment = VisualRepresentationAlignment(configuration: configuration, hiddenSize: 32,
                                                      targets: [("dinov2", 24)], generator: &generator)
        let source = InMemoryParameters(Dictionary(uniqueKeysWithValues: try ["0.weight", "0.bias", "2.weight", "2.bias", "4.weight", "4.bias"]
            .map { ("dinov2.0." + $0, try tensor("proj." + $0)) }))
        try alignment.load(from: source)
        let mask = try reference.int64s("image_mask").map { $0 != 0 }
        var participants: [(row: Int, positions: [Int])] = []
        for row in 0..<3 {
            let positions = (0..<30).filter { mask[row * 30 + $0] }
            if !positions.isEmpty { participants.append((row, positions)) }
        }
        XCTAssertEqual(participants.map(\.row), [0, 2])
        let teacher = try tensor("teacher").gatherRows(participants.map(\.row))
        return (alignment, participants, teacher)
    }

    func assertClose(_ a: Tensor, _ b: Tensor, _ name: String, file: StaticString = #filePath, line: UInt = #line) {
        var worst: Float = 0, scale: Float = 1e-12
        for i in 0..<b.count { worst = max(worst, abs(a.data[i] - b.data[i])); scale = max(scale, abs(b.data[i])) }
        XCTAssertLessThanOrEqual(worst / scale, 1e-5, name, file: file, line: line)
    }

    func check(_ prefix: String, _ configuration: AlignmentConfiguration, hidden names: [String]) throws {
        let (alignment, participants, teacher) = try setUp(configuration)
        let hidden = try names.map { try tensor($0) }
        for h in hidden { h.requiresGrad = true }
        let loss = alignment.loss(hiddenStates: hidden, visualPositions: participants, targets: [teacher])
        let expected = try tensor(prefix + ".loss").item
        XCTAssertEqual(loss.item, expected, accuracy: 1e-5 * abs(expected), prefix)
        loss.backward()
        for (name, h) in zip(names, hidden) { assertClose(h.grad!, try tensor("\(prefix).grad.\(name)"), "\(prefix) grad \(name)") }
        for (key, p) in alignment.namedParameters {
            assertClose(p.grad!, try tensor("\(prefix).grad.proj." + key.dropFirst("dinov2.0.".count)), "\(prefix) grad \(key)")
        }
    }

    func testCosine() throws {
        try check("cosine", AlignmentConfiguration(layers: [0], projectorSize: 48), hidden: ["hidden.a"])
    }

    func testRelation() throws {
        try check("relation", AlignmentConfiguration(layers: [0], objective: .relation, projectorSize: 48), hidden: ["hidden.a"])
    }

    func testTwoLayersSharingOneProjector() throws {
        try check("cosine_two_layers", AlignmentConfiguration(layers: [0, 1], projectorSize: 48), hidden: ["hidden.a", "hidden.b"])
    }

    func testBilinearResamplingOfTeacherMap() throws {
        // The fixture is NCHW [1, 24, 6, 7] → [1, 24, 4, 5]; ours is [images, h·w, d].
        let input = try tensor("resample.input").reshaped([1, 24, 42]).transposed(1, 2)
        let output = TargetResampling.resample(input, from: (6, 7), to: (4, 5))
        assertClose(output, try tensor("resample.output").reshaped([1, 24, 20]).transposed(1, 2), "resample")
    }

    func testSamplesWithoutImagesContributeNothing() throws {
        let (alignment, _, _) = try setUp(AlignmentConfiguration(layers: [0], projectorSize: 48))
        XCTAssertEqual(alignment.loss(hiddenStates: [try tensor("hidden.a")], visualPositions: [], targets: [Tensor(zeros: [0, 20, 24])]).item, 0)
    }
}
