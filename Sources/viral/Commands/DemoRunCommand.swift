import ArgumentParser
import Experiments
import Foundation

extension DemoCommand {
    /// `viral demo` (`viral demo run`): the whole experiment, ending with the report.
    struct Run: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "run",
            abstract: "Synthetic data → built-in models → baseline and VIRAL training → evaluation, CKNNA, patch shuffle, PCA → report.")

        @Option(help: "Output folder (data, models, runs, report).") var output = "demo-output"
        @Option(help: "Number of training seeds (0, 1, …); with more than one the table shows mean ± std.") var seeds = 1
        @Option(help: "Optimizer updates per model.") var steps = DemoOptions(output: URL(fileURLWithPath: "/")).steps
        @Option(help: "Samples per update.") var batchSize = DemoOptions(output: URL(fileURLWithPath: "/")).batchSize
        @Option(help: "Decoder and projector learning rate.") var lr: Float?
        @Option(help: "λ, the weight of VIRAL's alignment loss.") var vraWeight: Float?
        @Option(help: "Aligned decoder layer (default: the middle).") var vraLayer: Int?
        @Option(help: "A teacher checkpoint folder instead of the built-in one.") var teacher: String?
        @Option(help: "A folder written by `viral demo prepare-models` to take the built-in models from (make demo: builtin-models); default: make them, warm start and drills included (about an hour).") var models: String?
        @Option(help: "Training records to synthesise (default: steps × batch size, so none is seen twice).") var train: Int?
        @Option(help: "Evaluation questions per benchmark, and per POPE split.") var eval = DemoOptions(output: URL(fileURLWithPath: "/")).evaluationCount
        @Option(help: "Seed of the data, and of the built-in models when they are made here (without --models).") var dataSeed: UInt64 = 0

        @OptionGroup var threadOptions: ThreadOptions

        func run() throws {
            threadOptions.apply()
            keepFreedMemory()
            var options = DemoOptions(output: URL(fileURLWithPath: output), seeds: (0..<max(seeds, 0)).map(UInt64.init), steps: steps,
                                      batchSize: batchSize, alignmentLayer: vraLayer, teacher: teacher.map(URL.init(fileURLWithPath:)),
                                      models: models.map(URL.init(fileURLWithPath:)),
                                      trainingCount: train, evaluationCount: eval, dataSeed: dataSeed)
            if let lr { options.learningRate = lr; options.projectorLearningRate = lr }
            if let vraWeight { options.alignmentWeight = vraWeight }
            let report = try DemoExperiment(options: options).run { print($0); fflush(stdout) }
            print("\n" + report.table)
        }
    }
}
