import Foundation
import Models
import NN
import SafeTensors
import Tensor

/// Saving and restoring a training run, atomically.
///
/// `checkpoint-<step>/` holds:
/// - `trainable.safetensors` — every trained tensor by model key (alignment projector under `alignment.`);
/// - `optimizer.safetensors` — AdamW moments (`m.<group>.<i>`, `v.<group>.<i>`);
/// - `mm_projector.safetensors` — the projector in the original LLaVA layout (`model.mm_projector.{0,2}`);
/// - `adapter_model.safetensors` + `adapter_config.json` — LoRA in the PEFT layout, when used;
/// - `trainer_state.json` — step, settings, dropout generators and the caller's data position.
/// It is written as `.checkpoint-<step>.partial/` and renamed into place, so a crash leaves the
/// previous checkpoint intact; `latest` names the newest complete one.
public enum TrainingCheckpoint {
    struct State: Codable {
        var step: Int
        var skippedSteps: Int
        var settings: TrainingSettings
        var dropoutGenerators: [RandomGenerator]
        var dataPosition: Data?
    }

    /// Writes a checkpoint of `trainer` into `output` and returns its folder.
    @discardableResult
    public static func save(_ trainer: Trainer, to output: URL, dataPosition: Data? = nil) throws -> URL {
        let fileManager = FileManager.default
        try fileManager.createDirectory(at: output, withIntermediateDirectories: true)
        let name = String(format: "checkpoint-%06d", trainer.step)
        let final = output.appendingPathComponent(name)
        let partial = output.appendingPathComponent("." + name + ".partial")
        try? fileManager.removeItem(at: partial)
        try fileManager.createDirectory(at: partial, withIntermediateDirectories: true)

        var trainable = SafeTensorsWriter(metadata: ["format": "pt"])
        for (key, tensor) in trainedTensors(trainer) { try trainable.add(key, shape: tensor.shape, floats: tensor.scalars) }
        try trainable.write(to: partial.appendingPathComponent("trainable.safetensors"))

        var optimizer = SafeTensorsWriter(metadata: ["step": "\(trainer.optimizer.step)"])
        for (g, group) in trainer.optimizer.groups.enumerated() {
            for (i, m) in trainer.optimizer.firstMoments[g].enumerated() {
                try optimizer.add("m.\(group.name).\(i)", shape: m.shape, floats: m.scalars)
                try optimizer.add("v.\(group.name).\(i)", shape: m.shape, floats: trainer.optimizer.secondMoments[g][i].scalars)
            }
        }
        try optimizer.write(to: partial.appendingPathComponent("optimizer.safetensors"))

        var projector = SafeTensorsWriter(metadata: ["format": "pt"])
        for (key, tensor) in trainer.model.projector.namedParameters {
            let stored = CheckpointLayout.llavaOriginal.storedKey("multi_modal_projector." + key)
            try projector.add(stored, shape: tensor.shape, floats: tensor.scalars)
        }
        try projector.write(to: partial.appendingPathComponent("mm_projector.safetensors"))

        if let lora = trainer.settings.lora { try PEFTAdapter.write(trainer.model.languageModel, settings: lora, to: partial) }

        let state = State(step: trainer.step, skippedSteps: trainer.skippedSteps, settings: trainer.settings,
                          dropoutGenerators: adapters(trainer).map(\.generator), dataPosition: dataPosition)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(state).write(to: partial.appendingPathComponent("trainer_state.json"))

        try? fileManager.removeItem(at: final)
        guard rename(partial.path, final.path) == 0 else {
            throw CheckpointError("cannot move \(partial.path) to \(final.path) (errno \(errno))")
        }
        try writeAtomically(Data(name.utf8), to: output.appendingPathComponent("latest"))
        return final
    }

