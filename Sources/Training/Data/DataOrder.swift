import Tensor

/// Where a data loader is in its stream of records: the epoch and how many records of that
/// epoch's order have been taken. Save it with a checkpoint and restore it to resume at the
/// exact next record.
public struct DataPosition: Codable, Hashable, Sendable, CustomStringConvertible {
    /// The epoch, from 0.
    public var epoch: Int
    /// How many entries of the epoch's order have been taken (the next one is at this index).
    public var index: Int

    /// Creates a position.
    public init(epoch: Int, index: Int) {
        self.epoch = epoch
        self.index = index
    }

    /// The start of training.
    public static let start = DataPosition(epoch: 0, index: 0)

    /// `epoch E, record I`.
    public var description: String { "epoch \(epoch), record \(index)" }
}

/// The order in which an epoch visits the records: a seeded shuffle, different in every epoch,
/// the same in every run with the same seed and record count.
public struct DataOrder: Hashable, Sendable {
    /// The number of records.
    public let count: Int
    /// The seed of the whole run.
    public let seed: UInt64
    /// Whether records are shuffled (false: file order in every epoch).
    public let shuffles: Bool

    /// Creates an order.
    public init(count: Int, seed: UInt64, shuffles: Bool = true) {
        precondition(count >= 0, "a record count is not negative")
        self.count = count
        self.seed = seed
        self.shuffles = shuffles
    }

    /// The record indices of `epoch`, in visiting order: a permutation of 0..<count.
    ///
    /// A Fisher–Yates shuffle driven by a generator seeded from (seed, epoch), drawing bounded
    /// integers with Lemire's multiply-and-reject method, so the order depends on nothing but
    /// these numbers (not on the standard library's `shuffle`, whose algorithm may change).
    public func indices(forEpoch epoch: Int) -> [Int] {
        var indices = Array(0..<count)
        guard shuffles, count > 1 else { return indices }
        // SplitMix seeding decorrelates nearby seeds, so seed + epoch·golden-ratio is enough.
        var generator = RandomGenerator(seed: seed &+ UInt64(epoch) &* 0x9E37_79B9_7F4A_7C15)
        for last in stride(from: count - 1, to: 0, by: -1) {
            let other = Self.boundedRandom(below: UInt64(last + 1), using: &generator)
            indices.swapAt(last, Int(other))
        }
        return indices
    }

    /// A uniform integer in 0..<bound.
    private static func boundedRandom(below bound: UInt64, using generator: inout RandomGenerator) -> UInt64 {
        var product = generator.next().multipliedFullWidth(by: bound)
        if product.low < bound {
            let threshold = (0 &- bound) % bound
            while product.low < threshold {
                product = generator.next().multipliedFullWidth(by: bound)
            }
        }
        return product.high
    }
}
