import CVisionCodecs
import Foundation

extension ImageBuffer {
    /// Reads and decodes a PNG or JPEG file (format from its signature, not its extension).
    /// 16-bit PNG samples and CMYK JPEGs are reduced to 8 bits as PIL does (see `decoding`).
    public init(contentsOfFile path: String) throws {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw ImageError.unreadable(file: path, reason: error.localizedDescription)
        }
        try self.init(decoding: data, name: path)
    }

    /// Decodes PNG or JPEG bytes; `name` (a path or any label) is used in error messages.
    ///
    /// Sample handling follows PIL's `Image.open`: palette images become RGB (RGBA when the
    /// palette has transparency), gray images of 1, 2 or 4 bits are scaled to 0...255,
    /// 16-bit RGB(A) and gray+alpha keep the high byte, 16-bit gray is clipped to 255
    /// (PIL's `I;16` → `L`/`RGB` conversion), gamma and EXIF orientation are ignored, and
    /// CMYK JPEGs are read as Adobe-inverted CMYK and converted with PIL's `cmyk2rgb`.
    public init(decoding data: Data, name: String) throws {
        let decoded: ImageBuffer? = try data.withUnsafeBytes { bytes in
            guard let format = ImageFormat(signatureOf: bytes) else { return nil }
            let base = bytes.baseAddress!.assumingMemoryBound(to: UInt8.self)
            var raster = vision_raster()
            var message = [CChar](repeating: 0, count: 512)
            let status: Int32
            switch format {
            case .png: status = vision_png_decode(base, bytes.count, &raster, &message, message.count)
            case .jpeg: status = vision_jpeg_decode(base, bytes.count, &raster, &message, message.count)
            }
            guard status == 0 else {
                let reason = String(codecMessage: message)
                throw ImageError.undecodable(file: name, format: format.rawValue, reason: reason)
            }
            defer { vision_raster_free(&raster) }
            return ImageBuffer(raster: raster)
        }
        guard let decoded else { throw ImageError.unknownFormat(file: name) }
        self = decoded
    }

    /// Converts decoder output to 8-bit samples with PIL's rules.
    private init(raster: vision_raster) {
        let width = Int(raster.width)
        let height = Int(raster.height)
        let sampleCount = width * height * Int(raster.channels)
        let source = UnsafeBufferPointer(start: raster.samples, count: sampleCount * Int(raster.bytes_per_sample))
        switch raster.layout {
        case VISION_LAYOUT_CMYK:
            self.init(width: width, height: height, layout: .rgb, samples: Self.rgb(fromInvertedCMYK: source))
        default:
            let layout = ChannelLayout(rawValue: Int(raster.layout.rawValue))!
            let samples: [UInt8]
            if raster.bytes_per_sample == 1 {
                samples = Array(source)
            } else if layout == .gray {
                // PIL opens 16-bit gray as I;16 and clips it to 255 when converting to L/RGB.
                samples = (0..<sampleCount).map { source[2 * $0] == 0 ? source[2 * $0 + 1] : 255 }
            } else {
                // PIL unpacks other 16-bit PNGs (RGB;16B, RGBA;16B, LA;16B) by their high byte.
                samples = (0..<sampleCount).map { source[2 * $0] }
            }
            self.init(width: width, height: height, layout: layout, samples: samples)
        }
    }

    /// PIL reads 4-channel JPEGs as "CMYK;I" (Adobe-inverted) and converts to RGB with
    /// `cmyk2rgb`: with nk = 255 - k, each channel is clip(nk - muldiv255(c, nk)).
    private static func rgb(fromInvertedCMYK source: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        let pixelCount = source.count / 4
        var rgb = [UInt8](repeating: 0, count: pixelCount * 3)
        for pixel in 0..<pixelCount {
            let nk = Int(source[pixel * 4 + 3])  // 255 - (255 - stored k)
            for channel in 0..<3 {
                let c = 255 - Int(source[pixel * 4 + channel])
                let product = c * nk + 128
                let scaled = ((product >> 8) + product) >> 8
                rgb[pixel * 3 + channel] = UInt8(clamping: nk - scaled)
            }
        }
        return rgb
    }
}

extension RGBImage {
    /// Reads a PNG or JPEG file and converts it to RGB as PIL's
    /// `Image.open(path).convert("RGB")` does (alpha dropped, gray replicated).
    public init(contentsOfFile path: String) throws {
        self = try ImageBuffer(contentsOfFile: path).rgbImage
    }

    /// Decodes PNG or JPEG bytes to RGB as PIL's `convert("RGB")` does; `name` is used in
    /// error messages.
    public init(decoding data: Data, name: String) throws {
        self = try ImageBuffer(decoding: data, name: name).rgbImage
    }
}
