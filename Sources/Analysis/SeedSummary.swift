/// Mean and sample standard deviation of one metric over training seeds (or any repeats),
/// reported as "mean ± std".
public struct SeedSummary: Sendable, Equatable, CustomStringConvertible {
    /// Number of values.
    public let count: Int
    /// Arithmetic mean.
    public let mean: Double
    /// Sample standard deviation (divisor n − 1); nil for a single value, where it is undefined.
    public let standardDeviation: Double?

    /// Summarises `values`; throws when there are none or one is not finite.
    public init(_ values: [Double]) throws {
        guard !values.isEmpty else { throw AnalysisError.emptyInput(what: "values over seeds") }
        if let index = values.firstIndex(where: { !$0.isFinite }) {
            throw AnalysisError.nonFiniteValue(what: "values over seeds", row: index, column: 0)
        }
        let mean = values.reduce(0, +) / Double(values.count)
        count = values.count
        self.mean = mean
        if values.count > 1 {
            let squares = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
            standardDeviation = (squares / Double(values.count - 1)).squareRoot()
        } else {
            standardDeviation = nil
        }
    }

    /// "mean ± std" with `decimals` digits after the point; only the mean for a single value.
    public func formatted(decimals: Int = 2) -> String {
        let mean = Self.fixed(self.mean, decimals: decimals)
        guard let standardDeviation else { return mean }
        return "\(mean) ± \(Self.fixed(standardDeviation, decimals: decimals))"
    }

    public var description: String { formatted() }

    /// Fixed-point text without Foundation's locale-dependent formatting.
    static func fixed(_ value: Double, decimals: Int) -> String {
        let places = max(0, decimals)
        var scale = 1.0
        for _ in 0..<places { scale *= 10 }
        let scaled = (abs(value) * scale).rounded()
        let sign = value < 0 && scaled > 0 ? "-" : ""
        let whole = (scaled / scale).rounded(.down)
        let fraction = scaled - whole * scale
        guard places > 0 else { return sign + String(Int(whole)) }
        var digits = String(Int(fraction))
        while digits.count < places { digits = "0" + digits }
        return "\(sign)\(Int(whole)).\(digits)"
    }
}
