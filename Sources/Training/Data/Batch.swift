import Tensor

/// A training batch: right-padded token sequences with their labels and attention mask, and the
/// images of the samples that have one.
public struct Batch {
    /// The records' ids, one per sample.
    public var sampleIDs: [String]
    /// The records' indices in the data set, one per sample.
    public var recordIndices: [Int]
    /// Token ids, all as long as the longest sample, padded on the right with the pad id.
    public var inputIDs: [[Int]]
    /// Labels, `ignoredLabel` at padding.
    public var labels: [[Int]]
    /// True at real tokens, false at padding.
    public var attentionMask: [[Bool]]
    /// Whether each sample has an image.
    public var hasImage: [Bool]
    /// Whether each sample's image positions were (partly or wholly) cut by truncation; such
    /// samples still carry their image but VIRAL leaves them out of the alignment loss.
    public var imageTruncated: [Bool]
    /// The images of the samples that have one, in sample order: [images, 3, H, W]; nil when no
    /// sample has an image.
    public var pixelValues: Tensor?
    /// The same images prepared for the alignment teacher, when a teacher preparation is set.
    public var teacherPixelValues: Tensor?
    /// Each image's file path (the key of the teacher feature cache), in `pixelValues` order.
    public var imageKeys: [String]
    /// For each image, the index of the sample it belongs to.
    public var imageSampleIndices: [Int]

    /// The number of samples.
    public var count: Int { sampleIDs.count }
    /// The padded sequence length.
    public var sequenceLength: Int { inputIDs.first?.count ?? 0 }

    /// Pads `samples` on the right to the longest one (ids with `padTokenID`, labels with
    /// `ignoredLabel`, attention mask false). `pixelValues` and `teacherPixelValues` hold the
    /// images of the samples with `hasImage`, in sample order.
    public init(samples: [TrainingSample], padTokenID: Int, pixelValues: Tensor?, teacherPixelValues: Tensor? = nil) {
        let length = samples.map(\.inputIDs.count).max() ?? 0
        sampleIDs = samples.map(\.id)
        recordIndices = samples.map(\.recordIndex)
        inputIDs = samples.map { $0.inputIDs + Array(repeating: padTokenID, count: length - $0.inputIDs.count) }
        labels = samples.map { $0.labels + Array(repeating: ignoredLabel, count: length - $0.labels.count) }
        attentionMask = samples.map {
            Array(repeating: true, count: $0.inputIDs.count) + Array(repeating: false, count: length - $0.inputIDs.count)
        }
        hasImage = samples.map(\.hasImage)
        imageTruncated = samples.map(\.imageTruncated)
        imageSampleIndices = samples.indices.filter { samples[$0].hasImage }
        imageKeys = imageSampleIndices.compactMap { samples[$0].imagePath }
        precondition(pixelValues.map { $0.shape.first == imageKeys.count } ?? imageKeys.isEmpty,
                     "one image per sample with an image")
        self.pixelValues = pixelValues
        self.teacherPixelValues = teacherPixelValues
    }
}
