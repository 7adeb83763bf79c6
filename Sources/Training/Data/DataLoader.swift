/// Serves a data set's records in batches, epoch after epoch, in a seeded shuffled order.
///
/// `position` says where the stream is; restoring a saved position (with the same data set,
/// seed and batch size) continues with exactly the batches an uninterrupted run would have
/// served. An epoch's last batch may be smaller than `batchSize`; after it the position is at
/// the start of the next epoch. Records found unusable while serving (an image that does not
/// decode) are skipped and replaced by the next ones under the `skip` policy.
public struct DataLoader {
    /// The data set.
    public let dataset: ConversationDataset
    /// The most samples in a batch.
    public let batchSize: Int
    /// The visiting order of every epoch.
    public let order: DataOrder
    /// The next record to serve.
    public private(set) var position: DataPosition

    private var orderedEpoch: Int = -1
    private var orderedIndices: [Int] = []

    /// Creates a loader starting at `position`.
    public init(dataset: ConversationDataset, batchSize: Int, seed: UInt64, shuffles: Bool = true,
                position: DataPosition = .start) throws {
        guard batchSize > 0 else {
            throw TrainingDataError.invalidConfiguration("the batch size must be positive, not \(batchSize)")
        }
        self.dataset = dataset
        self.batchSize = batchSize
        self.order = DataOrder(count: dataset.count, seed: seed, shuffles: shuffles)
        self.position = .start
        try restore(position)
    }

    /// Moves to a saved position.
    public mutating func restore(_ saved: DataPosition) throws {
        guard saved.epoch >= 0, (0...dataset.count).contains(saved.index) else {
            throw TrainingDataError.invalidPosition(saved, recordCount: dataset.count)
        }
        position = saved.index == dataset.count ? DataPosition(epoch: saved.epoch + 1, index: 0) : saved
    }

    /// The number of batches in an epoch when no record turns out unusable.
    public var batchesPerEpoch: Int { (dataset.count + batchSize - 1) / batchSize }

    /// The next batch.
    public mutating func nextBatch() throws -> Batch {
        var prepared: [(sample: TrainingSample, image: PreparedImage?)] = []
        var examined = 0
        while prepared.isEmpty {
            // Every record was looked at once since this call began and none was usable.
            guard examined < dataset.count else {
                throw TrainingDataError.noUsableRecords(path: dataset.summary.file, report: dataset.summary.badRecords)
            }
            let indices = indices(forEpoch: position.epoch)
            while prepared.count < batchSize && position.index < indices.count {
                let end = min(position.index + batchSize - prepared.count, indices.count)
                let chosen = Array(indices[position.index..<end])
                position.index = end
                examined += chosen.count
                prepared += try dataset.preparedSamples(chosen)
            }
            if position.index == indices.count {
                position = DataPosition(epoch: position.epoch + 1, index: 0)
            }
        }
        return dataset.assembleBatch(prepared)
    }

    private mutating func indices(forEpoch epoch: Int) -> [Int] {
        if orderedEpoch != epoch {
            orderedIndices = order.indices(forEpoch: epoch)
            orderedEpoch = epoch
        }
        return orderedIndices
    }
}
