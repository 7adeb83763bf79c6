@testable import Experiments
import Tensor
import XCTest

final class OffsetProbeTests: XCTestCase {
    /// Patches of which every third is background; object patches' offsets drawn in [−1, 1]².
    /// Features of `width` channels: noise, plus the offsets themselves when `telling`.
    private func patches(count: Int, width: Int, telling: Bool, seed: UInt64) -> PatchDataset {
        var generator = RandomGenerator(seed: seed)
        var features: [Float] = [], classes: [Int] = [], offsets: [Float] = []
        for index in 0..<count {
            let isObject = index % 3 != 0
            let offset: [Float] = isObject ? [2 * generator.nextUniform() - 1, 2 * generator.nextUniform() - 1] : [0, 0]
            var row = (0..<width).map { _ in generator.nextNormal() }
            if telling {
                row[0] = 3 * offset[0] + 0.01 * row[0]
                row[1] = -2 * offset[1] + 0.01 * row[1]
            }
            features += row
            classes.append(isObject ? 1 + index % 36 : PatchLabels.background)
            offsets += offset
        }
        return PatchDataset(features: Tensor(features, shape: [count, width]), classes: classes, offsets: offsets)
    }

    func testFeaturesHoldingTheOffsetsLinearlyAreReadAlmostExactly() {
        let result = OffsetProbe.error(fit: patches(count: 600, width: 8, telling: true, seed: 1),
                                       test: patches(count: 300, width: 8, telling: true, seed: 2), seed: 3)
        XCTAssertLessThan(result.error, 0.05)
        // Offsets uniform in [−1, 1]²: the mean distance to the centre is about 0.77.
        XCTAssertEqual(result.baseline, 0.77, accuracy: 0.08)
    }

    func testNoiseFeaturesDoNoBetterThanGuessingTheMean() {
        let result = OffsetProbe.error(fit: patches(count: 600, width: 8, telling: false, seed: 1),
                                       test: patches(count: 300, width: 8, telling: false, seed: 2), seed: 3)
        XCTAssertGreaterThan(result.error, 0.95 * result.baseline)
    }
}
