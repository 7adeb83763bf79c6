/// A seeded, reproducible random number generator (xoshiro256**, seeded through SplitMix64).
///
/// Every random choice in `viral` — initialisation, data order, dropout — draws from one of these,
/// so a seed fixes a run.
public struct RandomGenerator: RandomNumberGenerator, Sendable, Codable, Equatable {
    private var s0, s1, s2, s3: UInt64

    /// A generator whose whole sequence is fixed by `seed`.
    public init(seed: UInt64) {
        var x = seed
        func splitMix() -> UInt64 {
            x &+= 0x9E37_79B9_7F4A_7C15
            var z = x
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s0 = splitMix(); s1 = splitMix(); s2 = splitMix(); s3 = splitMix()
    }

    /// A generator that draws nothing: tensors "drawn" from it are placeholders — zero pages that
    /// take no memory until written — for a model whose every weight is about to be replaced by a
    /// memory-mapped checkpoint's (`Tensor.replaceStorage(with:)`). Its state, all zeros, is one
    /// no seed produces.
    public static let placeholder = RandomGenerator(s0: 0, s1: 0, s2: 0, s3: 0)

    /// Whether this is `placeholder`.
    public var isPlaceholder: Bool { s0 | s1 | s2 | s3 == 0 }

    private init(s0: UInt64, s1: UInt64, s2: UInt64, s3: UInt64) {
        (self.s0, self.s1, self.s2, self.s3) = (s0, s1, s2, s3)
    }

    public mutating func next() -> UInt64 {
        let result = ((s1 &* 5) << 7 | (s1 &* 5) >> 57) &* 9
        let t = s1 << 17
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3
        s2 ^= t
        s3 = s3 << 45 | s3 >> 19
        return result
    }

    /// A uniform float in [0, 1) with 24 random bits.
    public mutating func nextUniform() -> Float { Float(next() >> 40) * 0x1p-24 }

    /// A standard normal sample (Box–Muller, computed in Double).
    public mutating func nextNormal() -> Float {
        let u1 = max(Double(next() >> 11) * 0x1p-53, 1e-300)
        let u2 = Double(next() >> 11) * 0x1p-53
        return Float((-2 * Foundation.log(u1)).squareRoot() * Foundation.cos(2 * Double.pi * u2))
    }
}

extension Tensor {
    /// Normal samples with the given mean and standard deviation.
    public static func randomNormal(_ shape: [Int], mean: Float = 0, std: Float = 1,
                                    using generator: inout RandomGenerator) -> Tensor {
        if generator.isPlaceholder { return Tensor(placeholder: shape) }
        let out = Tensor(uninitialized: shape)
        for i in 0..<out.count { out.data[i] = mean + std * generator.nextNormal() }
        return out
    }

    /// Uniform samples in [low, high).
    public static func randomUniform(_ shape: [Int], low: Float = 0, high: Float = 1,
                                     using generator: inout RandomGenerator) -> Tensor {
        if generator.isPlaceholder { return Tensor(placeholder: shape) }
        let out = Tensor(uninitialized: shape)
        for i in 0..<out.count { out.data[i] = low + (high - low) * generator.nextUniform() }
        return out
    }

    /// Inverted dropout: zeroes each element with probability `p` and scales the rest by 1/(1−p).
    public func dropout(probability p: Float, using generator: inout RandomGenerator) -> Tensor {
        guard p > 0 else { return self }
        let mask = Tensor(uninitialized: shape)
        let keep = 1 / (1 - p)
        for i in 0..<count { mask.data[i] = generator.nextUniform() < p ? 0 : keep }
        return self * mask
    }
}

import Foundation
