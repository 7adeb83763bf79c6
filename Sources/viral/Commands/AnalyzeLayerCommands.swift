import ArgumentParser
import Evaluation
import Experiments
import Foundation
import VIRAL
import Vision

extension AnalyzeCommand {
    /// `viral analyze alignment`: layer-wise CKNNA / mutual k-NN / CKA of visual tokens.
    struct Alignment: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Layer-wise alignment (CKNNA, mutual k-NN, unbiased CKA) of the visual tokens with the tower's or a teacher's features.",
            discussion: """
                Writes alignment.csv (layer, cknna, mutual_knn, cka) and alignment.png into --output. \
                Several models (--model NAME=DIR, repeated) share the tokenizer options and are drawn on one chart, \
                with one alignment-NAME.csv each.
                """)

        @Option(help: "LLaVA model folder, or NAME=DIR; repeat to compare models.")
        var model: [String]

        @Option(help: "A folder of PNG/JPEG images, one image, or a LLaVA data file (.json/.jsonl).")
        var images: String

        @Option(help: "Folder the data file's image paths start from (default: the data file's folder).")
        var imageFolder: String?

        @Option(help: "At most this many images.")
        var limit = 8

        @Option(help: "Teacher vision model folder (e.g. DINOv2); default: compare with the tower's own features.")
        var teacher: String?

        @Option(help: "Neighbours for CKNNA and mutual k-NN.")
        var k = 10

        @Option(help: "Output folder.")
        var output = "alignment"

        @Option(help: "A tokenizer.json or its folder (default: each model folder).")
        var tokenizer: String?

        @Option(help: "Vision tower folder of original-LLaVA checkpoints (default: their mm_vision_tower).")
        var visionTower: String?

        @Option(help: "Conversation template (default by decoder).")
        var template: String?

        @OptionGroup var threadOptions: ThreadOptions

        func run() throws {
            threadOptions.apply()
            let imageURLs = try ImageList.resolve(URL(fileURLWithPath: images), imageFolder: imageFolder.map { URL(fileURLWithPath: $0) },
                                                  limit: limit)
            let teacherModel = try teacher.map { try Teacher(directory: URL(fileURLWithPath: $0), pad: true) }
            let analysis = LayerwiseAlignment(topK: k)
            let folder = try AnalyzeCommand.outputFolder(output)
            var curves: [AlignmentCurve] = []
            for spec in model {
                let (name, directory) = AnalyzeCommand.namedModel(spec)
                let chat = try ChatModel.load(model: directory, visionTower: visionTower.map { URL(fileURLWithPath: $0) },
                                              tokenizer: tokenizer.map { URL(fileURLWithPath: $0) }, templateName: template)
                let aligned = teacherModel.map { Teacher(tower: $0.tower, name: $0.name, grid: chat.gridSide, pad: true) }
                let curve = try analysis.measure(name: name, chat: chat, images: imageURLs, teacher: aligned) { done, total in
                    FileHandle.standardError.write(Data("\(name): image \(done)/\(total)\n".utf8))
                }
                let csvName = model.count == 1 ? "alignment.csv" : "alignment-\(name).csv"
                try AnalyzeCommand.write(curve.csv, to: folder.appendingPathComponent(csvName))
                print("\(name): \(curve.rows) visual tokens, k = \(curve.topK)")
                print(curve.csv, terminator: "")
                curves.append(curve)
            }
            let reference = teacherModel?.name ?? "the tower's features"
            let chart = LayerwiseAlignment.chart(curves, title: "Layer-wise CKNNA (k = \(k)) with \(reference)")
            let png = folder.appendingPathComponent("alignment.png")
            try chart.render().writePNG(to: png.path)
            print("wrote \(png.path)")
        }
    }

    /// `viral analyze attention`: spatial entropy of text→image attention per layer and head.
    struct Attention: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Spatial entropy of the text→image attention per layer and head, averaged over images.",
            discussion: "Writes attention_entropy.csv (layer, head, spatial_entropy, images) and attention_entropy.png into --output.")

        @OptionGroup var modelOptions: ModelOptions

        @Option(help: "A folder of PNG/JPEG images, one image, or a LLaVA data file (.json/.jsonl).")
        var images: String

        @Option(help: "Folder the data file's image paths start from (default: the data file's folder).")
        var imageFolder: String?

        @Option(help: "At most this many images.")
        var limit = 8

        @Option(help: "Spatial-entropy definition: paper (binarise at the mean) or released (the authors' code).")
        var definition = "paper"

        @Option(help: "Output folder.")
        var output = "attention"

        @OptionGroup var threadOptions: ThreadOptions

        func run() throws {
            threadOptions.apply()
            let chosen = try AttentionEntropy.definition(named: definition)
            let imageURLs = try ImageList.resolve(URL(fileURLWithPath: images), imageFolder: imageFolder.map { URL(fileURLWithPath: $0) },
                                                  limit: limit)
            let chat = try modelOptions.load()
            let result = try AttentionEntropy(definition: chosen).measure(chat: chat, images: imageURLs) { done, total in
                FileHandle.standardError.write(Data("image \(done)/\(total)\n".utf8))
            }
            let folder = try AnalyzeCommand.outputFolder(output)
            try AnalyzeCommand.write(result.csv, to: folder.appendingPathComponent("attention_entropy.csv"))
            let png = folder.appendingPathComponent("attention_entropy.png")
            try result.heatMap(title: "Spatial entropy of text-to-image attention (\(result.imageCount) images; grey: no focus)").render().writePNG(to: png.path)
            print("wrote \(folder.appendingPathComponent("attention_entropy.csv").path) and \(png.path)")
        }
    }

    /// `viral analyze pca`: RGB map of the first three principal components of visual tokens.
    struct PCA: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "PCA of one layer's visual tokens of an image, shown as an RGB map beside the image.")

        @Option(help: "LLaVA model folder, or NAME=DIR; repeat to show several models' maps.")
        var model: [String]

        @Option(help: "The image (PNG or JPEG).")
        var image: String

        @Option(help: "Hidden-state index (0 = decoder input; default: the middle layer, VIRAL's aligned layer).")
        var layer: Int?

        @Option(help: "Output PNG file.")
        var output = "pca.png"

        @Option(help: "A tokenizer.json or its folder (default: each model folder).")
        var tokenizer: String?

        @Option(help: "Vision tower folder of original-LLaVA checkpoints (default: their mm_vision_tower).")
        var visionTower: String?

        @Option(help: "Conversation template (default by decoder).")
        var template: String?

        @OptionGroup var threadOptions: ThreadOptions

        func run() throws {
            threadOptions.apply()
            let picture = try ChatModel.loadImage(URL(fileURLWithPath: image))
            var maps: [(caption: String, map: RGBImage)] = []
            var shown = picture
            for spec in model {
                let (name, directory) = AnalyzeCommand.namedModel(spec)
                let chat = try ChatModel.load(model: directory, visionTower: visionTower.map { URL(fileURLWithPath: $0) },
                                              tokenizer: tokenizer.map { URL(fileURLWithPath: $0) }, templateName: template)
                let chosen = layer ?? VisualTokenPCA.middleLayer(of: chat.model.config.decoder.layerCount)
                maps.append(("\(name), layer \(chosen)", try VisualTokenPCA(layer: chosen).map(chat: chat, image: picture)))
                shown = chat.preparedImage(picture)
            }
            let figure = VisualTokenPCA.figure(image: shown, maps: maps, title: "PCA of visual tokens (first 3 components as RGB)")
            try figure.render().writePNG(to: output)
            print("wrote \(output)")
        }
    }

    /// `viral analyze patch-shuffle`: a benchmark with visual tokens in order and shuffled.
    struct PatchShuffleDrop: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "patch-shuffle",
            abstract: "Benchmark accuracy with the visual tokens in order and randomly permuted, and the drop.")

        @OptionGroup var modelOptions: ModelOptions

        @Option(help: "Benchmark name.")
        var benchmark: String

        @Option(help: "Folder with the benchmark's published files.")
        var data: String

        @Option(help: "Only the first N questions.")
        var limit: Int?

        @Option(help: "Seed of the permutation.")
        var seed: UInt64 = 0

        @Option(help: "Most new tokens per answer (default: 16 for MME and MMVP, 128 otherwise).")
        var maxTokens: Int?

        @Option(help: "Output folder for both runs' predictions and metrics.")
        var output = "patch-shuffle"

        @OptionGroup var threadOptions: ThreadOptions

        func run() throws {
            threadOptions.apply()
            let run = try BenchmarkRun(benchmark: benchmark, dataDirectory: URL(fileURLWithPath: data), limit: limit)
            let chat = try modelOptions.load()
            let options = ReplyOptions(maxNewTokens: maxTokens ?? BenchmarkRun.defaultMaxNewTokens(for: run.benchmark))
            let folder = URL(fileURLWithPath: output)
            var metrics: [Metrics] = []
            for shuffle in [nil, PatchShuffle(seed: seed)] {
                let label = shuffle == nil ? "original" : "shuffled"
                let result = try run.run(with: ModelAnswerGenerator(chat: chat, options: options, patchShuffle: shuffle),
                                         outputDirectory: folder) { progress in
                    FileHandle.standardError.write(Data("\(label) \(BenchmarkRun.progressLine(progress))\n".utf8))
                }
                metrics.append(result.metrics)
            }
            print(try PatchShuffleComparison(original: metrics[0], shuffled: metrics[1], seed: seed).table)
        }
    }

    /// A model argument `NAME=DIR` or `DIR` (named after its folder).
    static func namedModel(_ spec: String) -> (name: String, directory: URL) {
        let parts = spec.split(separator: "=", maxSplits: 1).map(String.init)
        let path = parts.count == 2 ? parts[1] : parts[0]
        let url = URL(fileURLWithPath: path)
        return (parts.count == 2 ? parts[0] : url.standardizedFileURL.lastPathComponent, url)
    }

    /// Creates `path` as a folder if needed.
    static func outputFolder(_ path: String) throws -> URL {
        let url = URL(fileURLWithPath: path)
        do {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        } catch {
            throw ExperimentError("cannot create the output folder \(path): \(error.localizedDescription)")
        }
        return url
    }

    /// Writes text to a file atomically.
    static func write(_ text: String, to url: URL) throws {
        do {
            try Data(text.utf8).write(to: url, options: .atomic)
        } catch {
            throw ExperimentError("cannot write \(url.path): \(error.localizedDescription)")
        }
    }
}
