import Foundation

/// An image that could not be read, decoded or written; the message names the file (or the
/// name given to in-memory bytes) and what is wrong with it.
public enum ImageError: Error, Equatable, CustomStringConvertible, LocalizedError {
    /// The file could not be read (missing, a folder, no permission…).
    case unreadable(file: String, reason: String)
    /// The bytes start with neither the PNG nor the JPEG signature.
    case unknownFormat(file: String)
    /// The PNG or JPEG decoder rejected the bytes (corrupt, truncated, unsupported variant).
    case undecodable(file: String, format: String, reason: String)
    /// The pixels could not be encoded or the file could not be written.
    case unwritable(file: String, reason: String)

    public var description: String {
        switch self {
        case let .unreadable(file, reason):
            return "cannot read image file '\(file)': \(reason)"
        case let .unknownFormat(file):
            return "'\(file)' is not a PNG or JPEG image (unrecognised file signature)"
        case let .undecodable(file, format, reason):
            return "cannot decode \(format) image '\(file)': \(reason)"
        case let .unwritable(file, reason):
            return "cannot write image file '\(file)': \(reason)"
        }
    }

    public var errorDescription: String? { description }
}

extension String {
    /// The NUL-terminated message a CVisionCodecs function wrote into `buffer`.
    init(codecMessage buffer: [CChar]) {
        self.init(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
