/// A SplitMix64 random number generator with its own sampling helpers.
///
/// Every draw the generator makes is defined here (no `Int.random(in:using:)`, `shuffled(using:)`
/// or `randomElement(using:)`, whose algorithms the standard library may change), so a seed gives
/// the same data on every machine and every toolchain.
struct SeededGenerator: Sendable {
    private var state: UInt64

    /// A generator started from `seed`.
    init(seed: UInt64) {
        state = seed
    }

    /// A generator for one member of a family: its seed mixes the family seed, a label naming the
    /// purpose (e.g. "train" or "pope") and an index, so streams never share their draws.
    init(seed: UInt64, stream label: String, index: Int) {
        var mixed = SeededGenerator(seed: seed ^ SeededGenerator.fnv1a(label))
        var indexed = SeededGenerator(seed: mixed.nextBits() ^ UInt64(truncatingIfNeeded: index))
        state = indexed.nextBits()
    }

    /// The next 64 random bits.
    mutating func nextBits() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }

    /// A uniform integer in `0..<bound` (Lemire's multiply-and-reject, so without modulo bias).
    mutating func integer(below bound: Int) -> Int {
        precondition(bound > 0, "empty range")
        let range = UInt64(bound)
        var product = nextBits().multipliedFullWidth(by: range)
        if product.low < range {
            let threshold = (0 &- range) % range
            while product.low < threshold {
                product = nextBits().multipliedFullWidth(by: range)
            }
        }
        return Int(product.high)
    }

    /// A uniform integer in `range`.
    mutating func integer(in range: ClosedRange<Int>) -> Int {
        range.lowerBound + integer(below: range.count)
    }

    /// A uniform number in [0, 1) with 53 random bits.
    mutating func unit() -> Double {
        Double(nextBits() >> 11) * 0x1p-53
    }

    /// A uniform number in `range`.
    mutating func number(in range: ClosedRange<Double>) -> Double {
        range.lowerBound + unit() * (range.upperBound - range.lowerBound)
    }

    /// True with probability `probability`.
    mutating func chance(_ probability: Double) -> Bool {
        unit() < probability
    }

    /// A uniformly chosen element of a non-empty collection.
    mutating func element<C: Collection>(of collection: C) -> C.Element {
        precondition(!collection.isEmpty, "choosing from an empty collection")
        return collection[collection.index(collection.startIndex, offsetBy: integer(below: collection.count))]
    }

    /// An index drawn with probability proportional to `weights` (all non-negative, sum positive).
    mutating func index(weightedBy weights: [Double]) -> Int {
        let total = weights.reduce(0, +)
        precondition(total > 0, "weights sum to zero")
        var remaining = unit() * total
        for (index, weight) in weights.enumerated() {
            remaining -= weight
            if remaining < 0 { return index }
        }
        return weights.lastIndex(where: { $0 > 0 })!
    }

    /// The elements in a uniformly random order (Fisher–Yates).
    mutating func shuffled<T>(_ elements: [T]) -> [T] {
        var result = elements
        for i in stride(from: result.count - 1, to: 0, by: -1) {
            result.swapAt(i, integer(below: i + 1))
        }
        return result
    }

    /// FNV-1a of a label's UTF-8 bytes: a stable hash (Swift's `Hasher` is seeded per process).
    private static func fnv1a(_ label: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in label.utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
        }
        return hash
    }
}
