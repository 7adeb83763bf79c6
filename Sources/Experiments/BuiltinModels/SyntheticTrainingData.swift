import Foundation
import Models
import Text
import Training

/// How the built-in LLaVA reads a synthetic training split (`viral data synth`'s `train.json`
/// and its images): vicuna_v1 conversations, images padded to the tower's square as LLaVA-1.5
/// does, and a malformed record is an error (the split is the project's own).
enum SyntheticTrainingData {
    static func dataset(folder: URL, tokenizer: Tokenizer, config: LlavaConfig) throws -> ConversationDataset {
        try ConversationDataset(
            contentsOf: folder.appendingPathComponent("train.json"), tokenizer: tokenizer,
            configuration: DataConfiguration(template: try conversationTemplate(named: "vicuna_v1"),
                                             imageTokenID: config.imageTokenID, imageTokenCount: config.imageTokenCount,
                                             maxLength: 512, images: ImagePreparation(preset: .clip(size: config.vision.imageSize), aspect: .pad),
                                             padTokenID: tokenizer.padTokenID ?? 0, imageFolder: folder, badRecordPolicy: .fail))
    }
}
