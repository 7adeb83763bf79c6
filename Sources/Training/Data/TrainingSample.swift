/// One record made ready for a batch: tokenized with the template, the image token expanded,
/// truncated to the maximum length.
public struct TrainingSample: Hashable, Sendable {
    /// The record's index in the data set.
    public var recordIndex: Int
    /// The record's id.
    public var id: String
    /// Token ids, each image token repeated once per visual token.
    public var inputIDs: [Int]
    /// One label per id (`ignoredLabel` where nothing is learned).
    public var labels: [Int]
    /// The image file's path; nil for a text-only sample.
    public var imagePath: String?
    /// Whether truncation cut some or all of the image's positions (VIRAL leaves such samples
    /// out of the alignment loss).
    public var imageTruncated: Bool
    /// Whether LLaVA's label check failed, so nothing is learned (see `EncodedConversation`).
    public var labelsMaskedForMismatch: Bool

    /// Whether the sample has an image.
    public var hasImage: Bool { imagePath != nil }

    /// Builds a sample from a template's encoding: each `imageTokenID` is expanded to
    /// `imageTokenCount` positions, then everything past `maxLength` is cut.
    public init(recordIndex: Int, id: String, encoding: EncodedConversation, imagePath: String?,
                imageTokenID: Int, imageTokenCount: Int, maxLength: Int) {
        let expanded = encoding.expandingImageTokens(imageTokenID, count: imageTokenCount)
        let (kept, imageTruncated) = expanded.truncated(to: maxLength, imageTokenID: imageTokenID)
        self.recordIndex = recordIndex
        self.id = id
        self.inputIDs = kept.inputIDs
        self.labels = kept.labels
        self.imagePath = imagePath
        self.imageTruncated = imageTruncated
        self.labelsMaskedForMismatch = kept.labelsMaskedForMismatch
    }
}
