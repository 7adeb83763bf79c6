import Foundation
import Tensor
import Text

/// A LLaVA conversation file ready for training: records are read and checked when it is
/// opened (structure, template, image files exist); tokenization and images happen per batch.
///
/// Bad records follow the configuration's policy: `skip` leaves them out and lists them in
/// `summary`, `fail` throws `TrainingDataError.badRecord`. A data set is used from one thread
/// at a time (it counts what it serves).
public final class ConversationDataset {
    /// A record that passed the checks, with its prepared conversation (the raw turns are not
    /// kept: a LLaVA-665K file would otherwise be held twice).
    public struct Entry: Hashable, Sendable {
        /// The record's id.
        public var id: String
        /// Where the record is in the file.
        public var location: RecordLocation
        /// Its conversation after LLaVA's preprocessing.
        public var conversation: Conversation
        /// The image file's full path, or nil for a text-only record.
        public var imagePath: String?
    }

    /// The configuration.
    public let configuration: DataConfiguration
    /// The tokenizer and ids the template encodes with.
    public let context: TemplateContext
    /// The usable records, in file order.
    public let entries: [Entry]
    /// What was read and left out so far.
    public private(set) var summary: DataSummary

    private let imageLoader: ImageBatchLoader
    /// Entries found unusable while serving (their images did not decode); already reported.
    private var unusableEntries: Set<Int> = []
    private var labelsMaskedEntries: Set<Int> = []
    private var imageTruncatedEntries: Set<Int> = []

    /// Reads and checks the records of `url` (JSON list or JSONL).
    public init(contentsOf url: URL, tokenizer: Tokenizer, configuration: DataConfiguration) throws {
        guard configuration.maxLength > 0 else {
            throw TrainingDataError.invalidConfiguration("the maximum length must be positive, not \(configuration.maxLength)")
        }
        guard configuration.imageTokenCount > 0 else {
            throw TrainingDataError.invalidConfiguration(
                "an image must take at least one position, not \(configuration.imageTokenCount)")
        }
        guard let padTokenID = configuration.padTokenID ?? tokenizer.padTokenID else {
            throw TrainingDataError.invalidConfiguration(
                "the tokenizer configuration names no pad token; set the data configuration's padTokenID")
        }
        let context = TemplateContext(tokenizer: tokenizer, imageTokenID: configuration.imageTokenID,
                                      padTokenID: padTokenID, modelMaxLength: configuration.maxLength)
        try configuration.template.validate(for: context)

        let imageFolder = (configuration.imageFolder ?? url.deletingLastPathComponent()).path
        let imagePrefix = imageFolder.hasSuffix("/") ? imageFolder : imageFolder + "/"
        var entries: [Entry] = []
        var report = BadRecordReport()
        func leaveOut(_ record: BadRecord) throws {
            if configuration.badRecordPolicy == .fail { throw TrainingDataError.badRecord(record) }
            report.add(record)
        }

        let results = try ConversationRecordReader.read(contentsOf: url)
        for result in results {
            let checked = result.flatMap { record in
                Self.entry(for: record, template: configuration.template, imagePrefix: imagePrefix).mapError {
                    BadRecord(location: record.location, recordID: record.id, problem: $0)
                }
            }
            switch checked {
            case .success(let entry): entries.append(entry)
            case .failure(let bad): try leaveOut(bad)
            }
        }
        guard !entries.isEmpty else { throw TrainingDataError.noUsableRecords(path: url.path, report: report) }

        self.configuration = configuration
        self.context = context
        self.entries = entries
        self.imageLoader = ImageBatchLoader(preparation: configuration.images,
                                            teacherPreparation: configuration.teacherImages)
        self.summary = DataSummary(file: url.path, recordsRead: results.count, recordsLoaded: entries.count,
                                   badRecords: report, labelsMaskedRecords: 0, imageTruncatedRecords: 0)
    }

