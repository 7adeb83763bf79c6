import Models
import SyntheticData
import Tensor

/// What a LLaVA's visual tokens still tell about the image at each depth of its decoder: a linear
/// probe (`PatchProbe`) fitted on the tokens of held-out scenes names the category of the object
/// each patch lies on, and is scored on other scenes. VIRAL's claim in miniature is that the
/// baseline's middle layers lose such detail and the aligned ones keep it: in `make demo` (seed 0,
/// 2026-12-07) the probe read the category of 75.1 / 62.7 / 58.0 / 53.0 % of object patches after
/// blocks 1–4 of the baseline and 79.9 / 74.8 / 70.9 / 68.9 % of VIRAL's.
///
/// The scenes are the suite's mix of 64-pixel scenes from the probe's own seed, so every model
/// probed with one `LayerCategoryProbe` is scored on the same images.
struct LayerCategoryProbe {
    let fitScenes: [Scene]
    let testScenes: [Scene]
    let seed: UInt64

    /// Probes on `sceneCount` fitting and `sceneCount` scoring scenes of side `imageSize`, drawn
    /// from seeds derived from `seed`.
    init(sceneCount: Int, imageSize: Int, seed: UInt64) throws {
        fitScenes = try PretrainingScenes.make(count: sceneCount, imageSize: imageSize,
                                               seed: BuiltinModels.derivedSeed(seed, "layer probe fit"))
        testScenes = try PretrainingScenes.make(count: sceneCount, imageSize: imageSize,
                                                seed: BuiltinModels.derivedSeed(seed, "layer probe test"))
        self.seed = seed
    }

    /// The share of the scoring scenes' object patches whose category the probe names, per hidden
    /// state of `chat`'s decoder (index 0: the projector's output, the decoder's input; then after
    /// each block, the last one after the final norm), asked "Describe the image.".
    func objectPatchAccuracies(chat: ChatModel) throws -> [Double] {
        let fit = try datasets(fitScenes, chat: chat), test = try datasets(testScenes, chat: chat)
        return zip(fit, test).map { PatchProbe.categoryAccuracy(fit: $0, test: $1, seed: seed).objectPatches }
    }

    /// One patch dataset per hidden state: the grid tokens of every scene, row after row.
    private func datasets(_ scenes: [Scene], chat: ChatModel) throws -> [PatchDataset] {
        let probe = VisualProbe(chat: chat)
        var rows: [[Float]] = [], widths: [Int] = []
        for scene in scenes {
            let pass = try probe.run(scene.render(), hiddenStates: true)
            if rows.isEmpty {
                rows = Array(repeating: [], count: pass.hiddenStates.count)
                widths = pass.hiddenStates.map { $0.shape[2] }
            }
            for (index, state) in pass.hiddenStates.enumerated() {
                rows[index] += VisualProbe.rows(of: state, at: pass.gridPositions)
            }
        }
        let patchSize = chat.model.config.vision.patchSize
        let labels = scenes.map { PatchLabels(scene: $0, patchSize: patchSize) }
        return zip(rows, widths).map { values, width in
            PatchDataset(features: Tensor(values, shape: [values.count / width, width]),
                         classes: labels.flatMap(\.classes), offsets: labels.flatMap(\.offsets))
        }
    }
}
