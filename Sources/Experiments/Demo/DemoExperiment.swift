import Foundation
import SyntheticData
import Text
import VIRAL

/// `viral demo`: synthetic data → built-in models → baseline and VIRAL training from the same
/// seed and steps → evaluation on the synthetic benchmarks (also during training) → layer-wise
/// CKNNA, patch shuffle and PCA maps → a report. Nothing is downloaded.
public struct DemoExperiment {
    public let options: DemoOptions

    public init(options: DemoOptions) throws {
        try options.validate()
        self.options = options
    }

    /// Runs everything; `progress` receives human-readable lines.
    public func run(progress: (String) -> Void) throws -> DemoReport {
        let paths = DemoPaths(root: options.output)
        let start = Date()
        progress("[1/4] synthetic data: \(options.trainingCount) training records, \(options.evaluationCount) questions per benchmark")
        let dataset = try SyntheticDataset(options: SynthesisOptions(imageSize: 64, trainingCount: options.trainingCount,
                                                                    evaluationCount: options.evaluationCount, seed: options.dataSeed))
        try dataset.write(to: paths.data, overwrite: true)

        progress("[2/4] built-in models: pretraining the tower (image-level objective) and the teacher (per-patch objective)")
        var modelOptions = options.modelOptions
        modelOptions.seed = options.dataSeed
        let models = try BuiltinModels(options: modelOptions, report: { progress("  " + $0) })
        try models.write(to: paths.models)
        let tokenizer = try Tokenizer(contentsOf: paths.llava.appendingPathComponent("tokenizer.json"))
        let teacher = try Teacher(directory: options.teacher ?? paths.teacher, grid: models.llava.config.vision.gridSize, pad: true)
        let cache = try TeacherFeatureCache(root: options.output.appendingPathComponent("teacher-cache"), teacher: teacher)

        progress("[3/4] training and evaluating \(options.seeds.count * 2) models (\(options.steps) steps each)")
        var results: [DemoRunResult] = []
        for seed in options.seeds {
            for variant in DemoVariant.allCases {
                let run = DemoRun(options: options, variant: variant, seed: seed, paths: paths, tokenizer: tokenizer,
                                  teacherCache: cache)
                let result = try run.run(progress: progress)
                progress(String(format: "  %@ seed %llu done in %.0f s", variant.title, seed, result.seconds))
                results.append(result)
            }
        }
        var resolved = options
        resolved.alignmentLayer = options.alignmentLayer ?? AlignmentConfiguration.defaultLayer(forDepth: models.llava.config.decoder.layerCount)
        let report = DemoReport(options: resolved, results: results, paths: paths)
        progress("[4/4] report")
        let file = try report.write()
        progress(String(format: "report: %@ (total %.0f s)", file.path, Date().timeIntervalSince(start)))
        return report
    }
}
