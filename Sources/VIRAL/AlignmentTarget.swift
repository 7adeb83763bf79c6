import Tensor
import Vision

/// What the visual hidden states are pulled towards.
public enum AlignmentTargetKind: String, Sendable, Codable {
    /// A frozen vision foundation model's patch features (DINOv2 by default).
    case teacher
    /// The LLaVA tower's own selected features ("VRA to encoder").
    case encoder
}

/// Target features resampled onto the visual token grid when the grids differ: bilinear,
/// align_corners = false (as `F.interpolate`), per image.
public enum TargetResampling {
    /// `features` [images, h·w, d] on an h×w grid → [images, rows·columns, d].
    public static func resample(_ features: Tensor, from grid: (rows: Int, columns: Int),
                                to target: (rows: Int, columns: Int)) -> Tensor {
        let (images, d) = (features.shape[0], features.shape[2])
        if grid == target { return features }
        let out = Tensor(uninitialized: [images, target.rows * target.columns, d])
        for i in 0..<images {
            GridInterpolation.bilinear.resample(features.data + i * grid.rows * grid.columns * d, height: grid.rows,
                                                width: grid.columns, channels: d,
                                                into: out.data + i * target.rows * target.columns * d,
                                                outputHeight: target.rows, outputWidth: target.columns)
        }
        return out
    }
}
