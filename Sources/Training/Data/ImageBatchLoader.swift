import Foundation
import Vision

/// One image decoded and prepared for the vision tower (and the teacher, when there is one).
struct PreparedImage {
    /// 3 × size × size floats for the vision tower.
    var pixelValues: [Float]
    /// 3 × size × size floats for the alignment teacher.
    var teacherPixelValues: [Float]?
}

/// Decodes and prepares a batch's images in parallel.
struct ImageBatchLoader {
    var preparation: ImagePreparation
    var teacherPreparation: ImagePreparation?

    /// Each path's prepared image, or why it cannot be used, in path order.
    func load(_ paths: [String]) -> [Result<PreparedImage, RecordProblem>] {
        var results = [Result<PreparedImage, RecordProblem>?](repeating: nil, count: paths.count)
        let preprocessor = preparation.preprocessor
        let teacherPreprocessor = teacherPreparation?.preprocessor
        results.withUnsafeMutableBufferPointer { buffer in
            let slots = UncheckedSlots(buffer: buffer)
            DispatchQueue.concurrentPerform(iterations: paths.count) { index in
                slots.buffer[index] = Self.prepare(paths[index], preprocessor, teacherPreprocessor)
            }
        }
        return results.map { $0! }
    }

    private static func prepare(_ path: String, _ preprocessor: ImagePreprocessor,
                                _ teacherPreprocessor: ImagePreprocessor?) -> Result<PreparedImage, RecordProblem> {
        do {
            let image = try RGBImage(contentsOfFile: path)
            return .success(PreparedImage(pixelValues: preprocessor.pixelValues(for: image),
                                          teacherPixelValues: teacherPreprocessor?.pixelValues(for: image)))
        } catch let error as ImageError {
            return .failure(.unreadableImage(path: path, reason: reason(of: error)))
        } catch {
            return .failure(.unreadableImage(path: path, reason: error.localizedDescription))
        }
    }

    /// The part of an image error after the file name (the message names the file itself).
    private static func reason(of error: ImageError) -> String {
        switch error {
        case .unreadable(_, let reason), .unwritable(_, let reason): return reason
        case .unknownFormat: return "neither a PNG nor a JPEG file"
        case .undecodable(_, let format, let reason): return "\(format): \(reason)"
        }
    }
}

/// Result slots written from `concurrentPerform`, each by exactly one iteration.
private struct UncheckedSlots<Element>: @unchecked Sendable {
    let buffer: UnsafeMutableBufferPointer<Element>
}
