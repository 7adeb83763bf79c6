import Models
import SyntheticData
import Tensor
import Vision

/// Linear-probe accuracies of the built-in towers' patch features on held-out scenes (see
/// `PatchProbe`): the evidence that the teacher's features are the spatially stronger ones.
public struct SpatialProbeReport: Hashable, Sendable {
    /// The pretrained tower's LLaVA features (penultimate block).
    public var tower: ProbeAccuracy
    /// The pretrained teacher's VIRAL targets (final layer norm).
    public var teacher: ProbeAccuracy
    /// The tower as it was before pretraining (same seed and initialisation): what the probe
    /// reads from patch features that learned nothing.
    public var untrainedTower: ProbeAccuracy
    /// Scenes in each of the fitting and scoring sets.
    public var sceneCount: Int
}

extension BuiltinModels {
    /// Fits and scores linear probes on the patch features of `sceneCount` + `sceneCount`
    /// held-out scenes (two seed streams of their own).
    public func probe(sceneCount: Int? = nil) throws -> SpatialProbeReport {
        let count = sceneCount ?? options.probeSceneCount
        guard count > 0 else {
            throw BuiltinModelsError.invalidOption(name: "probe scenes", value: "\(count)", reason: "must be at least 1")
        }
        let side = options.tower.imageSize
        let fitScenes = try PretrainingScenes.make(count: count, imageSize: side, seed: Self.derivedSeed(options.seed, "probe fit"))
        let testScenes = try PretrainingScenes.make(count: count, imageSize: side, seed: Self.derivedSeed(options.seed, "probe test"))
        let probeSeed = Self.derivedSeed(options.seed, "probe")

        func accuracy(preprocessor: ImagePreprocessor, features: (Tensor) throws -> Tensor) throws -> ProbeAccuracy {
            let fit = try Self.patchDataset(fitScenes, preprocessor: preprocessor, side: side,
                                            patchSize: options.tower.patchSize, features: features)
            let test = try Self.patchDataset(testScenes, preprocessor: preprocessor, side: side,
                                             patchSize: options.tower.patchSize, features: features)
            return PatchProbe.accuracy(fit: fit, test: test, seed: probeSeed)
        }
        let towerPreprocessor = Self.towerPreprocessor(options.tower)
        var generator = RandomGenerator(seed: Self.derivedSeed(options.seed, "tower"))
        let untrained = Self.initialisedTower(options.tower, generator: &generator)
        return SpatialProbeReport(
            tower: try accuracy(preprocessor: towerPreprocessor) { try Self.towerPatchFeatures(tower, pixels: $0) },
            teacher: try accuracy(preprocessor: Self.teacherPreprocessor(options.teacher)) {
                try Self.teacherPatchFeatures(teacher, pixels: $0)
            },
            untrainedTower: try accuracy(preprocessor: towerPreprocessor) { try Self.towerPatchFeatures(untrained, pixels: $0) },
            sceneCount: count)
    }

    /// Patch features [scenes·grid², width], classes and offsets of `scenes`, in batches of 64.
    static func patchDataset(_ scenes: [Scene], preprocessor: ImagePreprocessor, side: Int, patchSize: Int,
                             features: (Tensor) throws -> Tensor) throws -> PatchDataset {
        var parts: [Tensor] = []
        for start in stride(from: 0, to: scenes.count, by: 64) {
            let batch = Array(scenes[start..<min(start + 64, scenes.count)])
            let patches = try features(PretrainingScenes.pixelValues(batch, preprocessor: preprocessor, side: side))
            parts.append(patches.reshaped([-1, patches.shape[2]]))
        }
        let labels = scenes.map { PatchLabels(scene: $0, patchSize: patchSize) }
        return PatchDataset(features: Tensor.concatenate(parts, axis: 0), classes: labels.flatMap(\.classes),
                            offsets: labels.flatMap(\.offsets))
    }
}
