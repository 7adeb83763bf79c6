import Foundation
import Training

/// The images an analysis runs on: one image file, the PNG/JPEG files of a folder (sorted by
/// name), or the images of a LLaVA conversation file (JSON list or JSONL, in record order, each
/// once).
public enum ImageList {
    /// File extensions read as images.
    public static let imageExtensions: Set<String> = ["png", "jpg", "jpeg"]

    /// The image files `source` names, at most `limit`.
    /// - Parameter imageFolder: where a data file's relative image paths start (default: the
    ///   data file's folder).
    public static func resolve(_ source: URL, imageFolder: URL? = nil, limit: Int? = nil) throws -> [URL] {
        if let limit, limit <= 0 { throw ExperimentError("the image limit must be positive (got \(limit))") }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: source.path, isDirectory: &isDirectory) else {
            throw ExperimentError("\(source.path) does not exist (expected an image, a folder of images or a LLaVA data file)")
        }
        let images: [URL]
        if isDirectory.boolValue {
            images = try folderImages(source)
        } else if imageExtensions.contains(source.pathExtension.lowercased()) {
            images = [source]
        } else {
            images = try dataFileImages(source, imageFolder: imageFolder ?? source.deletingLastPathComponent())
        }
        guard !images.isEmpty else { throw ExperimentError("\(source.path) names no image (PNG or JPEG)") }
        return limit.map { Array(images.prefix($0)) } ?? images
    }

    private static func folderImages(_ folder: URL) throws -> [URL] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        } catch {
            throw ExperimentError("cannot list the folder \(folder.path): \(error.localizedDescription)")
        }
        return names.filter { imageExtensions.contains(URL(fileURLWithPath: $0).pathExtension.lowercased()) && !$0.hasPrefix(".") }
            .sorted()
            .map { folder.appendingPathComponent($0) }
    }

    private static func dataFileImages(_ file: URL, imageFolder: URL) throws -> [URL] {
        var seen = Set<String>()
        var images: [URL] = []
        // Records a training run would reject may still name a usable image, so every record counts.
        for case .success(let record) in try ConversationRecordReader.read(contentsOf: file) {
            guard let path = record.image, seen.insert(path).inserted else { continue }
            let url = path.hasPrefix("/") ? URL(fileURLWithPath: path) : imageFolder.appendingPathComponent(path)
            guard FileManager.default.fileExists(atPath: url.path) else {
                throw ExperimentError("record \(record.id) (\(record.location)) names the image \(url.path), which does not exist; pass --image-folder")
            }
            images.append(url)
        }
        return images
    }
}