    /// The entry of a record that passes the checks made when loading, or its first problem.
    private static func entry(for record: ConversationRecord, template: any ConversationTemplate,
                              imagePrefix: String) -> Result<Entry, RecordProblem> {
        Conversation.normalizing(record).flatMap { conversation in
            if let problem = template.problem(with: conversation) { return .failure(problem) }
            var entry = Entry(id: record.id, location: record.location, conversation: conversation, imagePath: nil)
            guard let image = record.image else { return .success(entry) }
            let path = image.hasPrefix("/") ? image : imagePrefix + image
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), !isFolder.boolValue else {
                return .failure(.missingImageFile(path: path))
            }
            entry.imagePath = path
            return .success(entry)
        }
    }

    /// The number of usable records.
    public var count: Int { entries.count }

    /// Entry `index` tokenized with the template, its image token expanded, truncated.
    public func sample(at index: Int) -> TrainingSample {
        let entry = entries[index]
        let encoding = configuration.template.encode(entry.conversation, using: context)
        let sample = TrainingSample(recordIndex: index, id: entry.id, encoding: encoding,
                                    imagePath: entry.imagePath, imageTokenID: configuration.imageTokenID,
                                    imageTokenCount: configuration.imageTokenCount, maxLength: configuration.maxLength)
        if sample.labelsMaskedForMismatch, labelsMaskedEntries.insert(index).inserted {
            summary.labelsMaskedRecords += 1
        }
        if sample.imageTruncated, imageTruncatedEntries.insert(index).inserted {
            summary.imageTruncatedRecords += 1
        }
        return sample
    }

    /// The batch of the given entries, in that order. Under the `skip` policy an entry whose
    /// image cannot be decoded is left out (and reported in `summary`); under `fail` this throws.
    public func batch(entries indices: [Int]) throws -> Batch {
        assembleBatch(try preparedSamples(indices))
    }

    /// Samples and images for `indices`, without the entries that are (or turn out) unusable.
    func preparedSamples(_ indices: [Int]) throws -> [(sample: TrainingSample, image: PreparedImage?)] {
        let usable = indices.filter { !unusableEntries.contains($0) }
        let samples = usable.map(sample(at:))
        let imageSlots = samples.indices.filter { samples[$0].hasImage }
        let images = imageLoader.load(imageSlots.map { samples[$0].imagePath! })
        var imageOfSample: [Int: PreparedImage] = [:]
        for (slot, result) in zip(imageSlots, images) {
            switch result {
            case .success(let image):
                imageOfSample[slot] = image
            case .failure(let problem):
                try reportUnusable(entry: samples[slot].recordIndex, problem: problem)
            }
        }
        return samples.indices.compactMap { slot in
            let sample = samples[slot]
            guard !unusableEntries.contains(sample.recordIndex) else { return nil }
            return (sample, imageOfSample[slot])
        }
    }

    /// Pads prepared samples into a batch and stacks their images.
    func assembleBatch(_ prepared: [(sample: TrainingSample, image: PreparedImage?)]) -> Batch {
        let images = prepared.compactMap(\.image)
        func stack(_ planes: [[Float]], side: Int) -> Tensor? {
            guard !planes.isEmpty else { return nil }
            var values: [Float] = []
            values.reserveCapacity(planes.count * 3 * side * side)
            for plane in planes { values += plane }
            return Tensor(values, shape: [planes.count, 3, side, side])
        }
        let teacherPlanes = images.compactMap(\.teacherPixelValues)
        return Batch(samples: prepared.map(\.sample), padTokenID: context.padTokenID,
                     pixelValues: stack(images.map(\.pixelValues), side: configuration.images.outputSize),
                     teacherPixelValues: configuration.teacherImages.flatMap { stack(teacherPlanes, side: $0.outputSize) })
    }

    /// Records that entry `index` cannot be used, following the policy.
    private func reportUnusable(entry index: Int, problem: RecordProblem) throws {
        let entry = entries[index]
        let bad = BadRecord(location: entry.location, recordID: entry.id, problem: problem)
        if configuration.badRecordPolicy == .fail { throw TrainingDataError.badRecord(bad) }
        if unusableEntries.insert(index).inserted { summary.badRecords.add(bad) }
    }
}
