import ArgumentParser
import Dispatch
import Foundation
import SyntheticData

/// `viral data …`: datasets for training and evaluation.
struct DataCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "data",
        abstract: "Make datasets.",
        subcommands: [Synth.self]
    )

    struct Synth: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Generate synthetic shape scenes: a LLaVA training split and POPE, CV-Bench 2D, MMVP "
                + "and What's Up evaluation splits.",
            discussion: """
                Writes DIR/train.json + DIR/images/ (LLaVA conversations mixing counting, relation, \
                existence, attribute and image-pair questions, each followed by two yes/no existence \
                checks and a description of the scene), DIR/pope, DIR/cvbench, DIR/mmvp and \
                DIR/whatsup in the benchmarks' published layouts, and DIR/manifest.json. The same \
                seed gives byte-identical files. Each evaluation split is loaded back with its \
                benchmark before the command reports success.
                """)

        @Option(help: "Output folder (created; must be empty unless --overwrite).")
        var output: String

        @Option(help: "Number of training records, one image each.")
        var train: Int = 2000

        @Option(help: "Questions per evaluation benchmark, and per POPE split (whole MMVP pairs, What's Up sets, POPE images).")
        var eval: Int = 600

        @Option(help: "Seed of every random choice.")
        var seed: UInt64 = 0

        @Option(help: "Image side in pixels (48–1024).")
        var imageSize: Int = 64

        @Flag(help: "Replace the generator's files in a non-empty output folder.")
        var overwrite = false

        @OptionGroup var threadOptions: ThreadOptions

        mutating func run() throws {
            threadOptions.apply()
            let start = DispatchTime.now()
            let options = SynthesisOptions(imageSize: imageSize, trainingCount: train, evaluationCount: eval, seed: seed)
            let dataset = try SyntheticDataset(options: options)
            let planned = DispatchTime.now()
            let folder = URL(fileURLWithPath: output)
            try dataset.write(to: folder, overwrite: overwrite)
            let written = DispatchTime.now()
            let loaded = try dataset.verifyEvaluationSplits(in: folder)
            print("wrote \(folder.path) (seed \(seed), \(imageSize)×\(imageSize) images)")
            print("  train.json: \(dataset.training.records.count) records")
            for name in loaded.keys.sorted() {
                print("  \(name): \(loaded[name]!) questions, loaded back by the \(name) benchmark")
            }
            print(String(format: "  planned in %.2f s, rendered and written in %.2f s",
                         seconds(from: start, to: planned), seconds(from: planned, to: written)))
        }

        private func seconds(from start: DispatchTime, to end: DispatchTime) -> Double {
            Double(end.uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
        }
    }
}
