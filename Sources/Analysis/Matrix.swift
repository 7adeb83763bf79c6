/// A dense row-major matrix of `Double`, `rows × columns`: the feature matrices (samples × dims)
/// and the results that the analyses take and return.
public struct Matrix: Sendable, Equatable {
    /// Number of rows (samples, tokens).
    public let rows: Int
    /// Number of columns (feature dimensions).
    public let columns: Int
    /// The values, row after row.
    public internal(set) var values: [Double]

    /// Wraps row-major `values`; throws when their count is not `rows × columns`.
    public init(rows: Int, columns: Int, values: [Double]) throws {
        guard rows >= 0, columns >= 0 else {
            throw AnalysisError.invalidParameter(
                name: "rows × columns", value: "\(rows) × \(columns)", requirement: "must not be negative")
        }
        guard values.count == rows * columns else {
            throw AnalysisError.wrongValueCount(
                what: "\(rows) × \(columns) matrix", expected: rows * columns, actual: values.count)
        }
        self.rows = rows
        self.columns = columns
        self.values = values
    }

    /// Widens row-major `Float` values to `Double`; throws when their count is not `rows × columns`.
    public init(rows: Int, columns: Int, floatValues: [Float]) throws {
        try self.init(rows: rows, columns: columns, values: floatValues.map(Double.init))
    }

    /// A matrix of zeros.
    init(zerosRows rows: Int, columns: Int) {
        self.rows = rows
        self.columns = columns
        self.values = [Double](repeating: 0, count: rows * columns)
    }

    /// The value at `row`, `column`.
    public subscript(row: Int, column: Int) -> Double {
        get { values[row * columns + column] }
        set { values[row * columns + column] = newValue }
    }

    /// The values of one row.
    public func row(_ index: Int) -> ArraySlice<Double> {
        values[(index * columns)..<((index + 1) * columns)]
    }

    /// The transpose, `columns × rows`.
    public func transposed() -> Matrix {
        var result = Matrix(zerosRows: columns, columns: rows)
        values.withUnsafeBufferPointer { source in
            result.values.withUnsafeMutableBufferPointer { target in
                // Tiles keep both the reads and the writes within a few cache lines.
                let tile = 32
                for rowStart in stride(from: 0, to: rows, by: tile) {
                    for columnStart in stride(from: 0, to: columns, by: tile) {
                        for r in rowStart..<min(rows, rowStart + tile) {
                            for c in columnStart..<min(columns, columnStart + tile) {
                                target[c * rows + r] = source[r * columns + c]
                            }
                        }
                    }
                }
            }
        }
        return result
    }

    /// Throws if any value is NaN or infinite, naming `what` and the position.
    func checkFinite(_ what: String) throws {
        if let index = values.firstIndex(where: { !$0.isFinite }) {
            throw AnalysisError.nonFiniteValue(what: what, row: index / max(columns, 1), column: index % max(columns, 1))
        }
    }
}
