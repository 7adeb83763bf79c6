import Evaluation
import Foundation
import Models
import Tensor
import Text
import Training
import VIRAL
import Vision

/// What one trained model (one variant, one seed) scored.
public struct DemoRunResult: Sendable {
    public var variant: DemoVariant
    public var seed: UInt64
    /// Task title → value at the end of training (all evaluation questions).
    public var final: [String: Double]
    /// Accuracy measured during training: step → task title → value (subset of questions).
    public var progress: [(step: Int, values: [String: Double])]
    public var log: [TrainingLogEntry]
    public var alignment: AlignmentCurve
    /// CV-Bench accuracy without and with the visual tokens shuffled.
    public var patchShuffle: (intact: Double, shuffled: Double)
    /// CV-Bench accuracy with every question shown another question's image: near the intact
    /// accuracy when the model answers from the text alone, near chance when it reads the image.
    public var swappedImages: Double
    /// Raw answers of the final evaluation by benchmark and question id.
    public var answers: [String: [String: String]]
    /// PCA of the aligned layer's visual tokens of the first CV-Bench image, as an RGB map.
    public var pcaMap: RGBImage
    /// Object-patch category accuracy of a linear probe on the visual tokens, per hidden state of
    /// the decoder (`LayerCategoryProbe`; index 0 is the decoder's input).
    public var layerProbe: [Double]
    public var seconds: Double
}

/// Trains and evaluates one variant for one seed.
struct DemoRun {
    /// The conversation template the demo's models answer in (the built-in decoder is Llama-style).
    static let template = "vicuna_v1"

    let options: DemoOptions
    let variant: DemoVariant
    let seed: UInt64
    let paths: DemoPaths
    let tokenizer: Tokenizer
    let teacherCache: TeacherFeatureCache?
    let layerProbe: LayerCategoryProbe

    func run(progress: (String) -> Void) throws -> DemoRunResult {
        let start = Date()
        guard case .llava(let model) = try ModelLoader.load(paths.llava) else {
            throw ExperimentError("\(paths.llava.path) is not a LLaVA model folder")
        }
        let layer = options.alignmentLayer ?? AlignmentConfiguration.defaultLayer(forDepth: model.config.decoder.layerCount)
        let settings = TrainingSettings(
            stage: 2, steps: options.steps, batchSize: options.batchSize, learningRate: options.learningRate,
            projectorLearningRate: options.projectorLearningRate, seed: seed, lora: nil,
            alignment: variant == .viral ? AlignmentConfiguration(layers: [layer], weight: options.alignmentWeight, projectorSize: 256) : nil)
        let targets: AlignmentTargets? = teacherCache.map { .teacher($0.teacher, cache: $0) }
        let trainer = try Trainer(model: model, settings: settings, targets: variant == .viral ? targets : nil)
        let dataset = try SyntheticTrainingData.dataset(folder: paths.data, tokenizer: tokenizer, config: model.config)
        var loader = try DataLoader(dataset: dataset, batchSize: options.batchSize, seed: seed)
        let runFolder = paths.runs.appendingPathComponent("\(variant.rawValue)-seed\(seed)")
        try FileManager.default.createDirectory(at: runFolder, withIntermediateDirectories: true)
        let logURL = runFolder.appendingPathComponent("train_log.jsonl")
        try? FileManager.default.removeItem(at: logURL)
        let log = try TrainingLog(url: logURL)
        let chat = try ChatModel(model: model, tokenizer: tokenizer, templateName: Self.template)
        let checkpoints = Set((1...options.evaluationPoints).map { options.steps * $0 / options.evaluationPoints })
        var measured: [(step: Int, values: [String: Double])] = []
        var entries: [TrainingLogEntry] = []
        var finalMetrics: [String: Metrics] = [:]
        var answers: [String: [String: String]] = [:]
        while trainer.step < options.steps {
            guard let report = try trainer.train(on: TrainingBatch(try loader.nextBatch())) else { continue }
            let entry = TrainingLogEntry(report, elapsed: Date().timeIntervalSince(start))
            try log.append(entry)
            entries.append(entry)
            if report.step % max(1, options.steps / 10) == 0 {
                progress("  \(variant.title) seed \(seed): " + String(format: "step %d/%d  lm %.4f", report.step, options.steps, report.languageLoss)
                         + (report.alignmentLoss.map { String(format: "  vra %.4f", $0) } ?? ""))
            }
            guard checkpoints.contains(report.step) else { continue }
            let isFinal = report.step == options.steps
            let metrics = try evaluate(chat: chat, limit: isFinal ? nil : options.intermediateEvaluationLimit,
                                       folder: runFolder.appendingPathComponent(isFinal ? "eval" : "eval-step\(report.step)"))
            measured.append((report.step, DemoTask.values(from: metrics.mapValues(\.metrics))))
            if isFinal {
                finalMetrics = metrics.mapValues(\.metrics)
                answers = metrics.mapValues { result in
                    Dictionary(uniqueKeysWithValues: result.predictions.map { ($0.item.questionID, $0.rawAnswer) })
                }
            }
            progress("  \(variant.title) seed \(seed): accuracy at step \(report.step): "
                     + (measured.last!.values.sorted { $0.key < $1.key }.map { String(format: "%@ %.1f", $0.key, $0.value) }.joined(separator: ", ")))
        }
        let shuffle = try patchShuffle(chat: chat, folder: runFolder)
        let swapped = try swappedImageAccuracy(chat: chat, folder: runFolder.appendingPathComponent("swapped-images"))
        let images = try evaluationImages()
        let alignment = try LayerwiseAlignment().measure(name: variant.title, chat: chat, images: images)
        let pcaMap = try VisualTokenPCA(layer: layer).map(chat: chat, image: try ChatModel.loadImage(images[0]))
        let probed = try layerProbe.objectPatchAccuracies(chat: chat)
        return DemoRunResult(variant: variant, seed: seed, final: DemoTask.values(from: finalMetrics), progress: measured,
                             log: entries, alignment: alignment, patchShuffle: shuffle, swappedImages: swapped, answers: answers,
                             pcaMap: pcaMap, layerProbe: probed, seconds: Date().timeIntervalSince(start))
    }

