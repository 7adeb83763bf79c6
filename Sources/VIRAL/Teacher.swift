import Foundation
import Models
import Tensor
import Vision

/// A frozen vision foundation model that provides alignment targets: its final-layer-norm patch
/// tokens (class and register tokens dropped), computed on the image with the teacher's own
/// preprocessing at a size whose grid matches the visual token grid.
public final class Teacher {
    /// A short name for logs and checkpoint keys ("dinov2", "siglip", …).
    public let name: String
    public let tower: VisionTransformer
    public let preprocessor: ImagePreprocessor

    /// - Parameters:
    ///   - imageSize: input size (default: patch size × `grid`, else the tower's configured size).
    ///   - grid: the visual token grid side to match (24 for LLaVA-1.5 at 336 px).
    ///   - pad: pad to square first (as stage 2 pads the tower's input).
    public init(tower: VisionTransformer, name: String? = nil, imageSize: Int? = nil, grid: Int? = nil, pad: Bool) {
        self.tower = tower
        tower.setTrainable(false)
        let config = tower.config
        let size = imageSize ?? grid.map { $0 * config.patchSize } ?? config.imageSize
        switch config.family {
        case .dinov2: preprocessor = .dinov2(size: size, pad: pad)
        case .siglip: preprocessor = .siglip(size: size, pad: pad)
        case .clip: preprocessor = ImagePreprocessor(padToSquare: pad, resize: .exact(ImageSize(width: size, height: size)), cropSize: nil, rescaleFactor: 1.0 / 255,
                                                     mean: ImagePreprocessor.clipMean, std: ImagePreprocessor.clipStd)
        }
        self.name = name ?? (config.family == .dinov2 && config.registerCount > 0 ? "dinov2_registers" : config.family.rawValue)
    }

    /// Loads a teacher from a Hugging Face checkpoint folder.
    public convenience init(directory: URL, name: String? = nil, imageSize: Int? = nil, grid: Int? = nil, pad: Bool) throws {
        guard case .vision(let tower) = try ModelLoader.load(directory) else {
            throw ModelInputError("\(directory.path) is not a vision model (DINOv2, CLIP or SigLIP) and cannot be a teacher")
        }
        self.init(tower: tower, name: name, imageSize: imageSize, grid: grid, pad: pad)
    }

    /// Feature width d.
    public var width: Int { tower.config.hiddenSize }

    /// The patch grid the teacher produces at its input size.
    public var grid: (rows: Int, columns: Int) {
        let side = (preprocessor.fixedOutputSize?.width ?? tower.config.imageSize) / tower.config.patchSize
        return (side, side)
    }

    /// A key that changes whenever the features would (teacher, input size, padding).
    public var cacheIdentity: String {
        "\(name)-\(tower.config.hiddenSize)x\(tower.config.layerCount)-\(preprocessor.fixedOutputSize?.width ?? 0)-\(preprocessor.padToSquare ? "pad" : "nopad")"
    }

    /// Patch features [images, rows·columns, d] of decoded images, without gradients.
    public func features(of images: [RGBImage]) throws -> Tensor {
        let pixels = images.flatMap { preprocessor.pixelValues(for: $0) }
        let size = preprocessor.fixedOutputSize?.width ?? tower.config.imageSize
        return try features(pixelValues: Tensor(pixels, shape: [images.count, 3, size, size]))
    }

    /// Patch features of preprocessed pixels [images, 3, H, W].
    public func features(pixelValues: Tensor) throws -> Tensor {
        try noGrad {
            let last = try tower(pixelValues).lastHiddenState
            let prefix = tower.config.prefixTokenCount
            return last.slice(axis: 1, prefix..<last.shape[1])
        }
    }
}
