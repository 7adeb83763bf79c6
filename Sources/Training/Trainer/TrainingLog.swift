import Foundation

/// One line of the training log (JSONL): a step's report with wall-clock time.
public struct TrainingLogEntry: Codable, Equatable, Sendable {
    public var step: Int
    public var languageLoss: Float
    public var alignmentLoss: Float?
    public var totalLoss: Float
    public var learningRate: Float
    public var gradientNorm: Float
    public var tokens: Int
    public var skipped: Bool
    /// Seconds since the run started.
    public var elapsed: Double

    enum CodingKeys: String, CodingKey {
        case step, tokens, skipped, elapsed
        case languageLoss = "lm_loss", alignmentLoss = "vra_loss", totalLoss = "loss"
        case learningRate = "lr", gradientNorm = "grad_norm"
    }

    public init(_ report: StepReport, elapsed: Double) {
        step = report.step
        languageLoss = report.languageLoss
        alignmentLoss = report.alignmentLoss
        totalLoss = report.totalLoss
        learningRate = report.learningRate
        gradientNorm = report.gradientNorm
        tokens = report.tokens
        skipped = report.skipped
        self.elapsed = elapsed
    }
}

/// Appends log entries to a JSONL file, one flushed line per step (a crash loses at most the
/// line being written).
public final class TrainingLog {
    public let url: URL
    private let handle: FileHandle
    private let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }()

    /// Opens `url` for appending (a resumed run continues the same log).
    public init(url: URL) throws {
        self.url = url
        if !FileManager.default.fileExists(atPath: url.path) {
            guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
                throw CheckpointError("cannot create the training log \(url.path); check that the folder exists and is writable")
            }
        }
        handle = try FileHandle(forWritingTo: url)
        try handle.seekToEnd()
    }

    deinit { try? handle.close() }

    public func append(_ entry: TrainingLogEntry) throws {
        var line = try encoder.encode(entry)
        line.append(0x0A)
        try handle.write(contentsOf: line)
    }

    /// Reads every entry of a log file; a malformed line is an error naming the file and line.
    public static func read(_ url: URL) throws -> [TrainingLogEntry] {
        guard let text = try? String(contentsOf: url, encoding: .utf8) else {
            throw CheckpointError("cannot read the training log \(url.path)")
        }
        let decoder = JSONDecoder()
        return try text.split(separator: "\n", omittingEmptySubsequences: true).enumerated().map { number, line in
            do { return try decoder.decode(TrainingLogEntry.self, from: Data(line.utf8)) } catch {
                throw CheckpointError("\(url.path) line \(number + 1) is not a training-log entry")
            }
        }
    }
}
