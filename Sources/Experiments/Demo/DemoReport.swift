import Analysis
import Evaluation
import Foundation
import Plot
import Training
import Vision

/// The demo's report: a printed table, PNG figures and `report.md` linking them.
public struct DemoReport {
    public let options: DemoOptions
    public let results: [DemoRunResult]
    /// The layer probe (`DemoRunResult.layerProbe`) of the model both arms start from.
    public let startingLayerProbe: [Double]
    let paths: DemoPaths

    func runs(_ variant: DemoVariant) -> [DemoRunResult] { results.filter { $0.variant == variant } }

    /// One row per task: baseline, VIRAL, difference (mean ± std over seeds when several).
    public var table: String {
        let rows = tableRows()
        let width = max(28, (rows.map(\.0.count).max() ?? 0) + 2)
        var lines = ["task".padding(toLength: width, withPad: " ", startingAt: 0) + "baseline        VIRAL           Δ (VIRAL − baseline)"]
        for (title, baseline, viral, difference) in rows {
            lines.append(title.padding(toLength: width, withPad: " ", startingAt: 0)
                         + baseline.padding(toLength: 16, withPad: " ", startingAt: 0)
                         + viral.padding(toLength: 16, withPad: " ", startingAt: 0) + difference)
        }
        let seeds = options.seeds.map(String.init).joined(separator: ", ")
        lines.append("(\(options.steps) steps, seeds \(seeds); values in %, " + (options.seeds.count > 1 ? "mean ± sample std over seeds)" : "one seed)"))
        return lines.joined(separator: "\n")
    }

    /// (task, baseline, VIRAL, difference) as printed strings.
    func tableRows() -> [(String, String, String, String)] {
        var titles = DemoTask.all.map(\.title)
        titles += [Self.patchShuffleDrop, Self.swappedImageDrop, layerProbeTitle]
        return titles.map { title in
            let base = runs(.baseline).compactMap { value($0, title) }, viral = runs(.viral).compactMap { value($0, title) }
            let differences = zip(runs(.baseline), runs(.viral)).compactMap { b, v -> Double? in
                guard let x = value(b, title), let y = value(v, title) else { return nil }
                return y - x
            }
            return (title, summary(base), summary(viral), summary(differences, signed: true))
        }
    }

    static let patchShuffleDrop = "CV-Bench drop under patch shuffle"
    /// The reading check: what CV-Bench loses when each question is shown another question's image.
    static let swappedImageDrop = "CV-Bench drop with images swapped"

    /// The layer probe at the aligned layer, where VIRAL acts.
    var layerProbeTitle: String { "Categories read at layer \(layer) (probe)" }

    func value(_ run: DemoRunResult, _ title: String) -> Double? {
        switch title {
        case Self.patchShuffleDrop: return run.patchShuffle.intact - run.patchShuffle.shuffled
        case Self.swappedImageDrop: return run.patchShuffle.intact - run.swappedImages
        case layerProbeTitle: return run.layerProbe.indices.contains(layer) ? 100 * run.layerProbe[layer] : nil
        default: return run.final[title]
        }
    }

    func summary(_ values: [Double], signed: Bool = false) -> String {
        guard let stats = try? SeedSummary(values) else { return "–" }
        let mean = String(format: signed ? "%+.2f" : "%.2f", stats.mean)
        return stats.standardDeviation.map { mean + String(format: " ± %.2f", $0) } ?? mean
    }

