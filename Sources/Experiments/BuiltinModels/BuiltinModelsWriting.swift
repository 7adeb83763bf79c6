import Foundation
import NN

extension BuiltinModels {
    /// Writes `tower/`, `teacher/` and `llava/` into `folder` (created if needed; existing
    /// folders of these names are replaced) and the summary `builtin-models.json`. Each model
    /// folder is written under a temporary name and renamed, so an interrupted run never leaves
    /// a half-written model behind.
    public func write(to folder: URL, probe: SpatialProbeReport? = nil) throws {
        try createFolder(folder)
        try writeModelFolder(Self.towerFolder, in: folder) { url in
            try ModelFolderFiles.visionConfig(tower.config).data.write(to: url.appendingPathComponent("config.json"))
            try ModelFolderFiles.preprocessorConfig(Self.towerPreprocessor(tower.config)).data
                .write(to: url.appendingPathComponent("preprocessor_config.json"))
            try ModelFolderFiles.writeWeights(of: tower, to: url.appendingPathComponent("model.safetensors"))
        }
        try writeModelFolder(Self.teacherFolder, in: folder) { url in
            try ModelFolderFiles.visionConfig(teacher.config).data.write(to: url.appendingPathComponent("config.json"))
            try ModelFolderFiles.preprocessorConfig(Self.teacherPreprocessor(teacher.config)).data
                .write(to: url.appendingPathComponent("preprocessor_config.json"))
            try ModelFolderFiles.writeWeights(of: teacher, to: url.appendingPathComponent("model.safetensors"))
        }
        try writeModelFolder(Self.llavaFolder, in: folder) { url in
            try ModelFolderFiles.llavaConfig(llava.config, maxPositions: BuiltinTokenizer.modelMaxLength).data
                .write(to: url.appendingPathComponent("config.json"))
            try ModelFolderFiles.preprocessorConfig(Self.towerPreprocessor(tower.config)).data
                .write(to: url.appendingPathComponent("preprocessor_config.json"))
            try tokenizer.write(to: url)
            try ModelFolderFiles.writeWeights(of: llava, to: url.appendingPathComponent("model.safetensors"))
        }
        let manifest = folder.appendingPathComponent(Self.manifestFile)
        do {
            try manifestJSON(probe: probe).data.write(to: manifest, options: .atomic)
        } catch {
            throw BuiltinModelsError.cannotWrite(path: manifest.path, reason: error.localizedDescription)
        }
    }

    /// The summary: seed, sizes, pretraining losses and probe accuracies (no timings, so that the
    /// same seed writes the same bytes).
    func manifestJSON(probe: SpatialProbeReport?) -> JSONText {
        func trainingMembers(_ summary: PretrainingSummary, _ settings: PretrainingSettings) -> [(String, JSONText)] {
            [
                ("steps", .integer(summary.steps)), ("batch_size", .integer(settings.batchSize)),
                ("images", .integer(summary.images)), ("learning_rate", .number(Double(settings.learningRate.description)!)),
                ("first_loss", .number(Double(summary.firstLoss))), ("last_loss", .number(Double(summary.lastLoss))),
            ]
        }
        func training(_ summary: PretrainingSummary, _ settings: PretrainingSettings) -> JSONText {
            .object(trainingMembers(summary, settings))
        }
        func accuracy(_ value: ProbeAccuracy) -> JSONText {
            .object([
                ("object_patches", .number(value.objectPatches)), ("background_patches", .number(value.backgroundPatches)),
                ("all_patches", .number(value.allPatches)), ("object_patch_count", .integer(value.objectPatchCount)),
                ("offset_error", .number(value.offsetError)), ("offset_baseline", .number(value.offsetBaseline)),
            ])
        }
        var members: [(String, JSONText)] = [
            ("seed", .integer(Int(truncatingIfNeeded: options.seed))),
            ("tokenizer_size", .integer(tokenizer.size)),
            ("image_token_index", .integer(tokenizer.imageTokenID)),
            ("tower_parameters", .integer(tower.parameterCount)),
            ("teacher_parameters", .integer(teacher.parameterCount)),
            ("llava_parameters", .integer(llava.parameterCount)),
            ("tower_cell_side", .integer(options.towerCellSide)),
            ("tower_pretraining", training(towerPretraining, options.towerTraining)),
            ("teacher_pretraining", training(teacherPretraining, options.teacherTraining)),
        ]
        if let decoderPretraining {
            members.append(("decoder_pretraining", training(decoderPretraining, options.decoderTraining)))
        }
        if !drillPretraining.isEmpty {
            members.append(("drills", .array(drillPretraining.map { phase, summary in
                .object([("subject", .string(phase.subject.rawValue)), ("questions_per_image", .integer(phase.questionsPerImage))]
                    + trainingMembers(summary, phase.settings))
            })))
        }
        if let probe {
            members.append(("patch_probe", .object([
                ("scenes", .integer(probe.sceneCount)), ("tower", accuracy(probe.tower)),
                ("teacher", accuracy(probe.teacher)), ("untrained_tower", accuracy(probe.untrainedTower)),
            ])))
        }
        return .object(members)
    }

    private func createFolder(_ url: URL) throws {
        do {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        } catch {
            throw BuiltinModelsError.cannotWrite(path: url.path, reason: error.localizedDescription)
        }
    }

    /// Fills `.<name>.partial` with `contents`, then renames it to `name`, replacing an old one.
    private func writeModelFolder(_ name: String, in folder: URL, _ contents: (URL) throws -> Void) throws {
        let manager = FileManager.default
        let staging = folder.appendingPathComponent(".\(name).partial")
        let final = folder.appendingPathComponent(name)
        do {
            if manager.fileExists(atPath: staging.path) { try manager.removeItem(at: staging) }
            try manager.createDirectory(at: staging, withIntermediateDirectories: false)
            try contents(staging)
            if manager.fileExists(atPath: final.path) { try manager.removeItem(at: final) }
            try manager.moveItem(at: staging, to: final)
        } catch let error as BuiltinModelsError {
            throw error
        } catch {
            throw BuiltinModelsError.cannotWrite(path: final.path, reason: "\(error)")
        }
    }
}
