import Foundation

/// An error in the data given to a chart or in writing its file. The message names the chart
/// element or path and what is wrong.
public enum PlotError: Error, CustomStringConvertible, LocalizedError, Equatable {
    /// The data of a chart element does not fit the chart.
    case invalidData(element: String, reason: String)
    /// A pixel buffer does not hold width × height × 3 bytes.
    case wrongPixelCount(expected: Int, actual: Int)
    /// Writing the file at `path` failed.
    case writeFailed(path: String, reason: String)

    public var description: String {
        switch self {
        case let .invalidData(element, reason):
            return "\(element): \(reason)"
        case let .wrongPixelCount(expected, actual):
            return "RGB image: expected \(expected) bytes (width × height × 3), got \(actual)"
        case let .writeFailed(path, reason):
            return "cannot write \(path): \(reason)"
        }
    }

    public var errorDescription: String? { description }
}
