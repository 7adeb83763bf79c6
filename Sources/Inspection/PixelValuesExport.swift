import Foundation
import Tensor
import Vision

/// The image preprocessing families the `preprocess` command offers (Vision's presets).
public enum PreprocessingPreset: String, CaseIterable, Sendable {
    /// Shortest edge → size, centre crop, CLIP mean/std (LLaVA-1.5's CLIP-336 tower).
    case clip
    /// Direct resize to size × size, mean/std 0.5.
    case siglip
    /// Direct resize to size × size, ImageNet mean/std (VIRAL's teacher).
    case dinov2

    /// The side length the preset uses when none is given: 336 (CLIP ViT-L/14-336, DINOv2 on a
    /// 24×24 grid) or 384 (SigLIP so400m).
    public var defaultSize: Int { self == .siglip ? 384 : 336 }

    /// Vision's preprocessor for this preset.
    public func preprocessor(size: Int, pad: Bool) -> ImagePreprocessor {
        switch self {
        case .clip: return .clip(size: size, pad: pad)
        case .siglip: return .siglip(size: size, pad: pad)
        case .dinov2: return .dinov2(size: size, pad: pad)
        }
    }
}

/// Model inputs from image files.
public enum PixelValuesExport {
    /// `pixel_values` [1, 3, size, size] for the image at `path`, as transformers' processor of the
    /// preset computes them (with LLaVA's pad-to-square when `pad`).
    public static func pixelValues(imageAt path: String, preset: PreprocessingPreset, size: Int? = nil,
                                   pad: Bool = false) throws -> NamedTensors {
        let side = size ?? preset.defaultSize
        guard side > 0 else { throw InspectionError("--size must be a positive number of pixels, not \(side)") }
        let image = try RGBImage(contentsOfFile: path)
        let values = preset.preprocessor(size: side, pad: pad).pixelValues(for: image)
        var tensors = NamedTensors()
        tensors.append("pixel_values", Tensor(values, shape: [1, 3, side, side]))
        return tensors
    }
}