    /// Writes the figures and `report.md`; returns the report file.
    @discardableResult
    public func write() throws -> URL {
        let folder = paths.report
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let first = (baseline: runs(.baseline)[0], viral: runs(.viral)[0])
        try TrainingCurves.chart(runs: [("Baseline", first.baseline.log), ("VIRAL", first.viral.log)], term: "lm_loss")
            .writePNG(to: folder.appendingPathComponent("training_lm_loss.png").path)
        try TrainingCurves.chart(runs: [("VIRAL", first.viral.log)], term: "vra_loss")
            .writePNG(to: folder.appendingPathComponent("training_vra_loss.png").path)
        try accuracyChart().render().writePNG(to: folder.appendingPathComponent("accuracy_during_training.png").path)
        try LayerwiseAlignment.chart([first.baseline.alignment, first.viral.alignment]).render()
            .writePNG(to: folder.appendingPathComponent("cknna_per_layer.png").path)
        try taskChart().render().writePNG(to: folder.appendingPathComponent("tasks.png").path)
        try layerProbeChart().render().writePNG(to: folder.appendingPathComponent("layer_probe.png").path)
        let image = try ChatModel.loadImage(try DemoRun.evaluationImages(paths: paths, count: 1)[0])
        try VisualTokenPCA.figure(image: image, maps: [("Baseline", first.baseline.pcaMap), ("VIRAL", first.viral.pcaMap)],
                                  title: "PCA of layer-\(layer) visual tokens").render()
            .writePNG(to: folder.appendingPathComponent("pca_maps.png").path)
        let examples = try exampleSection(folder: folder, baseline: first.baseline, viral: first.viral)
        let url = folder.appendingPathComponent("report.md")
        try markdown(examples: examples).write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    var layer: Int { options.alignmentLayer ?? 0 }

    func accuracyChart() -> LineChart {
        let series = DemoVariant.allCases.map { variant -> LineSeries in
            let progress = runs(variant)[0].progress
            return LineSeries(name: variant.title, xs: progress.map { Double($0.step) },
                              ys: progress.map { $0.values.values.reduce(0, +) / Double(max($0.values.count, 1)) })
        }
        return LineChart(title: "Mean task accuracy during training (seed \(options.seeds[0]))", xLabel: "step",
                         yLabel: "mean of task scores (%)", series: series)
    }

    /// Per hidden state, the layer probe's accuracy (%) of each run of `variant`.
    func layerProbeValues(_ variant: DemoVariant) -> [[Double]] {
        let runs = runs(variant)
        return startingLayerProbe.indices.map { index in runs.compactMap { $0.layerProbe.indices.contains(index) ? 100 * $0.layerProbe[index] : nil } }
    }

    func layerProbeChart() -> LineChart {
        let mean = { (values: [Double]) in values.reduce(0, +) / Double(max(values.count, 1)) }
        let series = [LineSeries(name: "Start", values: startingLayerProbe.map { 100 * $0 })]
            + DemoVariant.allCases.map { LineSeries(name: $0.title, values: layerProbeValues($0).map(mean)) }
        return LineChart(title: "Object categories read from each layer's visual tokens (linear probe)",
                         xLabel: "hidden state (0 = decoder input)", yLabel: "object patches named (%)", series: series)
    }

    /// The layer probe as a markdown table: hidden state, start, baseline, VIRAL.
    func layerProbeTable() -> String {
        let base = layerProbeValues(.baseline), viral = layerProbeValues(.viral)
        let rows = startingLayerProbe.indices.map { index in
            String(format: "| %d | %.2f | ", index, 100 * startingLayerProbe[index]) + summary(base[index]) + " | " + summary(viral[index]) + " |"
        }
        return (["| hidden state | start | baseline | VIRAL |", "|---|---|---|---|"] + rows).joined(separator: "\n")
    }

    func taskChart() -> GroupedBarChart {
        let titles = DemoTask.all.map(\.title)
        let series = DemoVariant.allCases.map { variant in
            BarSeries(name: variant.title, values: titles.map { title in
                let values = runs(variant).compactMap { $0.final[title] }
                return values.reduce(0, +) / Double(max(values.count, 1))
            })
        }
        var chart = GroupedBarChart(title: "Synthetic benchmarks: baseline vs VIRAL", yLabel: "score (%)",
                                    categories: titles, series: series)
        chart.valueDecimals = 1
        return chart
    }

    /// A few CV-Bench questions with both models' answers beside the image.
    func exampleSection(folder: URL, baseline: DemoRunResult, viral: DemoRunResult) throws -> String {
        let items = try BenchmarkRun(benchmark: "cvbench2d", dataDirectory: paths.data.appendingPathComponent("cvbench")).items
        var lines: [String] = []
        for (number, item) in items.prefix(4).enumerated() {
            guard let source = item.imagePaths.first else { continue }
            let name = "example-\(number + 1).png"
            try ChatModel.loadImage(source).resizedNearest(width: 128, height: 128).writePNG(to: folder.appendingPathComponent(name).path)
            let question = item.prompt.components(separatedBy: "\n").first ?? item.prompt
            let base = baseline.answers["cvbench2d"]?[item.questionID] ?? "–"
            let ours = viral.answers["cvbench2d"]?[item.questionID] ?? "–"
            lines.append("| ![](\(name)) | \(question) | \(item.answer) | \(base) | \(ours) |")
        }
        return (["| image | question | answer | baseline | VIRAL |", "|---|---|---|---|---|"] + lines).joined(separator: "\n")
    }

    func markdown(examples: String) -> String {
        let rows = tableRows().map { "| \($0.0) | \($0.1) | \($0.2) | \($0.3) |" }.joined(separator: "\n")
        return """
        # VIRAL in miniature

        Synthetic scenes (`viral data synth`), built-in models (`viral demo prepare-models`): a CLIP-style
        tower pretrained to name what covers each patch (or cell of patches), a DINOv2-style teacher
        pretrained to name it and to place its object's centre, and a small Llama decoder warm-started
        on synthetic conversations of its own, then drilled on yes/no questions about colours and categories (models from \(paths.models.path)). Both arms start from the same weights and see the same batches; VIRAL adds λ = \(options.alignmentWeight)
        × the cosine alignment of decoder layer \(layer)'s visual tokens to the teacher's patch features.
        \(options.steps) steps of \(options.batchSize) samples, seeds \(options.seeds.map(String.init).joined(separator: ", ")).

        | task | baseline | VIRAL | Δ |
        |---|---|---|---|
        \(rows)

        "Images swapped" is the reading check: CV-Bench asked again with every question shown another
        question's image. A model that reads the images loses accuracy there; one that answers from
        the text alone loses none. The last row is the share of object patches whose category a linear
        probe reads from the aligned layer's visual tokens (below, every layer).

        ## Figures

        - Training loss: ![lm loss](training_lm_loss.png) ![vra loss](training_vra_loss.png)
        - Accuracy measured during training (subset of questions, then all): ![accuracy](accuracy_during_training.png)
        - Per-task scores: ![tasks](tasks.png)
        - Layer-wise CKNNA between the tower's features and each layer's visual tokens: ![cknna](cknna_per_layer.png)
        - PCA of the aligned layer's visual tokens: ![pca](pca_maps.png)
        - What each layer's visual tokens still tell: ![layer probe](layer_probe.png)

        ## What each layer's visual tokens tell

        A linear probe fitted on the visual tokens of \(options.probeSceneCount) held-out scenes names the
        category (kind and colour) of the object under each patch of \(options.probeSceneCount) others; the share
        of object patches it names, per hidden state of the decoder (0: its input, the projector's output;
        then after each block, the last after the final norm), for the model both arms start from and after
        training (\(options.seeds.count > 1 ? "mean ± std over seeds" : "one seed"); %). Layer \(layer) is the aligned one.

        \(layerProbeTable())

        ## Examples (CV-Bench questions)

        \(examples)

        Every number above was measured by this run; rerunning with the same seeds gives the same numbers.
        """
    }
}
