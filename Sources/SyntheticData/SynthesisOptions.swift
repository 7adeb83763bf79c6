/// What to generate: sizes, counts and the seed.
public struct SynthesisOptions: Hashable, Sendable {
    /// Image side in pixels (images are square).
    public var imageSize: Int
    /// Number of training records (conversations), each with its own image.
    public var trainingCount: Int
    /// Number of questions per evaluation benchmark, rounded down to whole units — an MMVP pair
    /// (2), a What's Up object pair (4), a POPE image (6 questions) — and at least one unit.
    /// CV-Bench has exactly this many questions; POPE has this many in each of its three splits,
    /// as each of the published splits has its own 3000 questions over the same images.
    public var evaluationCount: Int
    /// The seed every random choice derives from.
    public var seed: UInt64

    /// The supported image sizes: below 48 pixels the small shapes (under 8 pixels across) blur
    /// into blobs in which a diamond no longer differs from a circle.
    public static let imageSizes = 48...1024

    /// Creates options; `validate()` checks them.
    public init(imageSize: Int = 64, trainingCount: Int = 2000, evaluationCount: Int = 600, seed: UInt64 = 0) {
        self.imageSize = imageSize
        self.trainingCount = trainingCount
        self.evaluationCount = evaluationCount
        self.seed = seed
    }

    /// Throws `SyntheticDataError.invalidOption` for a value the generator cannot honour.
    public func validate() throws {
        let sizes = SynthesisOptions.imageSizes
        guard sizes.contains(imageSize) else {
            throw SyntheticDataError.invalidOption(
                name: "image-size", value: String(imageSize),
                reason: "must be between \(sizes.lowerBound) and \(sizes.upperBound)")
        }
        guard trainingCount >= 0 else {
            throw SyntheticDataError.invalidOption(
                name: "train", value: String(trainingCount), reason: "must not be negative")
        }
        guard evaluationCount >= 1 else {
            throw SyntheticDataError.invalidOption(
                name: "eval", value: String(evaluationCount), reason: "must be at least 1")
        }
        guard whatsUpSetCount <= WhatsUpSplit.maximumSets else {
            throw SyntheticDataError.invalidOption(
                name: "eval", value: String(evaluationCount),
                reason: "What's Up needs a distinct object pair per 4 questions and there are only "
                    + "\(WhatsUpSplit.maximumSets) pairs, so at most \(4 * WhatsUpSplit.maximumSets) questions")
        }
    }

    /// POPE images: 6 questions each in every split (3 present + 3 absent objects). Each split
    /// is scored on its own, so it needs this many images: with a third of them, the 200-question
    /// default gave every split only 11 images, and a model whose answer depends on the image
    /// more than on the question moved F1 by ±15 points with a single image.
    var popeImageCount: Int { max(1, evaluationCount / 6) }
    /// MMVP pairs of images.
    var mmvpPairCount: Int { max(1, evaluationCount / 2) }
    /// What's Up object pairs, 4 images each.
    var whatsUpSetCount: Int { max(1, evaluationCount / 4) }
}
