import Evaluation
import Foundation

extension SyntheticDataset {
    /// Loads every evaluation split written under `directory` with its `Evaluation` benchmark and
    /// checks that it yields the planned number of items and that every image they name exists.
    /// Returns the number of items loaded per benchmark name.
    @discardableResult
    public func verifyEvaluationSplits(in directory: URL) throws -> [String: Int] {
        var loaded: [String: Int] = [:]
        for (name, split, expected) in evaluationSplits {
            let folder = directory.appendingPathComponent(split.folder)
            let items: [EvaluationItem]
            do {
                items = try Benchmarks.named(name).load(from: folder)
            } catch {
                throw SyntheticDataError.verificationFailed(benchmark: name, folder: folder, reason: "\(error)")
            }
            guard items.count == expected else {
                throw SyntheticDataError.verificationFailed(
                    benchmark: name, folder: folder, reason: "loaded \(items.count) items, expected \(expected)")
            }
            let imagePaths = items.lazy.flatMap(\.imagePaths)
            if let missing = imagePaths.first(where: { !FileManager.default.fileExists(atPath: $0.path) }) {
                throw SyntheticDataError.verificationFailed(
                    benchmark: name, folder: folder, reason: "image \(missing.path) does not exist")
            }
            loaded[name] = items.count
        }
        return loaded
    }
}
