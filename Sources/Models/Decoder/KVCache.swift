import Tensor

/// Keys and values of past positions for generation, one preallocated buffer per layer
/// ([batch, capacity, kvHeads·headDim]), so a decode step copies only the new position.
public final class KVCache {
    public let batch: Int
    public let capacity: Int
    public let width: Int
    /// Positions stored so far.
    public private(set) var length = 0
    private let keys: [TensorStorage]
    private let values: [TensorStorage]

    public init(config: DecoderConfig, batch: Int, capacity: Int) {
        self.batch = batch
        self.capacity = capacity
        width = config.kvHeadCount * config.headDim
        keys = (0..<config.layerCount).map { _ in TensorStorage(count: batch * capacity * config.kvHeadCount * config.headDim, zeroed: false) }
        values = (0..<config.layerCount).map { _ in TensorStorage(count: batch * capacity * config.kvHeadCount * config.headDim, zeroed: false) }
    }

    /// Room left for new positions.
    public var remaining: Int { capacity - length }

    /// Appends `key`/`value` ([batch, newTokens, width]) for `layer` at the current length and
    /// returns the buffers holding all positions so far (length + newTokens valid per batch row).
    func append(layer: Int, key: Tensor, value: Tensor) -> (keys: UnsafeMutablePointer<Float>, values: UnsafeMutablePointer<Float>) {
        let tokens = key.shape[1]
        precondition(length + tokens <= capacity, "KV cache overflow: \(length) + \(tokens) > \(capacity)")
        for b in 0..<batch {
            let destination = (b * capacity + length) * width
            (keys[layer].base + destination).update(from: key.data + b * tokens * width, count: tokens * width)
            (values[layer].base + destination).update(from: value.data + b * tokens * width, count: tokens * width)
        }
        return (keys[layer].base, values[layer].base)
    }

    /// Marks `tokens` more positions as stored (after every layer appended them).
    func advance(by tokens: Int) { length += tokens }
}
