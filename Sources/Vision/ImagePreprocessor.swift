/// A vision tower's image preprocessing, exact to transformers' PIL-based ("slow") image
/// processors such as `CLIPImageProcessor`: optional LLaVA pad-to-square, PIL antialiased
/// bicubic resize, optional centre crop, rescale, normalise, channels-first floats.
public struct ImagePreprocessor: Hashable, Sendable {
    /// How the image is resized before cropping.
    public enum Resize: Hashable, Sendable {
        /// transformers' `{"shortest_edge": n}`: aspect ratio kept, long side truncated.
        case shortestEdge(Int)
        /// transformers' `{"height": h, "width": w}`: resized to exactly this size.
        case exact(ImageSize)
    }

    /// Whether the image is first padded to a square with `padColor` (LLaVA's
    /// `image_aspect_ratio = "pad"`, used in stage 2).
    public var padToSquare: Bool
    /// The resize step.
    public var resize: Resize
    /// The centre-crop size, or nil for no crop.
    public var cropSize: ImageSize?
    /// Multiplier applied to the 0...255 samples (computed in double precision, stored as
    /// float, like transformers' `rescale`).
    public var rescaleFactor: Double
    /// Per-channel (R, G, B) mean subtracted after rescaling.
    public var mean: [Double]
    /// Per-channel (R, G, B) standard deviation divided by after subtracting the mean.
    public var std: [Double]

    /// Creates a preprocessing description; `mean` and `std` need three entries.
    public init(padToSquare: Bool, resize: Resize, cropSize: ImageSize?,
                rescaleFactor: Double = 1.0 / 255.0, mean: [Double], std: [Double]) {
        precondition(mean.count == 3 && std.count == 3, "mean and std need one value per RGB channel")
        self.padToSquare = padToSquare
        self.resize = resize
        self.cropSize = cropSize
        self.rescaleFactor = rescaleFactor
        self.mean = mean
        self.std = std
    }

    /// OpenAI CLIP mean (openai/clip-vit-large-patch14-336).
    public static let clipMean = [0.48145466, 0.4578275, 0.40821073]
    /// OpenAI CLIP standard deviation.
    public static let clipStd = [0.26862954, 0.26130258, 0.27577711]
    /// ImageNet mean (DINOv2).
    public static let imageNetMean = [0.485, 0.456, 0.406]
    /// ImageNet standard deviation (DINOv2).
    public static let imageNetStd = [0.229, 0.224, 0.225]

    /// CLIP (openai/clip-vit-large-patch14-336 at `size` 336): shortest edge → `size`,
    /// centre crop `size`×`size`, CLIP mean/std.
    public static func clip(size: Int = 336, pad: Bool) -> ImagePreprocessor {
        ImagePreprocessor(padToSquare: pad, resize: .shortestEdge(size), cropSize: ImageSize(square: size),
                          mean: clipMean, std: clipStd)
    }

    /// SigLIP: direct resize to `size`×`size`, no crop, mean 0.5, std 0.5.
    public static func siglip(size: Int = 384, pad: Bool) -> ImagePreprocessor {
        ImagePreprocessor(padToSquare: pad, resize: .exact(ImageSize(square: size)), cropSize: nil,
                          mean: [0.5, 0.5, 0.5], std: [0.5, 0.5, 0.5])
    }

    /// DINOv2 as a teacher: direct resize to `size`×`size` (336 gives the 24×24 grid of
    /// a /14 ViT), no crop, ImageNet mean/std.
    public static func dinov2(size: Int = 336, pad: Bool) -> ImagePreprocessor {
        ImagePreprocessor(padToSquare: pad, resize: .exact(ImageSize(square: size)), cropSize: nil,
                          mean: imageNetMean, std: imageNetStd)
    }

    /// DINOv2's Hugging Face default (`BitImageProcessor`): shortest edge → 256, centre crop
    /// 224, ImageNet mean/std.
    public static func dinov2HuggingFaceDefault(pad: Bool) -> ImagePreprocessor {
        ImagePreprocessor(padToSquare: pad, resize: .shortestEdge(256), cropSize: ImageSize(square: 224),
                          mean: imageNetMean, std: imageNetStd)
    }

    /// The pad colour LLaVA uses: `tuple(int(x * 255) for x in image_mean)` (truncated),
    /// e.g. (122, 116, 104) for CLIP.
    public var padColor: RGBColor {
        let components = mean.map { UInt8(clamping: Int(($0 * 255).rounded(.towardZero))) }
        return RGBColor(red: components[0], green: components[1], blue: components[2])
    }

    /// The size of every output when it does not depend on the input (a crop or an exact
    /// resize is set).
    public var fixedOutputSize: ImageSize? {
        if let cropSize { return cropSize }
        if case let .exact(size) = resize { return size }
        return nil
    }

    /// The 8-bit image after padding, resizing and cropping (before rescale/normalise).
    public func preparedImage(_ image: RGBImage) -> RGBImage {
        var prepared = padToSquare ? image.expandedToSquare(background: padColor) : image
        let target: ImageSize
        switch resize {
        case let .shortestEdge(edge): target = prepared.size.resizedToShortestEdge(edge)
        case let .exact(size): target = size
        }
        prepared = prepared.resizedBicubic(width: target.width, height: target.height)
        if let cropSize {
            prepared = prepared.centerCropped(to: cropSize)
        }
        return prepared
    }

    /// Model input for `image`: 3 × height × width floats, channels first (R, G, B planes).
    public func pixelValues(for image: RGBImage) -> [Float] {
        normalized(preparedImage(image))
    }

    /// Rescales and normalises an already prepared image into channels-first floats, in
    /// float32 like transformers: `Float(Double(v) * rescaleFactor)`, then `(x - mean) / std`.
    public func normalized(_ image: RGBImage) -> [Float] {
        let planeSize = image.width * image.height
        // One lookup table per channel: every sample value maps to exactly one float.
        let tables: [[Float]] = (0..<3).map { channel in
            let mean = Float(self.mean[channel])
            let std = Float(self.std[channel])
            return (0..<256).map { value in (Float(Double(value) * rescaleFactor) - mean) / std }
        }
        var output = [Float](repeating: 0, count: 3 * planeSize)
        image.pixels.withUnsafeBufferPointer { pixels in
            output.withUnsafeMutableBufferPointer { output in
                for channel in 0..<3 {
                    tables[channel].withUnsafeBufferPointer { table in
                        let plane = channel * planeSize
                        for pixel in 0..<planeSize {
                            output[plane + pixel] = table[Int(pixels[pixel * 3 + channel])]
                        }
                    }
                }
            }
        }
        return output
    }
}
