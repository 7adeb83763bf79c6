import Foundation

/// A problem with the built-in models' options or output folder.
public enum BuiltinModelsError: Error, CustomStringConvertible, LocalizedError {
    /// An option the builder cannot honour: its name, its value and why.
    case invalidOption(name: String, value: String, reason: String)
    /// A file or folder that could not be written.
    case cannotWrite(path: String, reason: String)

    public var description: String {
        switch self {
        case let .invalidOption(name, value, reason):
            return "built-in models: \(name) = \(value) \(reason)"
        case let .cannotWrite(path, reason):
            return "cannot write \(path): \(reason)"
        }
    }

    public var errorDescription: String? { description }
}
