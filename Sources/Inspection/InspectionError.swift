import Foundation

/// A problem with what the user asked the inspection tools to do: a missing folder or tensor, a
/// tensor of the wrong shape, ids outside a vocabulary. The message is one line naming the thing.
public struct InspectionError: Error, CustomStringConvertible, LocalizedError {
    /// The one-line message.
    public let description: String

    /// An error with this message.
    public init(_ description: String) { self.description = description }

    /// The same message, for `localizedDescription`.
    public var errorDescription: String? { description }
}
