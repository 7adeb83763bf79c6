import Tensor

/// Keys and values of past positions for generation, one preallocated buffer per layer
/// ([batch, capacity, kvHeads·headDim]), so a decode step copies only the new position.
public final class KVCache {
    public let batch: Int
    public let capacity: Int
    public let width: Int
    /// How keys and values are stored: F32, or the 16-bit format of a model with 16-bit weights.
    public let element: TensorStorage.Element
    /// Positions stored so far.
    public private(set) var length = 0
    private let keys: [CachedRows]
    private let values: [CachedRows]

    public init(config: DecoderConfig, batch: Int, capacity: Int, element: TensorStorage.Element = .float32) {
        self.batch = batch
        self.capacity = capacity
        self.element = element
        width = config.kvHeadCount * config.headDim
        let count = batch * capacity * width
        keys = (0..<config.layerCount).map { _ in CachedRows(count: count, element: element) }
        values = (0..<config.layerCount).map { _ in CachedRows(count: count, element: element) }
    }

    /// A cache for `model`, in the format of its attention weights when they are 16-bit (a
    /// memory-mapped BF16 or F16 checkpoint, as transformers keeps its cache in the model's
    /// dtype), in F32 otherwise.
    public convenience init(for model: DecoderLM, batch: Int, capacity: Int) {
        let element = model.layers.first?.selfAttention.kProj.weight.storage.element ?? .float32
        self.init(config: model.config, batch: batch, capacity: capacity, element: element)
    }

    /// Room left for new positions.
    public var remaining: Int { capacity - length }

    /// Appends `key`/`value` ([batch, newTokens, width]) for `layer` at the current length and
    /// returns the rows holding all positions so far (length + newTokens valid per batch row).
    func append(layer: Int, key: Tensor, value: Tensor) -> (keys: CachedRows, values: CachedRows) {
        let tokens = key.shape[1]
        precondition(length + tokens <= capacity, "KV cache overflow: \(length) + \(tokens) > \(capacity)")
        for b in 0..<batch {
            let destination = (b * capacity + length) * width
            keys[layer].store(key.data + b * tokens * width, count: tokens * width, at: destination)
            values[layer].store(value.data + b * tokens * width, count: tokens * width, at: destination)
        }
        return (keys[layer], values[layer])
    }

    /// Marks `tokens` more positions as stored (after every layer appended them).
    func advance(by tokens: Int) { length += tokens }
}
