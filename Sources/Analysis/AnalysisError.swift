import Foundation

/// An error in the input of an analysis: a shape that does not fit, a parameter out of range,
/// or a value that cannot be analysed. The message names the input and what is wrong.
public enum AnalysisError: Error, CustomStringConvertible, LocalizedError, Equatable {
    /// `what` should hold `expected` values but holds `actual`.
    case wrongValueCount(what: String, expected: Int, actual: Int)
    /// Two inputs that must describe the same rows (samples, tokens) do not.
    case rowCountMismatch(first: String, firstRows: Int, second: String, secondRows: Int)
    /// A parameter is outside the range the computation is defined for.
    case invalidParameter(name: String, value: String, requirement: String)
    /// A value is NaN or infinite.
    case nonFiniteValue(what: String, row: Int, column: Int)
    /// An input is empty where at least one value is needed.
    case emptyInput(what: String)

    public var description: String {
        switch self {
        case let .wrongValueCount(what, expected, actual):
            return "\(what): expected \(expected) values, got \(actual)"
        case let .rowCountMismatch(first, firstRows, second, secondRows):
            return "\(first) has \(firstRows) rows but \(second) has \(secondRows); both must describe the same samples"
        case let .invalidParameter(name, value, requirement):
            return "parameter \(name) = \(value) is invalid: \(requirement)"
        case let .nonFiniteValue(what, row, column):
            return "\(what): value at row \(row), column \(column) is not finite"
        case let .emptyInput(what):
            return "\(what) is empty"
        }
    }

    public var errorDescription: String? { description }
}