    /// The newest complete checkpoint in `output`, if any.
    public static func latest(in output: URL) -> URL? {
        guard let data = try? Data(contentsOf: output.appendingPathComponent("latest")),
              let name = String(data: data, encoding: .utf8)?.trimmingCharacters(in: .whitespacesAndNewlines) else { return nil }
        let folder = output.appendingPathComponent(name)
        return FileManager.default.fileExists(atPath: folder.appendingPathComponent("trainer_state.json").path) ? folder : nil
    }

    /// Restores `trainer` (built with the same model and settings) from `checkpoint`; returns the
    /// data position saved with it.
    @discardableResult
    public static func restore(_ trainer: Trainer, from checkpoint: URL) throws -> Data? {
        let stateURL = checkpoint.appendingPathComponent("trainer_state.json")
        guard let stateData = try? Data(contentsOf: stateURL),
              let state = try? JSONDecoder().decode(State.self, from: stateData) else {
            throw CheckpointError("\(stateURL.path) is missing or unreadable; is \(checkpoint.path) a viral training checkpoint?")
        }
        let trainable = try SafeTensorsFile(url: checkpoint.appendingPathComponent("trainable.safetensors"))
        for (key, tensor) in trainedTensors(trainer) {
            guard trainable.contains(key), try trainable.info(key).shape == tensor.shape else {
                throw CheckpointError("\(checkpoint.path): trained tensor \(key) is missing or has another shape; the checkpoint was made with other settings")
            }
            try trainable.copyFloats(key, into: tensor.data)
        }
        let moments = try SafeTensorsFile(url: checkpoint.appendingPathComponent("optimizer.safetensors"))
        func read(_ name: String, like tensor: Tensor) throws -> Tensor {
            guard moments.contains(name) else { throw CheckpointError("\(checkpoint.path): optimizer state \(name) is missing") }
            let result = Tensor(zeros: tensor.shape)
            try moments.copyFloats(name, into: result.data)
            return result
        }
        let groups = trainer.optimizer.groups
        let first = try groups.map { group in try group.parameters.indices.map { try read("m.\(group.name).\($0)", like: group.parameters[$0]) } }
        let second = try groups.map { group in try group.parameters.indices.map { try read("v.\(group.name).\($0)", like: group.parameters[$0]) } }
        try trainer.optimizer.restore(step: Int(moments.metadata["step"] ?? "") ?? state.step, firstMoments: first, secondMoments: second)
        let loraAdapters = adapters(trainer)
        guard loraAdapters.count == state.dropoutGenerators.count else {
            throw CheckpointError("\(checkpoint.path) has \(state.dropoutGenerators.count) LoRA adapters, the model \(loraAdapters.count)")
        }
        for (adapter, generator) in zip(loraAdapters, state.dropoutGenerators) { adapter.generator = generator }
        trainer.step = state.step
        trainer.skippedSteps = state.skippedSteps
        return state.dataPosition
    }

    /// Every tensor the trainer updates, by checkpoint key.
    static func trainedTensors(_ trainer: Trainer) -> [NamedParameter] {
        let trained = Set(trainer.optimizer.groups.flatMap(\.parameters).map { ObjectIdentifier($0) })
        let model = trainer.model.namedParameters.filter { trained.contains(ObjectIdentifier($0.tensor)) }
        return model + prefixed("alignment", trainer.alignment) + prefixed("residual_injection", trainer.injection)
    }

    static func adapters(_ trainer: Trainer) -> [LoRAAdapter] {
        Trainer.decoderLinears(trainer.model.languageModel, named: trainer.settings.lora?.targets ?? []).compactMap(\.adapter)
    }

    static func writeAtomically(_ data: Data, to url: URL) throws {
        let temporary = url.deletingLastPathComponent().appendingPathComponent("." + url.lastPathComponent + ".tmp")
        try data.write(to: temporary)
        guard rename(temporary.path, url.path) == 0 else { throw CheckpointError("cannot write \(url.path) (errno \(errno))") }
    }
}

/// A checkpoint that cannot be written or read.
public struct CheckpointError: Error, CustomStringConvertible, LocalizedError {
    public let description: String
    init(_ description: String) { self.description = description }
    public var errorDescription: String? { description }
}
