import Evaluation
import Foundation

/// The patch-shuffle analysis: a benchmark's headline metric with the visual tokens in order and
/// shuffled, and the drop between them.
public struct PatchShuffleComparison: Sendable, Equatable {
    /// The metric compared (the benchmark's headline key).
    public let metric: String
    /// Its value with the tokens in order.
    public let original: Double
    /// Its value with the tokens shuffled.
    public let shuffled: Double
    /// The seed of the shuffle.
    public let seed: UInt64

    /// Compares two runs' headline metric.
    public init(original: Metrics, shuffled: Metrics, seed: UInt64) throws {
        guard let before = original.primaryValue, let after = shuffled.primaryValue else {
            throw ExperimentError("\(original.benchmark): the headline metric \(original.primary) could not be computed for both runs")
        }
        metric = original.primary
        self.original = before
        self.shuffled = after
        self.seed = seed
    }

    /// `original − shuffled`.
    public var drop: Double { original - shuffled }

    /// A three-line table.
    public var table: String {
        let width = metric.count
        func row(_ label: String, _ value: Double) -> String {
            metric.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + label + String(format: "%8.2f", value)
        }
        return [row("original      ", original), row("patch-shuffled", shuffled) + "  (seed \(seed))",
                row("drop          ", drop)].joined(separator: "\n")
    }
}
