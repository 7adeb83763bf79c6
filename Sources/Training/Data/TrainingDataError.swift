import Foundation

/// Why training data could not be read or served; each message names the file, record or
/// setting and what is wrong with it.
public enum TrainingDataError: Error, Equatable, CustomStringConvertible, LocalizedError {
    /// The data file could not be read.
    case unreadableFile(path: String, reason: String)
    /// A JSON-list data file is not valid JSON, or not a list of records.
    case invalidJSON(path: String, reason: String)
    /// A record cannot be used and the policy is `fail`.
    case badRecord(BadRecord)
    /// The data file holds no usable record.
    case noUsableRecords(path: String, report: BadRecordReport)
    /// A data setting cannot work with the tokenizer or the other settings.
    case invalidConfiguration(String)
    /// A saved data position does not fit this data set.
    case invalidPosition(DataPosition, recordCount: Int)

    /// The message.
    public var description: String {
        switch self {
        case .unreadableFile(let path, let reason):
            return "cannot read data file '\(path)': \(reason)"
        case .invalidJSON(let path, let reason):
            return "data file '\(path)' is not a JSON list of records: \(reason)"
        case .badRecord(let record):
            return "bad record: \(record)"
        case .noUsableRecords(let path, let report):
            return "data file '\(path)' has no usable record\(report.count > 0 ? "\n\(report)" : "")"
        case .invalidConfiguration(let reason):
            return "invalid data configuration: \(reason)"
        case .invalidPosition(let position, let recordCount):
            return "data position \(position) does not fit a data set of \(recordCount) records"
        }
    }

    /// The same message as `description`, for `localizedDescription`.
    public var errorDescription: String? { description }
}
