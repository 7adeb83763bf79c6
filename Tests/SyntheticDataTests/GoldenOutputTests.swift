import Foundation
import XCTest
@testable import SyntheticData

/// Pins what generator version 4 produces, so that any change to it — or any dependence on the
/// process, such as iterating over a `Set` — shows. The PNG encoding is left out (a libpng or
/// zlib update may change compressed bytes); the pixels and every annotation file are hashed.
/// After an intended change: bump `SyntheticDataset.generatorVersion` and update the hash.
final class GoldenOutputTests: XCTestCase {
    func testSeedFivePinsItsOutput() throws {
        let dataset = try SyntheticDataset(
            options: SynthesisOptions(imageSize: 48, trainingCount: 45, evaluationCount: 36, seed: 5))
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        func mix<S: Sequence>(_ bytes: S) where S.Element == UInt8 {
            for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        }
        for split in dataset.allSplits {
            for file in try split.annotationFiles() {
                mix(file.path.utf8)
                mix(file.contents)
            }
            for image in split.images {
                mix(image.path.utf8)
                mix(image.scene.render().pixels)
            }
        }
        XCTAssertEqual(SyntheticDataset.generatorVersion, 4)
        XCTAssertEqual(String(hash, radix: 16), "c7d72bc384e95f13")
    }
}
