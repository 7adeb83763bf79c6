import Foundation
import XCTest
@testable import SyntheticData

/// A fresh temporary folder, removed at the end of the test.
func temporaryFolder(_ testCase: XCTestCase) throws -> URL {
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("SyntheticDataTests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    testCase.addTeardownBlock { try? FileManager.default.removeItem(at: url) }
    return url
}

/// Every regular file under `folder`, by path relative to it, with its bytes.
func filesUnder(_ folder: URL) throws -> [String: Data] {
    var files: [String: Data] = [:]
    let base = folder.standardizedFileURL.path + "/"
    let enumerator = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.isRegularFileKey])!
    for case let url as URL in enumerator where try url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile == true {
        files[String(url.standardizedFileURL.path.dropFirst(base.count))] = try Data(contentsOf: url)
    }
    return files
}

/// A small suite planned once for the tests that only inspect scenes and questions.
enum Plans {
    static let small = try! SyntheticDataset(
        options: SynthesisOptions(imageSize: 64, trainingCount: 600, evaluationCount: 240, seed: 11))

    /// Every scene of a dataset with a label naming where it comes from.
    static func scenes(of dataset: SyntheticDataset) -> [(label: String, scene: Scene)] {
        dataset.training.records.map { ($0.id, $0.scene) }
            + dataset.pope.scenes.map { ("pope \($0.name)", $0.scene) }
            + dataset.cvBench.items.map { ("cvbench \($0.index)", $0.scene) }
            + dataset.mmvp.pairs.enumerated().flatMap { index, pair in
                pair.scenes.map { ("mmvp pair \(index)", $0) }
            }
            + dataset.whatsUp.items.map { ("whatsup \($0.stem)", $0.scene) }
    }
}
