import Tensor

/// What one training step consumes: padded token rows, labels, images.
public struct TrainingBatch {
    public var inputIDs: [[Int]]
    public var labels: [[Int]]
    public var attentionMask: [[Bool]]
    /// [images, 3, H, W], one image per row listed in `imageRows`, in that order.
    public var pixelValues: Tensor?
    /// The batch row of each image.
    public var imageRows: [Int]
    /// The image files, for teacher features (same order as `imageRows`).
    public var imagePaths: [String]

    public init(inputIDs: [[Int]], labels: [[Int]], attentionMask: [[Bool]], pixelValues: Tensor?,
                imageRows: [Int], imagePaths: [String]) {
        self.inputIDs = inputIDs
        self.labels = labels
        self.attentionMask = attentionMask
        self.pixelValues = pixelValues
        self.imageRows = imageRows
        self.imagePaths = imagePaths
    }

    /// Real (non-padding) tokens in the batch.
    public var tokenCount: Int { attentionMask.reduce(0) { $0 + $1.filter { $0 }.count } }
}
