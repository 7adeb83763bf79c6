/// An opaque 8-bit sRGB colour.
public struct RGBColor: Sendable, Equatable, Hashable {
    /// Red, 0…255.
    public var red: UInt8
    /// Green, 0…255.
    public var green: UInt8
    /// Blue, 0…255.
    public var blue: UInt8

    /// A colour from its three channels.
    public init(_ red: UInt8, _ green: UInt8, _ blue: UInt8) {
        self.red = red
        self.green = green
        self.blue = blue
    }

    /// A colour from a 0xRRGGBB value.
    public init(hex: UInt32) {
        self.init(UInt8((hex >> 16) & 0xFF), UInt8((hex >> 8) & 0xFF), UInt8(hex & 0xFF))
    }

    /// The background of every chart.
    public static let white = RGBColor(255, 255, 255)
    /// Pure black.
    public static let black = RGBColor(0, 0, 0)
    /// Text and axes.
    public static let ink = RGBColor(34, 34, 34)
    /// Grid lines.
    public static let gridGray = RGBColor(225, 225, 225)
    /// Borders of legends and colour bars.
    public static let borderGray = RGBColor(160, 160, 160)

    /// The ten colours of Tableau 10 (matplotlib's default cycle), for series in order.
    public static let palette: [RGBColor] = [
        RGBColor(hex: 0x1F77B4), RGBColor(hex: 0xFF7F0E), RGBColor(hex: 0x2CA02C), RGBColor(hex: 0xD62728),
        RGBColor(hex: 0x9467BD), RGBColor(hex: 0x8C564B), RGBColor(hex: 0xE377C2), RGBColor(hex: 0x7F7F7F),
        RGBColor(hex: 0xBCBD22), RGBColor(hex: 0x17BECF),
    ]

    /// The palette colour for series number `index` (cycling).
    public static func series(_ index: Int) -> RGBColor {
        palette[((index % palette.count) + palette.count) % palette.count]
    }

    /// This colour mixed with `other`: `amount` 0 keeps self, 1 gives `other`.
    public func mixed(with other: RGBColor, amount: Double) -> RGBColor {
        let t = min(max(amount, 0), 1)
        func channel(_ a: UInt8, _ b: UInt8) -> UInt8 {
            UInt8((Double(a) * (1 - t) + Double(b) * t).rounded())
        }
        return RGBColor(channel(red, other.red), channel(green, other.green), channel(blue, other.blue))
    }
}
