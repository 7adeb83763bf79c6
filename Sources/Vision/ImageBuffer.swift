/// How the interleaved 8-bit samples of an `ImageBuffer` are arranged per pixel.
public enum ChannelLayout: Int, Sendable, CaseIterable {
    /// One sample: luminance.
    case gray = 1
    /// Two samples: luminance, alpha.
    case grayAlpha = 2
    /// Three samples: red, green, blue.
    case rgb = 3
    /// Four samples: red, green, blue, alpha.
    case rgba = 4

    /// Samples per pixel.
    public var channelCount: Int { rawValue }
}

/// 8-bit pixels in the layout a file holds them (gray, gray+alpha, RGB or RGBA), row by
/// row: `samples[(y * width + x) * layout.channelCount + c]`. Used for PNG writing and for
/// decoding when alpha or gray matter; `rgbImage` converts as PIL's `convert("RGB")`.
public struct ImageBuffer: Hashable, Sendable {
    /// Width in pixels.
    public let width: Int
    /// Height in pixels.
    public let height: Int
    /// Arrangement of the samples of one pixel.
    public let layout: ChannelLayout
    /// `height * width * layout.channelCount` samples.
    public let samples: [UInt8]

    /// Wraps interleaved samples; `samples.count` must be `width * height * layout.channelCount`.
    public init(width: Int, height: Int, layout: ChannelLayout, samples: [UInt8]) {
        precondition(width >= 0 && height >= 0, "negative image size \(width)x\(height)")
        precondition(samples.count == width * height * layout.channelCount,
                     "\(samples.count) samples do not make a \(width)x\(height) \(layout) image")
        self.width = width
        self.height = height
        self.layout = layout
        self.samples = samples
    }

    /// The RGB image of an `RGBImage`.
    public init(_ image: RGBImage) {
        self.init(width: image.width, height: image.height, layout: .rgb, samples: image.pixels)
    }

    /// The image as RGB the way PIL's `Image.convert("RGB")` makes it: gray is replicated
    /// into the three channels and alpha is dropped (not composited onto a background).
    public var rgbImage: RGBImage {
        let pixelCount = width * height
        let channels = layout.channelCount
        if layout == .rgb {
            return RGBImage(width: width, height: height, pixels: samples)
        }
        var pixels = [UInt8](repeating: 0, count: pixelCount * 3)
        samples.withUnsafeBufferPointer { source in
            pixels.withUnsafeMutableBufferPointer { target in
                for pixel in 0..<pixelCount {
                    let from = pixel * channels
                    let to = pixel * 3
                    if channels >= 3 {
                        target[to] = source[from]
                        target[to + 1] = source[from + 1]
                        target[to + 2] = source[from + 2]
                    } else {
                        target[to] = source[from]
                        target[to + 1] = source[from]
                        target[to + 2] = source[from]
                    }
                }
            }
        }
        return RGBImage(width: width, height: height, pixels: pixels)
    }
}
