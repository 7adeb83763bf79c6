import ArgumentParser
import Evaluation
import Experiments
import Foundation

/// `viral eval`: a benchmark run with a LLaVA model, or the re-scoring of a predictions file.
struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Evaluate a LLaVA model on a benchmark, or re-score a predictions file without a model.",
        discussion: """
            Benchmarks: \(Benchmarks.names.joined(separator: ", ")). With --model, writes \
            <benchmark>.predictions.jsonl and <benchmark>.metrics.json into --output and prints the metrics; \
            with --score, parses and scores the predictions file again.
            """)

    @Option(help: "Benchmark name.")
    var benchmark: String

    @Option(help: "Folder with the benchmark's published files.")
    var data: String

    @Option(help: "LLaVA model folder (config.json + safetensors).")
    var model: String?

    @Option(help: "A predictions file (JSON Lines with question_id and answer) to re-score instead of running a model.")
    var score: String?

    @Option(help: "Only the first N questions.")
    var limit: Int?

    @Option(help: "Output folder.")
    var output = "eval-results"

    @Option(help: "Most new tokens per answer (default: 16 for MME and MMVP, 128 otherwise).")
    var maxTokens: Int?

    @Option(help: "Shuffle the visual tokens with this seed (patch-shuffle robustness analysis).")
    var patchShuffle: UInt64?

    @Option(help: "A tokenizer.json or the folder holding it (default: the model folder).")
    var tokenizer: String?

    @Option(help: "Conversation template (default: chatml for Qwen2 decoders, vicuna_v1 otherwise).")
    var template: String?

    @Option(help: "Vision tower folder of an original-LLaVA checkpoint.")
    var visionTower: String?

    func validate() throws {
        guard (model == nil) != (score == nil) else {
            throw ValidationError("pass either --model DIR (run the benchmark) or --score PREDICTIONS.jsonl (re-score)")
        }
    }

    @OptionGroup var threadOptions: ThreadOptions
    @OptionGroup var precisionOptions: PrecisionOptions

    func run() throws {
        threadOptions.apply()
        precisionOptions.apply()
        let run = try BenchmarkRun(benchmark: benchmark, dataDirectory: URL(fileURLWithPath: data), limit: limit)
        if let score {
            let rescored = try run.rescore(URL(fileURLWithPath: score))
            print(rescored.summary)
            print(rescored.metrics.table)
            return
        }
        guard let model else { throw ValidationError("pass --model DIR to run the benchmark") }
        let chat = try ChatModel.load(model: URL(fileURLWithPath: model), visionTower: visionTower.map { URL(fileURLWithPath: $0) },
                                      tokenizer: tokenizer.map { URL(fileURLWithPath: $0) }, templateName: template)
        let options = ReplyOptions(maxNewTokens: maxTokens ?? BenchmarkRun.defaultMaxNewTokens(for: run.benchmark))
        let generator = ModelAnswerGenerator(chat: chat, options: options, patchShuffle: patchShuffle.map(PatchShuffle.init))
        let outputFolder = URL(fileURLWithPath: output)
        let result = try run.run(with: generator, outputDirectory: outputFolder) { progress in
            FileHandle.standardError.write(Data((BenchmarkRun.progressLine(progress) + "\n").utf8))
        }
        let files = run.outputFiles(in: outputFolder, patchShuffle: generator.patchShuffle)
        print(result.metrics.table)
        print("wrote \(files.predictions.path) and \(files.metrics.path)")
    }
}
