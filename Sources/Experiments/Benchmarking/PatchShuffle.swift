import Tensor

/// The paper's patch-shuffle robustness analysis: the visual tokens of every image are put in a
/// fixed random order (drawn from `seed`) before they enter the decoder. A model that uses the
/// spatial layout of its visual tokens loses accuracy; the drop measures how much.
///
/// The permutation is applied to the projected tokens; the projector works on each token alone,
/// so this equals permuting the projector's input rows.
public struct PatchShuffle: Sendable, Equatable {
    /// The seed of the permutation.
    public let seed: UInt64

    /// A shuffle drawn from `seed`.
    public init(seed: UInt64) { self.seed = seed }

    /// The permutation of `count` positions: output position i takes input position `result[i]`.
    /// Fisher–Yates with the project's seeded generator, so a seed always gives the same order.
    public func permutation(count: Int) -> [Int] {
        var order = Array(0..<count)
        var generator = RandomGenerator(seed: seed)
        var i = count - 1
        while i > 0 {
            let j = Int(generator.next() % UInt64(i + 1))
            order.swapAt(i, j)
            i -= 1
        }
        return order
    }

    /// Visual tokens [images, N, D] with the rows of every image permuted by `permutation(count: N)`.
    public func callAsFunction(_ tokens: Tensor) -> Tensor {
        precondition(tokens.rank == 3, "visual tokens are [images, tokens, width], got \(tokens.shape)")
        let (images, count) = (tokens.shape[0], tokens.shape[1])
        let order = permutation(count: count)
        let rows = (0..<images).flatMap { image in order.map { image * count + $0 } }
        return tokens.reshaped([images * count, tokens.shape[2]]).gatherRows(rows).reshaped(tokens.shape)
    }
}
