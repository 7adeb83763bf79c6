import Foundation

/// Why a `tokenizer.json` (or `tokenizer_config.json`) could not be loaded.
public enum TokenizerError: Error, Equatable, CustomStringConvertible, LocalizedError {
    /// The file could not be read.
    case unreadableFile(file: String, reason: String)
    /// The file is not valid JSON.
    case invalidJSON(file: String, byteOffset: Int, reason: String)
    /// A field is missing or holds a value of the wrong kind or meaning.
    case invalidField(file: String, field: String, problem: String)
    /// A pipeline component (normalizer, pre_tokenizer, model, decoder, post_processor) has a type
    /// this implementation does not provide.
    case unsupportedComponent(file: String, component: String, type: String)
    /// A regular expression in the file could not be compiled.
    case invalidPattern(file: String, field: String, pattern: String, reason: String)

    /// The message: the file, then what is wrong with which field or component.
    public var description: String {
        switch self {
        case .unreadableFile(let file, let reason):
            return "\(file): cannot read the file (\(reason))"
        case .invalidJSON(let file, let offset, let reason):
            return "\(file): invalid JSON at byte \(offset): \(reason)"
        case .invalidField(let file, let field, let problem):
            return "\(file): field \"\(field)\" \(problem)"
        case .unsupportedComponent(let file, let component, let type):
            return "\(file): unsupported \(component) type \"\(type)\""
        case .invalidPattern(let file, let field, let pattern, let reason):
            return "\(file): field \"\(field)\" has a regular expression that cannot be compiled (\(reason)): \(pattern)"
        }
    }

    /// The same message as `description`, for `localizedDescription`.
    public var errorDescription: String? { description }
}
