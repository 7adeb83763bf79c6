import Vision

/// A scene's background: a plain colour, a linear gradient or a colour with light grey noise.
///
/// Colours come from two families of low-saturation tones, light and dark, that every
/// `ShapeColor` stands out against; a gradient stays within one family.
public enum Background: Hashable, Sendable {
    case plain(Tone)
    case gradient(from: Tone, to: Tone, direction: GradientDirection)
    /// Per-pixel grey noise of ±`amplitude` levels, drawn from `seed`.
    case noise(Tone, amplitude: Int, seed: UInt64)

    /// The direction a gradient runs in, from its first colour to its second.
    public enum GradientDirection: String, Sendable, CaseIterable {
        case horizontal, vertical, diagonal
    }

    /// An 8-bit background colour.
    public struct Tone: Hashable, Sendable {
        public var red: UInt8
        public var green: UInt8
        public var blue: UInt8

        /// Creates a tone.
        public init(_ red: UInt8, _ green: UInt8, _ blue: UInt8) {
            self.red = red
            self.green = green
            self.blue = blue
        }
    }

    /// Light tones: off-white, light grey, pale blue, beige, pale sage.
    public static let lightTones = [
        Tone(234, 234, 230), Tone(200, 200, 200), Tone(206, 214, 226), Tone(226, 218, 200), Tone(204, 214, 202),
    ]
    /// Dark tones: slate, charcoal, dark teal-grey.
    public static let darkTones = [Tone(52, 57, 68), Tone(72, 72, 72), Tone(40, 54, 60)]

    /// A random background: plain (40 %), gradient (35 %) or noise (25 %).
    static func random(using generator: inout SeededGenerator) -> Background {
        let tones = generator.chance(0.7) ? lightTones : darkTones
        let kind = generator.index(weightedBy: [0.40, 0.35, 0.25])
        switch kind {
        case 0:
            return .plain(generator.element(of: tones))
        case 1:
            let first = generator.integer(below: tones.count)
            let second = (first + 1 + generator.integer(below: tones.count - 1)) % tones.count
            return .gradient(from: tones[first], to: tones[second],
                             direction: generator.element(of: GradientDirection.allCases))
        default:
            return .noise(generator.element(of: tones), amplitude: generator.integer(in: 6...14),
                          seed: generator.nextBits())
        }
    }

    /// Fills `pixels` (HWC RGB, `side` × `side`) with the background.
    func paint(into pixels: inout [UInt8], side: Int) {
        switch self {
        case let .plain(tone):
            for index in stride(from: 0, to: pixels.count, by: 3) {
                pixels[index] = tone.red
                pixels[index + 1] = tone.green
                pixels[index + 2] = tone.blue
            }
        case let .gradient(first, second, direction):
            // Position t in 0...span along the direction; integer blending keeps it exact.
            let span = max(1, direction == .diagonal ? 2 * (side - 1) : side - 1)
            for y in 0..<side {
                for x in 0..<side {
                    let t: Int
                    switch direction {
                    case .horizontal: t = x
                    case .vertical: t = y
                    case .diagonal: t = x + y
                    }
                    let index = (y * side + x) * 3
                    pixels[index] = Background.mix(first.red, second.red, t, span)
                    pixels[index + 1] = Background.mix(first.green, second.green, t, span)
                    pixels[index + 2] = Background.mix(first.blue, second.blue, t, span)
                }
            }
        case let .noise(tone, amplitude, seed):
            var generator = SeededGenerator(seed: seed)
            for index in stride(from: 0, to: pixels.count, by: 3) {
                let offset = generator.integer(below: 2 * amplitude + 1) - amplitude
                pixels[index] = UInt8(clamping: Int(tone.red) + offset)
                pixels[index + 1] = UInt8(clamping: Int(tone.green) + offset)
                pixels[index + 2] = UInt8(clamping: Int(tone.blue) + offset)
            }
        }
    }

    /// `a + (b - a) · t / span`, rounded to nearest.
    private static func mix(_ a: UInt8, _ b: UInt8, _ t: Int, _ span: Int) -> UInt8 {
        UInt8((Int(a) * (span - t) + Int(b) * t + span / 2) / span)
    }
}
