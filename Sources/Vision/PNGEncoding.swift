import CVisionCodecs
import Foundation

extension ImageBuffer {
    /// The image encoded as an 8-bit, non-interlaced PNG. Gray+alpha is not a layout this
    /// encoder writes (only gray, RGB and RGBA are needed for plots and datasets).
    public func pngData(name: String = "<memory>") throws -> Data {
        guard layout != .grayAlpha else {
            throw ImageError.unwritable(file: name, reason: "gray+alpha PNG encoding is not supported")
        }
        var encoded: UnsafeMutablePointer<UInt8>?
        var encodedSize = 0
        var message = [CChar](repeating: 0, count: 512)
        let status = samples.withUnsafeBufferPointer { pixels in
            vision_png_encode(pixels.baseAddress, Int32(width), Int32(height), Int32(layout.channelCount),
                              &encoded, &encodedSize, &message, message.count)
        }
        guard status == 0, let encoded else {
            let reason = String(codecMessage: message)
            throw ImageError.unwritable(file: name, reason: reason)
        }
        defer { vision_buffer_free(encoded) }
        return Data(bytes: encoded, count: encodedSize)
    }

    /// Writes the image as a PNG atomically: to a temporary file in the same folder, then
    /// renamed over `path`, so readers never see a half-written file.
    public func writePNG(to path: String) throws {
        try writeAtomically(try pngData(name: path), to: path)
    }
}

extension RGBImage {
    /// Writes the image as an 8-bit RGB PNG, atomically (temporary file + rename).
    public func writePNG(to path: String) throws {
        try ImageBuffer(self).writePNG(to: path)
    }
}

/// Writes `data` to a uniquely named temporary file beside `path`, then renames it to `path`.
func writeAtomically(_ data: Data, to path: String) throws {
    let target = URL(fileURLWithPath: path)
    let folder = target.deletingLastPathComponent()
    let temporary = folder.appendingPathComponent(".\(target.lastPathComponent).\(UUID().uuidString).tmp")
    do {
        try data.write(to: temporary)
    } catch {
        try? FileManager.default.removeItem(at: temporary)
        throw ImageError.unwritable(file: path, reason: error.localizedDescription)
    }
    if rename(temporary.path, target.path) != 0 {
        let reason = String(cString: strerror(errno))
        try? FileManager.default.removeItem(at: temporary)
        throw ImageError.unwritable(file: path, reason: reason)
    }
}
