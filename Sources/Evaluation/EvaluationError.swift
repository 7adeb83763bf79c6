import Foundation

/// A problem with benchmark data, a predictions file or a run, described so that the user can
/// find the file, the record and the field at fault.
public enum EvaluationError: Error, Equatable, CustomStringConvertible, LocalizedError {
    /// A file or folder the benchmark needs is not there.
    case missingFile(URL, expected: String)
    /// A file exists but could not be read.
    case unreadableFile(URL, reason: String)
    /// One record of a data or predictions file is malformed.
    /// `record` locates it, e.g. "line 12" or "question_id 345".
    case malformedRecord(file: URL, record: String, reason: String)
    /// Two records of the same benchmark carry the same question id.
    case duplicateQuestionID(String, file: URL, record: String)
    /// A predictions file names question ids that the benchmark does not contain.
    case unknownQuestionIDs([String], file: URL, firstRecord: String)
    /// A predictions file holds no prediction at all.
    case noPredictions(file: URL)
    /// No benchmark is registered under this name.
    case unknownBenchmark(String, known: [String])
    /// The answer generator failed on one item.
    case generationFailed(questionID: String, reason: String)
    /// An output file could not be written.
    case writeFailed(URL, reason: String)

    public var description: String {
        switch self {
        case let .missingFile(url, expected):
            return "\(url.path): not found (expected \(expected))"
        case let .unreadableFile(url, reason):
            return "\(url.path): cannot be read: \(reason)"
        case let .malformedRecord(file, record, reason):
            return "\(file.path), \(record): \(reason)"
        case let .duplicateQuestionID(id, file, record):
            return "\(file.path), \(record): question id '\(id)' appears more than once"
        case let .unknownQuestionIDs(ids, file, firstRecord):
            let shown = ids.prefix(5).map { "'\($0)'" }.joined(separator: ", ")
            let more = ids.count > 5 ? " and \(ids.count - 5) more" : ""
            return "\(file.path): \(ids.count) question id(s) not in the benchmark data, "
                + "first at \(firstRecord): \(shown)\(more)"
        case let .noPredictions(file):
            return "\(file.path): holds no predictions"
        case let .unknownBenchmark(name, known):
            return "unknown benchmark '\(name)'; known benchmarks: \(known.joined(separator: ", "))"
        case let .generationFailed(questionID, reason):
            return "generating the answer to question '\(questionID)' failed: \(reason)"
        case let .writeFailed(url, reason):
            return "\(url.path): cannot be written: \(reason)"
        }
    }

    public var errorDescription: String? { description }
}
