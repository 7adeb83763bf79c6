import Vision

/// How a training image becomes pixel values: a vision tower's preprocessing preset and how the
/// image's aspect ratio is handled (which is what differs between LLaVA's stages).
public struct ImagePreparation: Hashable, Sendable {
    /// A vision tower's preprocessing (Vision's `ImagePreprocessor` presets).
    public enum Preset: Hashable, Sendable {
        /// CLIP: shortest edge → `size` (bicubic), centre crop, CLIP mean/std.
        case clip(size: Int)
        /// SigLIP: resize to `size`×`size`, mean/std 0.5.
        case siglip(size: Int)
        /// DINOv2 as a teacher: resize to `size`×`size`, ImageNet mean/std.
        case dinov2(size: Int)
    }

    /// What happens to a non-square image before the preset's resize.
    public enum AspectHandling: String, Hashable, Sendable, CaseIterable {
        /// Stage 1 (`image_aspect_ratio` unset): the preset alone (for CLIP, resize the shortest
        /// edge and crop the centre).
        case crop
        /// Stage 2 (`image_aspect_ratio = "pad"`): expand to a square filled with the preset's
        /// mean colour, e.g. (122, 116, 104) for CLIP, then the preset.
        case pad
    }

    /// The preprocessing preset.
    public var preset: Preset
    /// The aspect-ratio handling.
    public var aspect: AspectHandling

    /// Creates a preparation.
    public init(preset: Preset, aspect: AspectHandling) {
        self.preset = preset
        self.aspect = aspect
    }

    /// The Vision preprocessor that does it.
    public var preprocessor: ImagePreprocessor {
        let pad = aspect == .pad
        switch preset {
        case .clip(let size): return .clip(size: size, pad: pad)
        case .siglip(let size): return .siglip(size: size, pad: pad)
        case .dinov2(let size): return .dinov2(size: size, pad: pad)
        }
    }

    /// The side of the square output image.
    public var outputSize: Int {
        switch preset {
        case .clip(let size), .siglip(let size), .dinov2(let size): return size
        }
    }
}
