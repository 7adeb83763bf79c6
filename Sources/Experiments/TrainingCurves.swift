import Foundation
import Plot
import Training
import Vision

/// Training-curve charts from JSONL training logs (`viral analyze curves`).
public enum TrainingCurves {
    /// A chart of one loss term per run against the step.
    /// - Parameter term: "lm_loss", "vra_loss" or "loss".
    public static func chart(runs: [(name: String, entries: [TrainingLogEntry])], term: String) throws -> RGBImage {
        let series = try runs.map { run -> LineSeries in
            let points = try run.entries.compactMap { entry -> (Double, Double)? in
                switch term {
                case "lm_loss": return (Double(entry.step), Double(entry.languageLoss))
                case "vra_loss": return entry.alignmentLoss.map { (Double(entry.step), Double($0)) }
                case "loss": return (Double(entry.step), Double(entry.totalLoss))
                default: throw SimilarityError("unknown loss term \"\(term)\" (lm_loss, vra_loss, loss)")
                }
            }
            return LineSeries(name: run.name, xs: points.map(\.0), ys: points.map(\.1))
        }.filter { !$0.xs.isEmpty }
        guard !series.isEmpty else { throw SimilarityError("no run has \(term) values to plot") }
        var chart = LineChart(title: "Training: \(term)", xLabel: "step", yLabel: term, series: series)
        chart.showsMarkers = false
        return try chart.render()
    }
}
