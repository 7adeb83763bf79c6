import Foundation
import Models
import Tensor
import VIRAL
import Vision

/// Where a training step gets the features VIRAL aligns to.
public enum AlignmentTargets {
    /// A teacher's features, from its on-disk cache (filled on first use) or computed per step.
    case teacher(Teacher, cache: TeacherFeatureCache?)
    /// The LLaVA tower's own selected features ("VRA to encoder").
    case encoder

    /// The target width d.
    public func width(for model: LlavaModel) -> Int {
        switch self {
        case .teacher(let teacher, _): return teacher.width
        case .encoder: return model.config.vision.hiddenSize
        }
    }

    /// The name of the target (alignment projector keys use it).
    public var name: String {
        switch self {
        case .teacher(let teacher, _): return teacher.name
        case .encoder: return "encoder"
        }
    }

    /// Targets [images, N, d] on the visual token grid (`grid`²  = N), for the given images.
    /// - Parameters:
    ///   - imagePaths: the image files, for teachers.
    ///   - towerFeatures: the tower's selected features of the same images [images, N, Dz].
    func features(imagePaths: [String], towerFeatures: Tensor?, grid: Int) throws -> Tensor {
        switch self {
        case .encoder:
            guard let towerFeatures else { throw ModelInputError("VRA to encoder needs the tower's features") }
            return towerFeatures.detached()
        case .teacher(let teacher, let cache):
            let features: Tensor
            if let cache {
                if !cache.missing(imagePaths).isEmpty { try cache.fill(with: imagePaths) }
                features = try cache.features(for: imagePaths)
            } else {
                features = try teacher.features(of: try imagePaths.map { try RGBImage(contentsOfFile: $0) })
            }
            return TargetResampling.resample(features, from: teacher.grid, to: (grid, grid))
        }
    }
}
