import Foundation

/// A linear axis: its data range and tick values at "nice" steps (1, 2 or 5 × 10ⁿ, after
/// Heckbert's "Nice numbers for graph labels", Graphics Gems 1990).
struct AxisScale {
    /// Data value at the start of the axis.
    let lower: Double
    /// Data value at the end of the axis.
    let upper: Double
    /// Tick values within [lower, upper].
    let ticks: [Double]
    /// Distance between ticks.
    let step: Double

    /// An axis over `lower...upper` with about `targetTicks` ticks. `expandToTicks` widens the
    /// range to the enclosing tick multiples (value axes); otherwise the range stays as given.
    init(lower: Double, upper: Double, targetTicks: Int, expandToTicks: Bool) {
        var low = lower
        var high = upper
        if !(high > low) {
            // A single value: open a range around it so the axis has a length.
            let pad = low == 0 ? 1 : abs(low) * 0.1
            low -= pad
            high += pad
        }
        let step = Self.niceNumber((high - low) / Double(max(targetTicks - 1, 1)), round: true)
        if expandToTicks {
            low = (low / step).rounded(.down) * step
            high = (high / step).rounded(.up) * step
        }
        var ticks: [Double] = []
        var tick = (low / step).rounded(.up) * step
        while tick <= high + step * 1e-9 {
            // Snap near-zero rounding residue so the label reads "0".
            ticks.append(abs(tick) < step * 1e-9 ? 0 : tick)
            tick += step
        }
        self.lower = low
        self.upper = high
        self.ticks = ticks
        self.step = step
    }

    /// The position of `value` on an axis running from `start` to `end` pixels.
    func position(of value: Double, from start: Double, to end: Double) -> Double {
        start + (value - lower) / (upper - lower) * (end - start)
    }

    /// Tick label text with as many decimals as the step needs.
    func label(_ value: Double) -> String {
        NumberText.fixed(value, decimals: max(0, Int(-log10(step).rounded(.down))))
    }

    /// The nice number (1, 2, 5 × 10ⁿ) closest to `value` (`round`) or not below it.
    static func niceNumber(_ value: Double, round: Bool) -> Double {
        let exponent = log10(value).rounded(.down)
        let magnitude = pow(10, exponent)
        let fraction = value / magnitude
        let nice: Double
        if round {
            nice = fraction < 1.5 ? 1 : fraction < 3 ? 2 : fraction < 7 ? 5 : 10
        } else {
            nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10
        }
        return nice * magnitude
    }
}

/// Fixed-point number text that does not depend on the locale.
enum NumberText {
    /// `value` with exactly `decimals` digits after the point ("-0.00" prints as "0.00").
    static func fixed(_ value: Double, decimals: Int) -> String {
        guard value.isFinite else { return value.isNaN ? "nan" : (value > 0 ? "inf" : "-inf") }
        let places = max(0, min(decimals, 12))
        let scale = pow(10, Double(places))
        let scaled = (abs(value) * scale).rounded()
        let sign = value < 0 && scaled > 0 ? "-" : ""
        let whole = (scaled / scale).rounded(.down)
        guard places > 0 else { return sign + String(Int(whole)) }
        var digits = String(Int(scaled - whole * scale))
        while digits.count < places { digits = "0" + digits }
        return "\(sign)\(Int(whole)).\(digits)"
    }
}
