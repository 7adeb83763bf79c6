import ArgumentParser
import Experiments
import Foundation
import Training
import Vision

/// `viral analyze …`: the paper's analysis tools.
struct AnalyzeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyze",
        abstract: "Analyse representations and training runs.",
        subcommands: [Similarity.self, Curves.self, Alignment.self, Attention.self, PCA.self, PatchShuffleDrop.self]
    )

    struct Similarity: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "CKNNA, mutual k-NN and unbiased CKA between two feature matrices in a safetensors file.")

        @Option(help: "A safetensors file holding both feature matrices ([rows, features]).")
        var features: String
        @Option(help: "Name of the first tensor.")
        var a: String
        @Option(help: "Name of the second tensor.")
        var b: String
        @Option(help: "Neighbours for CKNNA and mutual k-NN.")
        var k: Int = 10
        @Flag(help: "Clamp outliers at the 0.95 quantile and L2-normalise rows first (as VIRAL's analysis).")
        var prepare = false

        @OptionGroup var threadOptions: ThreadOptions

        func run() throws {
            threadOptions.apply()
            let report = try SimilarityReport(file: URL(fileURLWithPath: features), a: a, b: b, topK: k, prepare: prepare)
            print(report.text)
        }
    }

    struct Curves: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Plot training curves from JSONL training logs.")

        @Argument(help: "Training logs (train_log.jsonl), optionally as NAME=PATH.")
        var logs: [String]
        @Option(help: "Loss term: lm_loss, vra_loss or loss.")
        var term = "lm_loss"
        @Option(help: "Output PNG file.")
        var output: String

        @OptionGroup var threadOptions: ThreadOptions

        func run() throws {
            threadOptions.apply()
            let runs = try logs.map { spec -> (name: String, entries: [TrainingLogEntry]) in
                let parts = spec.split(separator: "=", maxSplits: 1).map(String.init)
                let path = parts.count == 2 ? parts[1] : parts[0]
                let name = parts.count == 2 ? parts[0] : URL(fileURLWithPath: path).deletingLastPathComponent().lastPathComponent
                return (name, try TrainingLog.read(URL(fileURLWithPath: path)))
            }
            try TrainingCurves.chart(runs: runs, term: term).writePNG(to: output)
            print("wrote \(output)")
        }
    }
}
