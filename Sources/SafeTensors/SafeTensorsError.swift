import Foundation

/// An error reading or writing safetensors files; every case names the file and, where there is
/// one, the tensor concerned.
public enum SafeTensorsError: Error, Equatable, CustomStringConvertible, LocalizedError {
    /// The file as a whole is not valid: too short, a bad header length, malformed header JSON,
    /// or tensors that do not tile the data buffer.
    case invalidFile(path: String, problem: String)
    /// One tensor's header entry is invalid.
    case invalidTensor(path: String, tensor: String, problem: String)
    /// The file or checkpoint at `path` holds no tensor of that name.
    case tensorNotFound(path: String, tensor: String)
    /// The tensor cannot be read as the requested element type.
    case unsupportedConversion(path: String, tensor: String, problem: String)
    /// A sharded checkpoint's index, or the set of shards it names, is invalid.
    case invalidCheckpoint(path: String, problem: String)
    /// A tensor handed to the writer is inconsistent (shape against byte count, duplicate name, …).
    case invalidTensorData(tensor: String, problem: String)
    /// A file-system operation failed.
    case fileSystem(path: String, operation: String, reason: String)

    /// A one-line message naming the file, the tensor where there is one, and the problem.
    public var description: String {
        switch self {
        case let .invalidFile(path, problem):
            return "invalid safetensors file \(path): \(problem)"
        case let .invalidTensor(path, tensor, problem):
            return "invalid safetensors file \(path): tensor '\(tensor)': \(problem)"
        case let .tensorNotFound(path, tensor):
            return "no tensor '\(tensor)' in \(path)"
        case let .unsupportedConversion(path, tensor, problem):
            return "cannot read tensor '\(tensor)' of \(path): \(problem)"
        case let .invalidCheckpoint(path, problem):
            return "invalid safetensors checkpoint \(path): \(problem)"
        case let .invalidTensorData(tensor, problem):
            return "cannot write tensor '\(tensor)': \(problem)"
        case let .fileSystem(path, operation, reason):
            return "cannot \(operation) \(path): \(reason)"
        }
    }

    /// The same message as `description`, for `localizedDescription`.
    public var errorDescription: String? { description }

    /// A file-system error for the current `errno`.
    static func fromErrno(path: String, operation: String) -> SafeTensorsError {
        .fileSystem(path: path, operation: operation, reason: String(cString: strerror(errno)))
    }
}
