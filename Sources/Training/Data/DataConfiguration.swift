import Foundation

/// How a conversation data set is tokenized, cut, and given images.
public struct DataConfiguration: Sendable {
    /// The conversation template (`plain` for stage 1, `vicuna_v1` or `chatml` for stage 2).
    public var template: any ConversationTemplate
    /// The id written where the image goes: the model's `image_token_index` (llava-hf), or
    /// LLaVA's -200.
    public var imageTokenID: Int
    /// How many positions an image takes in the decoder (576 for CLIP ViT-L/14 at 336); the
    /// image id is repeated this many times before truncation.
    public var imageTokenCount: Int
    /// The longest sequence kept, image positions included (LLaVA's `model_max_length`).
    public var maxLength: Int
    /// The id padding is filled with; nil takes the tokenizer configuration's pad token.
    public var padTokenID: Int?
    /// The folder relative image paths start from; nil uses the data file's folder.
    public var imageFolder: URL?
    /// The vision tower's image preparation (preset and stage).
    public var images: ImagePreparation
    /// The alignment teacher's image preparation, when batches should carry teacher pixels too.
    public var teacherImages: ImagePreparation?
    /// What to do with records that cannot be used.
    public var badRecordPolicy: BadRecordPolicy

    /// Creates a configuration.
    public init(template: any ConversationTemplate, imageTokenID: Int, imageTokenCount: Int, maxLength: Int,
                images: ImagePreparation, padTokenID: Int? = nil, imageFolder: URL? = nil,
                teacherImages: ImagePreparation? = nil, badRecordPolicy: BadRecordPolicy = .skip) {
        self.template = template
        self.imageTokenID = imageTokenID
        self.imageTokenCount = imageTokenCount
        self.maxLength = maxLength
        self.images = images
        self.padTokenID = padTokenID
        self.imageFolder = imageFolder
        self.teacherImages = teacherImages
        self.badRecordPolicy = badRecordPolicy
    }
}

/// What a data set holds and what it left out.
public struct DataSummary: Sendable, CustomStringConvertible {
    /// The data file.
    public var file: String
    /// Records (or JSONL lines) read from the file.
    public var recordsRead: Int
    /// Records that passed the checks made when the file was loaded.
    public var recordsLoaded: Int
    /// Records left out, when loading or later (an image that does not decode).
    public var badRecords: BadRecordReport
    /// Records served so far whose labels LLaVA's check masked (`labelsMaskedForMismatch`).
    public var labelsMaskedRecords: Int
    /// Records served so far whose image positions were cut by truncation.
    public var imageTruncatedRecords: Int

    /// A few lines for the log.
    public var description: String {
        func records(_ count: Int) -> String { "\(count) record\(count == 1 ? "" : "s")" }
        var lines = ["\(file): \(records(recordsRead)) read, \(recordsLoaded) loaded"]
        if labelsMaskedRecords > 0 {
            lines.append("\(records(labelsMaskedRecords)) with no learned label (LLaVA's tokenization-mismatch rule)")
        }
        if imageTruncatedRecords > 0 {
            lines.append("\(records(imageTruncatedRecords)) with truncated image tokens (left out of the alignment loss)")
        }
        if badRecords.count > 0 { lines.append(badRecords.description) }
        return lines.joined(separator: "\n")
    }
}
