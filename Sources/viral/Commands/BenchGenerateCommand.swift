import ArgumentParser
import Experiments
import Foundation
import Models
import NN
import SafeTensors
import Tensor
import Training

extension BenchCommand {
    /// `viral bench generate`: prefill and decode speed of a LLaVA model folder.
    struct Generate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Time prefill and decode of a LLaVA model folder with a KV cache (batch of random prompts with an image).",
            discussion: """
                Prints the same lines as bench/generate_reference.py prints for transformers' generate.
                A LLaVA-1.5-7B-shaped BF16 folder to try it on: viral bench checkpoint --preset llava-1.5-7b --output DIR
                """)

        @Option(help: "LLaVA model folder (config.json + safetensors).")
        var model: String

        @Option(help: "Prompts generated side by side.")
        var batch = 1

        @Option(help: "Text tokens per prompt after the image's tokens.")
        var promptTokens = 32

        @Option(help: "Tokens generated per prompt (the first comes from the prefill).")
        var newTokens = 32

        @Option(help: "Untimed warm-up runs (they also bring a mapped checkpoint into the page cache).")
        var warmup = 1

        @Flag(help: "Copy the weights into memory as F32 instead of reading them from the mapped files.")
        var inMemory = false

        @OptionGroup var threadOptions: ThreadOptions
        @OptionGroup var precisionOptions: PrecisionOptions

        mutating func validate() throws {
            guard warmup >= 0 else { throw ValidationError("--warmup must not be negative") }
        }

        mutating func run() throws {
            threadOptions.apply()
            precisionOptions.apply()
            let loadStart = DispatchTime.now().uptimeNanoseconds
            let loaded = try ModelLoader.load(URL(fileURLWithPath: model), storage: inMemory ? .inMemory : .mapped)
            guard case .llava(let llava) = loaded else {
                throw ValidationError("\(model) does not hold a LLaVA model (config.json model_type \"llava\")")
            }
            let loadSeconds = Double(DispatchTime.now().uptimeNanoseconds - loadStart) / 1e9
            let benchmark = try GenerationBenchmark(model: llava, batch: batch, textTokens: promptTokens, newTokens: newTokens)
            for _ in 0..<warmup {
                _ = try GenerationBenchmark(model: llava, batch: batch, textTokens: promptTokens, newTokens: 2).measure()
            }
            let (result, generated) = try benchmark.measure()
            let memory = PeakMemory.residentBytes().map { String(format: "%.0f", Double($0) / 1_048_576) } ?? "unknown"
            print("model \(model) viral storage \(inMemory ? "in-memory" : "mapped") threads \(Parallel.threads)"
                  + " matmul_precision \(MatmulPrecision.current.rawValue)")
            print("batch \(batch) prompt_tokens \(result.promptTokens) (\(llava.config.imageTokenCount) image + 1 bos + \(promptTokens) text) new_tokens \(newTokens)")
            print(String(format: "load_s %.2f", loadSeconds))
            print(String(format: "prefill_s %.3f", result.prefillSeconds))
            print(String(format: "prefill_tokens_per_s %.1f", result.prefillTokensPerSecond))
            print(String(format: "decode_ms_per_step %.1f", result.decodeMillisecondsPerStep))
            print(String(format: "decode_tokens_per_s %.2f", result.decodeTokensPerSecond))
            print("peak_rss_mb \(memory)")
            print("first_tokens " + generated[0].prefix(8).map(String.init).joined(separator: " "))
        }
    }

    /// `viral bench checkpoint`: writes a LLaVA-shaped folder with random weights.
    struct Checkpoint: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a LLaVA checkpoint folder of a published shape with random weights (for bench generate).",
            discussion: "llava-1.5-7b is 7.06 B parameters: 14.1 GB as BF16. Both viral and transformers load the folder.")

        @Option(help: "Shapes: \(RandomLlavaCheckpoint.Preset.allCases.map(\.rawValue).joined(separator: ", ")).")
        var preset: String

        @Option(help: "Where to write config.json and the safetensors shards.")
        var output: String

        @Option(help: "Stored dtype: BF16, F16 or F32.")
        var dtype = "BF16"

        @Option(help: "Seed of the random weights.")
        var seed: UInt64 = 0

        @OptionGroup var threadOptions: ThreadOptions

        mutating func run() throws {
            threadOptions.apply()
            guard let shapes = RandomLlavaCheckpoint.Preset(rawValue: preset) else {
                throw ValidationError("unknown --preset \"\(preset)\"; choose one of \(RandomLlavaCheckpoint.Preset.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            guard let storedAs = DType(rawValue: dtype.uppercased()) else {
                throw ValidationError("unknown --dtype \"\(dtype)\"; choose BF16, F16 or F32")
            }
            var written = 0
            try RandomLlavaCheckpoint.write(shapes.config, dtype: storedAs, seed: seed, to: URL(fileURLWithPath: output)) { _ in
                written += 1
                if written % 50 == 0 { print("  \(written) tensors written") }
            }
            print("wrote \(preset) (\(storedAs.name)) to \(output)")
        }
    }
}
