import Foundation

/// The numbers a benchmark reports.
///
/// Accuracy-like values are percentages (0–100), as in the papers' tables; MME scores are sums of
/// percentages (acc + acc+ per category, up to 200, summed over categories). Keys are
/// slash-separated paths such as "random/f1" or "category/Count".
public struct Metrics: Codable, Equatable, Sendable {
    /// The benchmark's registry name.
    public var benchmark: String
    /// The key of the headline number (the one the VIRAL paper reports).
    public var primary: String
    /// Metric values by key.
    public var values: [String: Double]
    /// Number of scored questions (or pairs/sets where the key says so) by group.
    public var counts: [String: Int]

    /// Creates a metrics record.
    public init(benchmark: String, primary: String, values: [String: Double], counts: [String: Int]) {
        self.benchmark = benchmark
        self.primary = primary
        self.values = values
        self.counts = counts
    }

    /// The headline number, if it could be computed.
    public var primaryValue: Double? { values[primary] }

    /// Pretty-printed JSON with sorted keys, so equal metrics give byte-identical files.
    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(self)
    }

    /// Writes `jsonData()` to a file, atomically.
    public func write(to url: URL) throws {
        do {
            try jsonData().write(to: url, options: .atomic)
        } catch {
            throw EvaluationError.writeFailed(url, reason: error.localizedDescription)
        }
    }

    /// A plain-text table of all values (two decimals) and counts, sorted by key.
    public var table: String {
        let headline = primaryValue.map { format($0) } ?? "n/a"
        var lines = ["\(benchmark): \(primary) = \(headline)"]
        let width = max(6, (Array(values.keys) + Array(counts.keys)).map(\.count).max() ?? 0)
        lines.append(pad("metric", width) + "  value")
        for key in values.keys.sorted() {
            lines.append(pad(key, width) + "  " + format(values[key]!))
        }
        lines.append(pad("count", width) + "  n")
        for key in counts.keys.sorted() {
            lines.append(pad(key, width) + "  \(counts[key]!)")
        }
        return lines.joined(separator: "\n")
    }

    private func format(_ value: Double) -> String {
        String(format: "%.2f", value)
    }

    private func pad(_ text: String, _ width: Int) -> String {
        text.padding(toLength: width, withPad: " ", startingAt: 0)
    }
}

/// `100 · part / whole`, or 0 when `whole` is 0 (the lmms-eval convention for empty groups).
func percent(_ part: Int, of whole: Int) -> Double {
    whole == 0 ? 0 : 100 * Double(part) / Double(whole)
}

/// The arithmetic mean, or nil for no values.
func mean(_ values: [Double]) -> Double? {
    values.isEmpty ? nil : values.reduce(0, +) / Double(values.count)
}

/// Accuracy in percent of predictions, and their count, grouped by one grouping key.
func accuracyByGroup(_ predictions: [ScoredPrediction], key: String) -> [String: (accuracy: Double, count: Int)] {
    Dictionary(grouping: predictions, by: { $0.item.group(key) }).mapValues { group in
        (percent(group.filter(\.isCorrect).count, of: group.count), group.count)
    }
}
