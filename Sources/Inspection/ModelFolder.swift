import Foundation
import Models
import NN

/// Opens model folders for the inspection tools, reporting every problem on one line.
public enum ModelFolder {
    /// Loads whatever `directory` holds (decoder, vision tower or LLaVA) with
    /// `ModelLoader.load(_:visionTowerDirectory:storage:)`, after checking that the folders exist.
    public static func load(_ directory: URL, visionTowerDirectory: URL? = nil,
                            storage: WeightStorage = .inMemory) throws -> LoadedModel {
        try requireFolder(directory, role: "model folder")
        if let visionTowerDirectory { try requireFolder(visionTowerDirectory, role: "vision tower folder") }
        do {
            return try ModelLoader.load(directory, visionTowerDirectory: visionTowerDirectory, storage: storage)
        } catch let mismatch as ParameterMismatchError {
            // The loader lists missing, unexpected and misshapen tensors on separate lines.
            let lines = mismatch.description.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            throw InspectionError(lines.first! + " " + lines.dropFirst().joined(separator: "; "))
        }
    }

    /// Throws unless `url` is an existing directory.
    static func requireFolder(_ url: URL, role: String) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
            throw InspectionError("\(role) \(url.path) does not exist")
        }
        guard isDirectory.boolValue else {
            throw InspectionError("\(role) \(url.path) is a file; pass the folder that holds config.json and the safetensors")
        }
    }
}

extension LoadedModel {
    /// The model as a module, for its named parameters.
    public var module: Module {
        switch self {
        case .decoder(let model): return model
        case .vision(let model): return model
        case .llava(let model): return model
        }
    }

    /// What kind of model this is, for messages: "decoder (llama)", "vision tower (clip)",
    /// "LLaVA (clip tower, llama decoder)".
    public var kindDescription: String {
        switch self {
        case .decoder(let model): return "decoder (\(model.config.modelType))"
        case .vision(let model): return "vision tower (\(model.config.family.rawValue))"
        case .llava(let model):
            return "LLaVA (\(model.config.vision.family.rawValue) tower, \(model.config.decoder.modelType) decoder)"
        }
    }
}