    /// Every demo benchmark, optionally on `limit` of its questions spread over all of them.
    private func evaluate(chat: ChatModel, limit: Int?, folder: URL) throws -> [String: EvaluationResult] {
        var results: [String: EvaluationResult] = [:]
        for (name, subfolder) in DemoTask.benchmarks {
            var run = try BenchmarkRun(benchmark: name, dataDirectory: paths.data.appendingPathComponent(subfolder))
            if let limit { run = run.evenlySpaced(limit) }
            let generator = ModelAnswerGenerator(chat: chat, options: ReplyOptions(maxNewTokens: 8))
            results[name] = try run.run(with: generator, outputDirectory: folder)
        }
        return results
    }

    /// CV-Bench accuracy with the visual tokens in place and shuffled (the paper's patch-shuffle test).
    private func patchShuffle(chat: ChatModel, folder: URL) throws -> (intact: Double, shuffled: Double) {
        let run = try BenchmarkRun(benchmark: "cvbench2d", dataDirectory: paths.data.appendingPathComponent("cvbench"))
        let options = ReplyOptions(maxNewTokens: 8)
        let intact = try run.run(with: ModelAnswerGenerator(chat: chat, options: options),
                                 outputDirectory: folder.appendingPathComponent("patch-shuffle"))
        let shuffled = try run.run(with: ModelAnswerGenerator(chat: chat, options: options, patchShuffle: PatchShuffle(seed: 1)),
                                   outputDirectory: folder.appendingPathComponent("patch-shuffle"))
        return (intact.metrics.values["accuracy"] ?? 0, shuffled.metrics.values["accuracy"] ?? 0)
    }

    /// CV-Bench accuracy with every question shown another question's image (`withImagesSwapped`).
    private func swappedImageAccuracy(chat: ChatModel, folder: URL) throws -> Double {
        let run = try BenchmarkRun(benchmark: "cvbench2d", dataDirectory: paths.data.appendingPathComponent("cvbench"))
        let result = try run.withImagesSwapped().run(with: ModelAnswerGenerator(chat: chat, options: ReplyOptions(maxNewTokens: 8)),
                                                     outputDirectory: folder)
        return result.metrics.values["accuracy"] ?? 0
    }

    func evaluationImages(count: Int = 24) throws -> [URL] { try Self.evaluationImages(paths: paths, count: count) }

    /// The images the layer-wise analysis looks at: the first CV-Bench images.
    static func evaluationImages(paths: DemoPaths, count: Int) throws -> [URL] {
        let items = try BenchmarkRun(benchmark: "cvbench2d", dataDirectory: paths.data.appendingPathComponent("cvbench")).items
        var seen = Set<URL>()
        return Array(items.flatMap(\.imagePaths).filter { seen.insert($0).inserted }.prefix(count))
    }
}

/// The demo's folders.
struct DemoPaths {
    let root: URL
    /// The built-in models: a given folder, or `models` in the output folder.
    let models: URL

    init(root: URL, models: URL? = nil) {
        self.root = root
        self.models = models ?? root.appendingPathComponent("models")
    }

    var data: URL { root.appendingPathComponent("data") }
    var llava: URL { models.appendingPathComponent("llava") }
    var teacher: URL { models.appendingPathComponent("teacher") }
    var runs: URL { root.appendingPathComponent("runs") }
    var report: URL { root.appendingPathComponent("report") }
}
