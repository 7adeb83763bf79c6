import Tensor

extension DecoderLM {
    /// Continues several prompts at once: prompts of different lengths are left-padded (masked
    /// keys, positions counted from each prompt's first real token, as transformers does for
    /// left-padded batches), decoded together with one KV cache; each row stops at its own stop id.
    /// - Parameter prompts: embeddings [1, T_i, D] per prompt.
    /// - Returns: the new token ids of each prompt.
    public func generate(batch prompts: [Tensor], options: GenerationOptions) -> [[Int]] {
        guard !prompts.isEmpty else { return [] }
        if prompts.count == 1 { return [generate(promptEmbeddings: prompts[0], options: options)] }
        return noGrad {
            let width = config.hiddenSize, batch = prompts.count
            let lengths = prompts.map { $0.shape[1] }, longest = lengths.max()!
            let padded = Tensor(zeros: [batch, longest, width])
            for (b, prompt) in prompts.enumerated() {
                (padded.data + (b * longest + longest - lengths[b]) * width).update(from: prompt.data, count: prompt.count)
            }
            var visible = lengths.map { Array(repeating: false, count: longest - $0) + Array(repeating: true, count: $0) }
            var positions = lengths.flatMap { Array(repeating: 0, count: longest - $0) + Array(0..<$0) }
            let cache = KVCache(for: self, batch: batch, capacity: longest + options.maxNewTokens)
            var samplers = (0..<batch).map { b -> TokenSampler in
                var rowOptions = options
                rowOptions.seed = options.seed &+ UInt64(b)
                return TokenSampler(options: rowOptions)
            }
            var logits = forward(embeddings: padded, attentionMask: visible, positions: positions, cache: cache,
                                 lastPositionOnly: true).logits
            var generated = [[Int]](repeating: [], count: batch)
            var finished = [Bool](repeating: false, count: batch)
            for step in 0..<options.maxNewTokens {
                var next = [Int](repeating: 0, count: batch)
                for b in 0..<batch where !finished[b] {
                    next[b] = samplers[b].pick(from: logits.data + b * config.vocabularySize, count: config.vocabularySize)
                    generated[b].append(next[b])
                    if options.stopTokenIDs.contains(next[b]) { finished[b] = true }
                }
                if finished.allSatisfy({ $0 }) || step == options.maxNewTokens - 1 { break }
                for b in 0..<batch { visible[b].append(true) }
                positions = lengths.map { $0 + step }
                logits = forward(embeddings: embed(next.map { [$0] }), attentionMask: visible, positions: positions,
                                 cache: cache, lastPositionOnly: true).logits
            }
            return generated
        }
    }
}
