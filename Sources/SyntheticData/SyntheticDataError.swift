import Foundation

/// A problem generating or writing the synthetic data, described so that the user can fix it.
public enum SyntheticDataError: Error, Equatable, CustomStringConvertible, LocalizedError {
    /// An option is outside the range the generator supports.
    case invalidOption(name: String, value: String, reason: String)
    /// The output folder already holds files and overwriting was not asked for.
    case outputNotEmpty(URL)
    /// A file or folder could not be written or removed.
    case writeFailed(URL, reason: String)
    /// No non-overlapping layout was found for a sample (only possible at tiny image sizes).
    case placementFailed(sample: String, imageSize: Int)
    /// A written evaluation split does not load as its benchmark, or loads a different number of items.
    case verificationFailed(benchmark: String, folder: URL, reason: String)

    public var description: String {
        switch self {
        case let .invalidOption(name, value, reason):
            return "--\(name) \(value): \(reason)"
        case let .outputNotEmpty(url):
            return "\(url.path): the output folder is not empty; choose another folder or pass --overwrite "
                + "to replace the files the generator writes"
        case let .writeFailed(url, reason):
            return "\(url.path): cannot be written: \(reason)"
        case let .placementFailed(sample, imageSize):
            return "\(sample): found no layout without overlapping objects at image size \(imageSize); "
                + "use a larger --image-size"
        case let .verificationFailed(benchmark, folder, reason):
            return "\(folder.path): the written \(benchmark) split does not load back: \(reason)"
        }
    }

    public var errorDescription: String? { description }
}
