/// Feature preparation of the Platonic Representation Hypothesis code (minyoungg/platonic-rep,
/// `metrics.remove_outliers` with `exact=False`, then `F.normalize`), used before CKNNA:
/// clamp every value to ±t, where t is the mean over rows of the q-quantile of |x| in that row,
/// then scale every row to unit L2 norm.
public enum FeaturePreparation {
    /// The default quantile (0.95), as in the reference and in VIRAL's analysis.
    public static let defaultQuantile = 0.95

    /// The q-quantile of `values` with `torch.quantile`'s default linear interpolation:
    /// rank r = q·(n−1) in the ascending order, then `lerp(sorted[⌊r⌋], sorted[⌈r⌉], r − ⌊r⌋)`
    /// with torch's two-sided lerp formula. Throws on an empty input or q outside [0, 1].
    public static func quantile(_ values: [Double], _ q: Double) throws -> Double {
        guard !values.isEmpty else { throw AnalysisError.emptyInput(what: "quantile input") }
        try checkQuantile(q)
        var scratch = values
        return scratch.withUnsafeMutableBufferPointer { linearQuantile($0.baseAddress!, count: $0.count, q) }
    }

    /// The clamp threshold: the mean over rows of the q-quantile of |x| within each row.
    public static func outlierThreshold(_ features: Matrix, quantile q: Double = defaultQuantile) throws -> Double {
        guard features.rows > 0, features.columns > 0 else { throw AnalysisError.emptyInput(what: "feature matrix") }
        try checkQuantile(q)
        try features.checkFinite("feature matrix")
        var scratch = [Double](repeating: 0, count: features.columns)
        var sum = 0.0
        features.values.withUnsafeBufferPointer { source in
            scratch.withUnsafeMutableBufferPointer { buffer in
                let row = buffer.baseAddress!
                for r in 0..<features.rows {
                    let offset = r * features.columns
                    for c in 0..<features.columns { row[c] = abs(source[offset + c]) }
                    sum += linearQuantile(row, count: features.columns, q)
                }
            }
        }
        return sum / Double(features.rows)
    }

    /// Clamps `features` at ± `outlierThreshold(features, quantile:)` and L2-normalises every row
    /// (a row's norm is floored at 1e-12, as `torch.nn.functional.normalize` does).
    public static func prepare(_ features: Matrix, quantile q: Double = defaultQuantile) throws -> Matrix {
        let threshold = try outlierThreshold(features, quantile: q)
        var result = features
        let columns = features.columns
        result.values.withUnsafeMutableBufferPointer { buffer in
            let values = buffer.baseAddress!
            for r in 0..<features.rows {
                let row = values + r * columns
                var squares = 0.0
                for c in 0..<columns {
                    let clamped = min(max(row[c], -threshold), threshold)
                    row[c] = clamped
                    squares += clamped * clamped
                }
                let norm = max(squares.squareRoot(), 1e-12)
                for c in 0..<columns { row[c] /= norm }
            }
        }
        return result
    }

    private static func checkQuantile(_ q: Double) throws {
        guard q >= 0, q <= 1 else {
            throw AnalysisError.invalidParameter(name: "quantile", value: "\(q)", requirement: "must lie in [0, 1]")
        }
    }

    /// Linear-interpolation quantile of `count` values; reorders them.
    private static func linearQuantile(_ values: UnsafeMutablePointer<Double>, count: Int, _ q: Double) -> Double {
        let rank = q * Double(count - 1)
        let below = Int(rank)
        let above = Int(rank.rounded(.up))
        let weight = rank - Double(below)
        let lower = selectSmallest(values, count: count, index: below)
        // After selection every value right of `below` is ≥ the selected one, so the next order
        // statistic is the minimum of that part.
        var upper = lower
        if above != below {
            upper = values[below + 1]
            for i in (below + 2)..<max(below + 2, count) where values[i] < upper { upper = values[i] }
        }
        // torch.lerp: start + w·(end − start) for |w| < 0.5, else end − (end − start)·(1 − w).
        return weight < 0.5 ? lower + weight * (upper - lower) : upper - (upper - lower) * (1 - weight)
    }

    /// Moves the `index`-th smallest value to position `index`, smaller ones to its left and
    /// larger or equal ones to its right (three-way quickselect, robust to repeated values).
    private static func selectSmallest(_ a: UnsafeMutablePointer<Double>, count: Int, index k: Int) -> Double {
        var low = 0
        var high = count - 1
        while low < high {
            let pivot = medianOfThree(a[low], a[(low + high) / 2], a[high])
            var less = low
            var current = low
            var greater = high
            while current <= greater {
                if a[current] < pivot {
                    a.swapAt(less, current)
                    less += 1
                    current += 1
                } else if a[current] > pivot {
                    a.swapAt(current, greater)
                    greater -= 1
                } else {
                    current += 1
                }
            }
            if k < less {
                high = less - 1
            } else if k > greater {
                low = greater + 1
            } else {
                return pivot
            }
        }
        return a[k]
    }

    private static func medianOfThree(_ a: Double, _ b: Double, _ c: Double) -> Double {
        max(min(a, b), min(max(a, b), c))
    }
}

private extension UnsafeMutablePointer where Pointee == Double {
    func swapAt(_ i: Int, _ j: Int) {
        let t = self[i]
        self[i] = self[j]
        self[j] = t
    }
}
