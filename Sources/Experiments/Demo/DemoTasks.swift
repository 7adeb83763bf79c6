import Evaluation
import Foundation

/// The per-task numbers the demo reports, and where they come from in each benchmark's metrics.
public struct DemoTask: Sendable, Hashable {
    public var title: String
    /// The benchmark's registry name and its data folder inside the synthetic suite.
    public var benchmark: String
    public var folder: String
    /// The metrics key.
    public var metric: String

    public static let all: [DemoTask] = [
        DemoTask(title: "CV-Bench Count", benchmark: "cvbench2d", folder: "cvbench", metric: "task/Count"),
        DemoTask(title: "CV-Bench Relation", benchmark: "cvbench2d", folder: "cvbench", metric: "task/Relation"),
        DemoTask(title: "POPE F1 (mean of 3 splits)", benchmark: "pope", folder: "pope", metric: "mean/f1"),
        DemoTask(title: "MMVP pair accuracy", benchmark: "mmvp", folder: "mmvp", metric: "pair_accuracy"),
        DemoTask(title: "What's Up accuracy", benchmark: "whatsup", folder: "whatsup", metric: "average"),
    ]

    /// The benchmarks the tasks use, each once, in order.
    public static var benchmarks: [(name: String, folder: String)] {
        var seen = Set<String>()
        return all.compactMap { seen.insert($0.benchmark).inserted ? ($0.benchmark, $0.folder) : nil }
    }

    /// The task values found in a set of benchmark metrics.
    public static func values(from metrics: [String: Metrics]) -> [String: Double] {
        var values: [String: Double] = [:]
        for task in all {
            if let value = metrics[task.benchmark]?.values[task.metric] { values[task.title] = value }
        }
        return values
    }
}
