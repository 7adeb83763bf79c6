import Tensor

/// How to pick tokens during generation.
public struct GenerationOptions: Sendable {
    public var maxNewTokens: Int
    /// 0 = greedy (argmax); otherwise logits are divided by it before sampling.
    public var temperature: Float
    /// Nucleus sampling: keep the smallest set of tokens whose probability reaches `topP`.
    public var topP: Float
    /// Generation stops after any of these ids (the id itself is returned).
    public var stopTokenIDs: Set<Int>
    public var seed: UInt64

    public init(maxNewTokens: Int = 64, temperature: Float = 0, topP: Float = 1, stopTokenIDs: Set<Int> = [], seed: UInt64 = 0) {
        self.maxNewTokens = maxNewTokens
        self.temperature = temperature
        self.topP = topP
        self.stopTokenIDs = stopTokenIDs
        self.seed = seed
    }
}

extension DecoderLM {
    /// Continues one sequence from its prompt embeddings [1, T, D] with a KV cache; returns the
    /// new token ids (ending with a stop id if one was produced).
    /// - Parameter shouldStop: called with the ids generated so far after each new token; true
    ///   ends generation there (stop strings, streaming output).
    public func generate(promptEmbeddings: Tensor, options: GenerationOptions,
                         shouldStop: ((_ generated: [Int]) -> Bool)? = nil) -> [Int] {
        noGrad {
            let promptLength = promptEmbeddings.shape[1]
            let cache = KVCache(for: self, batch: 1, capacity: promptLength + options.maxNewTokens)
            var sampler = TokenSampler(options: options)
            var logits = forward(embeddings: promptEmbeddings, cache: cache, lastPositionOnly: true).logits
            var generated: [Int] = []
            while generated.count < options.maxNewTokens {
                let next = sampler.pick(from: logits.data, count: config.vocabularySize)
                generated.append(next)
                if shouldStop?(generated) == true { break }
                if options.stopTokenIDs.contains(next) || generated.count == options.maxNewTokens { break }
                logits = forward(embeddings: embed([[next]]), cache: cache, lastPositionOnly: true).logits
            }
            return generated
        }
    }

    /// Continues a prompt of token ids.
    public func generate(promptIDs: [Int], options: GenerationOptions) -> [Int] {
        generate(promptEmbeddings: noGrad { embed([promptIDs]) }, options: options)
    }
}

/// Greedy choice or temperature / top-p sampling over one row of logits.
struct TokenSampler {
    let options: GenerationOptions
    var generator: RandomGenerator

    init(options: GenerationOptions) {
        self.options = options
        generator = RandomGenerator(seed: options.seed)
    }

    mutating func pick(from logits: UnsafePointer<Float>, count: Int) -> Int {
        if options.temperature <= 0 { return Tensor.indexOfFirstMaximum(logits, count: count) }
        var probabilities = [Float](repeating: 0, count: count)
        let scaled = (0..<count).map { logits[$0] / options.temperature }
        scaled.withUnsafeBufferPointer { x in
            probabilities.withUnsafeMutableBufferPointer { Softmax.row(x.baseAddress!, $0.baseAddress!, count) }
        }
        var order = Array(0..<count)
        order.sort { probabilities[$0] > probabilities[$1] }
        var kept: [Int] = [], mass: Float = 0
        for index in order {
            kept.append(index)
            mass += probabilities[index]
            if mass >= options.topP { break }
        }
        var threshold = generator.nextUniform() * mass
        for index in kept {
            threshold -= probabilities[index]
            if threshold <= 0 { return index }
        }
        return kept.last!
    }
}
