import Vision

/// A continuous colour scale for heat maps.
public struct ColorScale: Sendable, Equatable {
    /// Colours at evenly spaced positions from 0 to 1, interpolated linearly in between.
    public let stops: [RGBColor]

    /// A scale through `stops` (at least two).
    public init(stops: [RGBColor]) {
        precondition(stops.count >= 2, "a colour scale needs at least two stops")
        self.stops = stops
    }

    /// Matplotlib's viridis (perceptually uniform, readable in grey), sampled at ten points.
    public static let viridis = ColorScale(stops: [
        RGBColor(hex: 0x440154), RGBColor(hex: 0x482878), RGBColor(hex: 0x3E4A89), RGBColor(hex: 0x31688E),
        RGBColor(hex: 0x26828E), RGBColor(hex: 0x1F9E89), RGBColor(hex: 0x35B779), RGBColor(hex: 0x6DCD59),
        RGBColor(hex: 0xB4DE2C), RGBColor(hex: 0xFDE725),
    ])

    /// The colour at `position` in 0…1 (clamped).
    public func color(at position: Double) -> RGBColor {
        let t = min(max(position.isNaN ? 0 : position, 0), 1) * Double(stops.count - 1)
        let index = min(Int(t), stops.count - 2)
        return stops[index].mixed(with: stops[index + 1], amount: t - Double(index))
    }
}
