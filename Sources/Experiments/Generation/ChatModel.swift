import Foundation
import Inspection
import Models
import NN
import Tensor
import Text
import Training
import Vision

/// A LLaVA model ready to be talked to: the model, its tokenizer, the conversation template that
/// renders prompts, and the image preprocessing of LLaVA-1.5's stage 2 (pad to a square with the
/// tower's mean colour, then the tower's preset).
public final class ChatModel {
    /// The model.
    public let model: LlavaModel
    /// The tokenizer.
    public let tokenizer: Tokenizer
    /// The template that renders conversations into prompt ids.
    public let template: any ConversationTemplate
    /// The tokenizer and ids the template encodes with.
    public let context: TemplateContext
    /// How an image becomes pixel values.
    public let imagePreparation: ImagePreparation
    /// Ids that end a reply: the EOS of the decoder and of the tokenizer, and the template's
    /// end-of-turn token when it is one token (`<|im_end|>`).
    public let stopTokenIDs: Set<Int>
    /// Text that ends a reply (LLaVA's `stop_str` of the template).
    public let stopStrings: [String]

    /// Wraps a loaded model and tokenizer.
    /// - Parameter templateName: `vicuna_v1`, `chatml` or `plain`; nil takes the default for the
    ///   decoder (`defaultTemplateName(for:)`).
    public init(model: LlavaModel, tokenizer: Tokenizer, templateName: String? = nil) throws {
        self.model = model
        self.tokenizer = tokenizer
        let name = templateName ?? Self.defaultTemplateName(for: model.config.decoder)
        template = try conversationTemplate(named: name)
        let decoder = model.config.decoder
        context = TemplateContext(tokenizer: tokenizer, imageTokenID: model.config.imageTokenID,
                                  padTokenID: tokenizer.padTokenID ?? decoder.padTokenID ?? 0,
                                  modelMaxLength: tokenizer.configuration?.modelMaxLength ?? Int.max)
        try template.validate(for: context)
        imagePreparation = Self.stageTwoPreparation(for: model.config.vision)
        stopStrings = Self.stopStrings(ofTemplate: template.name)
        let endOfTurn = stopStrings.compactMap { tokenizer.id(for: $0) }.filter { tokenizer.isSpecialToken($0) }
        stopTokenIDs = Set([decoder.eosTokenID, tokenizer.eosTokenID].compactMap { $0 } + endOfTurn)
    }

    /// Loads a LLaVA checkpoint folder and its tokenizer.
    /// - Parameters:
    ///   - visionTower: the tower folder of an original-LLaVA checkpoint (default: its `mm_vision_tower`).
    ///   - tokenizer: a `tokenizer.json` or the folder holding one (default: the model folder).
    ///   - templateName: see `init(model:tokenizer:templateName:)`.
    public static func load(model directory: URL, visionTower: URL? = nil, tokenizer: URL? = nil,
                            templateName: String? = nil) throws -> ChatModel {
        // Cheap checks first: loading a large model only to fail on its tokenizer wastes minutes.
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ExperimentError("model folder \(directory.path) does not exist or is not a folder")
        }
        let tokenizerFile = try tokenizerFile(tokenizer ?? directory, modelDirectory: directory)
        // Memory-mapped: inference needs no F32 copy of F32 weights, nor a widened one of BF16 weights.
        let loaded = try ModelFolder.load(directory, visionTowerDirectory: visionTower, storage: .mapped)
        guard case .llava(let model) = loaded else {
            throw ExperimentError("\(directory.path) holds a \(loaded.kindDescription), not a LLaVA model (vision tower + projector + decoder)")
        }
        return try ChatModel(model: model, tokenizer: try Tokenizer(contentsOf: tokenizerFile), templateName: templateName)
    }

    /// `chatml` for Qwen2 decoders, `vicuna_v1` for Llama-family decoders (LLaVA-1.5).
    public static func defaultTemplateName(for decoder: DecoderConfig) -> String {
        decoder.modelType.lowercased().hasPrefix("qwen") ? "chatml" : "vicuna_v1"
    }

    /// LLaVA-1.5 stage 2: pad to square, then the tower's preset at its image size.
    public static func stageTwoPreparation(for tower: VisionConfig) -> ImagePreparation {
        switch tower.family {
        case .clip: return ImagePreparation(preset: .clip(size: tower.imageSize), aspect: .pad)
        case .siglip: return ImagePreparation(preset: .siglip(size: tower.imageSize), aspect: .pad)
        case .dinov2: return ImagePreparation(preset: .dinov2(size: tower.imageSize), aspect: .pad)
        }
    }

    /// LLaVA's `stop_str` per template: `</s>` after a vicuna_v1 reply, `<|im_end|>` after a
    /// ChatML one, the newline that ends a `plain` caption.
    public static func stopStrings(ofTemplate name: String) -> [String] {
        switch name {
        case "vicuna_v1": return ["</s>"]
        case "chatml": return ["<|im_end|>"]
        case "plain": return ["\n"]
        default: return []
        }
    }

    /// Side of the visual token grid (24 for CLIP ViT-L/14 at 336 px).
    public var gridSide: Int { model.config.vision.gridSize }

    /// Visual tokens before the grid in each image's block (a class token kept by the `full`
    /// feature strategy), so that grid token i sits at block position `gridOffset + i`.
    public var gridOffset: Int { model.config.imageTokenCount - gridSide * gridSide }

    /// Pixel values [1, 3, S, S] of an image, preprocessed as in stage 2.
    public func pixelValues(for image: RGBImage) -> Tensor {
        let size = imagePreparation.outputSize
        return Tensor(imagePreparation.preprocessor.pixelValues(for: image), shape: [1, 3, size, size])
    }

    /// The image as the tower sees it (padded, resized, cropped), for figures.
    public func preparedImage(_ image: RGBImage) -> RGBImage {
        imagePreparation.preprocessor.preparedImage(image)
    }

    /// Prompt ids of a conversation ending with a human turn, rendered by the template and with
    /// the image placeholder expanded to one id per visual token.
    public func promptIDs(for conversation: Conversation) -> [Int] {
        let ids = template.encodePrompt(conversation, using: context)
        let encoded = EncodedConversation(inputIDs: ids, labels: ids)
        return encoded.expandingImageTokens(model.config.imageTokenID, count: model.config.imageTokenCount).inputIDs
    }

    /// Reads an image file (PNG or JPEG).
    public static func loadImage(_ url: URL) throws -> RGBImage {
        try RGBImage(contentsOfFile: url.path)
    }

    private static func tokenizerFile(_ url: URL, modelDirectory: URL) throws -> URL {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
            throw ExperimentError("tokenizer \(url.path) does not exist")
        }
        guard isDirectory.boolValue else { return url }
        let file = url.appendingPathComponent("tokenizer.json")
        guard FileManager.default.fileExists(atPath: file.path) else {
            let hint = url == modelDirectory ? "; pass --tokenizer FILE (a tokenizer.json, e.g. saved by transformers' LlamaTokenizerFast)" : ""
            throw ExperimentError("no tokenizer.json in \(url.path)\(hint)")
        }
        return file
    }
}
