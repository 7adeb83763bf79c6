import Foundation

/// A problem a user can cause in an experiment (a missing folder, an unusable image, a setting
/// that does not fit the model); the message names the thing and what is wrong with it.
public struct ExperimentError: Error, CustomStringConvertible, LocalizedError, Equatable {
    /// The message.
    public let description: String

    /// An error with this message.
    public init(_ description: String) { self.description = description }

    /// The same message as `description`, for `localizedDescription`.
    public var errorDescription: String? { description }
}
