import Foundation
import Models
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
        let paths = DemoPaths(root: options.output, models: options.models)
        let start = Date()
        progress("[1/4] synthetic data: \(options.trainingCount) training records, \(options.evaluationCount) questions per benchmark")
        let dataset = try SyntheticDataset(options: SynthesisOptions(imageSize: 64, trainingCount: options.trainingCount,
                                                                    evaluationCount: options.evaluationCount, seed: options.dataSeed))
        try dataset.write(to: paths.data, overwrite: true)

        let llava: LlavaConfig
        if let folder = options.models {
            progress("[2/4] built-in models: taken from \(folder.path)")
            llava = try Self.llavaConfig(inModels: folder)
        } else {
            progress("[2/4] built-in models: pretraining the tower (per-patch objective) and the teacher (per-patch "
                     + "objective), then warm-starting and drilling the LLaVA's decoder (about an hour on two cores; "
                     + "--models builtin-models takes the ones the repository ships)")
            var modelOptions = options.modelOptions
            modelOptions.seed = options.dataSeed
            let models = try BuiltinModels(options: modelOptions, report: { progress("  " + $0) })
            try models.write(to: paths.models)
            llava = models.llava.config
        }
        let tokenizer = try Tokenizer(contentsOf: paths.llava.appendingPathComponent("tokenizer.json"))
        let teacher = try Teacher(directory: options.teacher ?? paths.teacher, grid: llava.vision.gridSize, pad: true)
        let cache = try TeacherFeatureCache(root: options.output.appendingPathComponent("teacher-cache"), teacher: teacher)

        let layerProbe = try LayerCategoryProbe(sceneCount: options.probeSceneCount, imageSize: llava.vision.imageSize,
                                                seed: options.dataSeed)
        guard case .llava(let starting) = try ModelLoader.load(paths.llava) else {
            throw ExperimentError("\(paths.llava.path) is not a LLaVA model folder")
        }
        let startingProbe = try layerProbe.objectPatchAccuracies(
            chat: try ChatModel(model: starting, tokenizer: tokenizer, templateName: DemoRun.template))

        progress("[3/4] training and evaluating \(options.seeds.count * 2) models (\(options.steps) steps each)")
        var results: [DemoRunResult] = []
        for seed in options.seeds {
            for variant in DemoVariant.allCases {
                let run = DemoRun(options: options, variant: variant, seed: seed, paths: paths, tokenizer: tokenizer,
                                  teacherCache: cache, layerProbe: layerProbe)
                let result = try run.run(progress: progress)
                progress(String(format: "  %@ seed %llu done in %.0f s", variant.title, seed, result.seconds))
                results.append(result)
            }
        }
        var resolved = options
        resolved.alignmentLayer = options.alignmentLayer ?? AlignmentConfiguration.defaultLayer(forDepth: llava.decoder.layerCount)
        let report = DemoReport(options: resolved, results: results, startingLayerProbe: startingProbe, paths: paths)
        progress("[4/4] report")
        let file = try report.write()
        progress(String(format: "report: %@ (total %.0f s)", file.path, Date().timeIntervalSince(start)))
        return report
    }

    /// The configuration of the LLaVA in a `viral demo prepare-models` folder, checking that the
    /// folder holds the demo's models.
    static func llavaConfig(inModels folder: URL) throws -> LlavaConfig {
        for name in [BuiltinModels.llavaFolder, BuiltinModels.teacherFolder] {
            let config = folder.appendingPathComponent(name).appendingPathComponent("config.json")
            guard FileManager.default.fileExists(atPath: config.path) else {
                throw ExperimentError("--models \(folder.path) has no \(name)/config.json: give a folder written by "
                                      + "`viral demo prepare-models --output DIR`, or leave --models out to make the models")
            }
        }
        let folder = folder.appendingPathComponent(BuiltinModels.llavaFolder)
        guard case .llava(let model) = try ModelLoader.load(folder) else {
            throw ExperimentError("\(folder.path) is not a LLaVA model folder: rewrite it with `viral demo prepare-models`")
        }
        return model.config
    }
}
