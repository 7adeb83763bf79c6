import Vision

/// The colours of the charts, on Vision's `RGBColor`.
extension RGBColor {
    /// A colour from a 0xRRGGBB value.
    public init(hex: UInt32) {
        self.init(red: UInt8((hex >> 16) & 0xFF), green: UInt8((hex >> 8) & 0xFF), blue: UInt8(hex & 0xFF))
    }

    /// Text and axes.
    public static let ink = RGBColor(hex: 0x222222)
    /// Grid lines.
    public static let gridGray = RGBColor(hex: 0xE1E1E1)
    /// Borders of legends and colour bars.
    public static let borderGray = RGBColor(hex: 0xA0A0A0)

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
        return RGBColor(red: channel(red, other.red), green: channel(green, other.green), blue: channel(blue, other.blue))
    }
}
