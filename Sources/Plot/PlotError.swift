import Foundation

/// An error in the data given to a chart. The message names the chart element and what is
/// wrong. (Writing a chart's PNG throws Vision's `ImageError`, which names the file.)
public enum PlotError: Error, CustomStringConvertible, LocalizedError, Equatable {
    /// The data of a chart element does not fit the chart.
    case invalidData(element: String, reason: String)

    public var description: String {
        switch self {
        case let .invalidData(element, reason):
            return "\(element): \(reason)"
        }
    }

    public var errorDescription: String? { description }
}
