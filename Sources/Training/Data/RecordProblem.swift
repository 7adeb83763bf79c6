/// What is wrong with a record of a conversation file. Turn numbers are indices into the
/// record's `conversations` list, from 0.
public enum RecordProblem: Error, Hashable, Sendable, CustomStringConvertible {
    /// A JSONL line is not valid JSON.
    case malformedJSON(reason: String)
    /// The record is not a JSON object.
    case notAnObject
    /// A field is missing or holds the wrong kind of value.
    case invalidField(field: String, problem: String)
    /// `conversations` is an empty list.
    case emptyConversation
    /// A turn's `from` is none of human/user/gpt/assistant.
    case unknownSpeaker(turn: Int, speaker: String)
    /// No turn is from the human.
    case noHumanTurn
    /// The turns do not alternate human, assistant, human… (after a leading assistant turn,
    /// which LLaVA drops).
    case turnOutOfOrder(turn: Int, found: Speaker, expected: Speaker)
    /// A turn holds `<image>` but the record has no image.
    case placeholderWithoutImage(turn: Int)
    /// The record has an image but no human turn holds `<image>`, so the model would never see it.
    case missingPlaceholder
    /// An assistant turn holds `<image>`.
    case placeholderInAssistantTurn(turn: Int)
    /// Several human turns hold `<image>` for the record's one image.
    case placeholdersInSeveralTurns(turns: [Int])
    /// The `plain` (stage 1) template needs an image and exactly one human turn followed by one
    /// assistant turn (the caption).
    case notACaptionPair(turnCount: Int, hasImage: Bool)
    /// The image file does not exist (or is a folder).
    case missingImageFile(path: String)
    /// The image file cannot be read or decoded.
    case unreadableImage(path: String, reason: String)

    /// A short name of the kind of problem, for counts in summaries.
    public var kind: String {
        switch self {
        case .malformedJSON: return "malformed JSON"
        case .notAnObject: return "not a JSON object"
        case .invalidField(let field, _): return "invalid \(field)"
        case .emptyConversation: return "empty conversation"
        case .unknownSpeaker: return "unknown speaker"
        case .noHumanTurn: return "no human turn"
        case .turnOutOfOrder: return "turns out of order"
        case .placeholderWithoutImage: return "<image> without an image"
        case .missingPlaceholder: return "image without <image>"
        case .placeholderInAssistantTurn: return "<image> in an assistant turn"
        case .placeholdersInSeveralTurns: return "<image> in several turns"
        case .notACaptionPair: return "not a caption pair"
        case .missingImageFile: return "missing image file"
        case .unreadableImage: return "unreadable image"
        }
    }

    /// What is wrong, in words.
    public var description: String {
        switch self {
        case .malformedJSON(let reason):
            return "malformed JSON: \(reason)"
        case .notAnObject:
            return "is not a JSON object"
        case .invalidField(let field, let problem):
            return "field \"\(field)\" \(problem)"
        case .emptyConversation:
            return "\"conversations\" is empty"
        case .unknownSpeaker(let turn, let speaker):
            return "conversations[\(turn)] is from \"\(speaker)\" (expected human, user, gpt or assistant)"
        case .noHumanTurn:
            return "has no human turn"
        case .turnOutOfOrder(let turn, let found, let expected):
            return "conversations[\(turn)] is from \(found.rawValue) but a \(expected.rawValue) turn is expected (turns must alternate)"
        case .placeholderWithoutImage(let turn):
            return "conversations[\(turn)] contains <image> but the record has no image"
        case .missingPlaceholder:
            return "has an image but no human turn contains <image>"
        case .placeholderInAssistantTurn(let turn):
            return "conversations[\(turn)] is an assistant turn containing <image>"
        case .placeholdersInSeveralTurns(let turns):
            return "<image> appears in several turns (\(turns.map { "conversations[\($0)]" }.joined(separator: ", "))) for one image"
        case .notACaptionPair(let turnCount, let hasImage):
            return "the plain template needs an image and one human turn then one assistant turn, "
                + "but the record has \(turnCount) turn\(turnCount == 1 ? "" : "s") and \(hasImage ? "an" : "no") image"
        case .missingImageFile(let path):
            return "image file '\(path)' does not exist"
        case .unreadableImage(let path, let reason):
            return "image file '\(path)' cannot be decoded: \(reason)"
        }
    }
}

/// A record that cannot be used, with where it is and why.
public struct BadRecord: Error, Hashable, Sendable, CustomStringConvertible {
    /// Where the record is in its file.
    public var location: RecordLocation
    /// The record's id, when it could be read.
    public var recordID: String?
    /// What is wrong.
    public var problem: RecordProblem

    /// Creates a description of a bad record.
    public init(location: RecordLocation, recordID: String?, problem: RecordProblem) {
        self.location = location
        self.recordID = recordID
        self.problem = problem
    }

    /// `file:line: record 'id': problem`.
    public var description: String {
        let name = recordID.map { "record '\($0)'" } ?? "record #\(location.index)"
        return "\(location): \(name): \(problem)"
    }
}

/// What to do with a record that cannot be used.
public enum BadRecordPolicy: String, Hashable, Sendable, CaseIterable {
    /// Count it, leave it out and keep going; the summary lists it.
    case skip
    /// Stop with an error that names the record and the problem.
    case fail
}

/// The records left out under the `skip` policy.
public struct BadRecordReport: Hashable, Sendable, CustomStringConvertible {
    /// Every record left out, in the order they were found.
    public private(set) var records: [BadRecord] = []

    /// Creates an empty report.
    public init() {}

    /// How many records were left out.
    public var count: Int { records.count }

    /// How many records were left out for each kind of problem (`RecordProblem.kind`).
    public var countsByKind: [String: Int] {
        records.reduce(into: [:]) { counts, record in counts[record.problem.kind, default: 0] += 1 }
    }

    /// Adds a record that was left out.
    public mutating func add(_ record: BadRecord) {
        records.append(record)
    }

    /// One line per kind of problem, then up to five examples.
    public var description: String {
        guard !records.isEmpty else { return "no bad records" }
        let kinds = countsByKind.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
            .map { "\($0.value) \($0.key)" }
        var lines = ["\(count) bad record\(count == 1 ? "" : "s") skipped: " + kinds.joined(separator: ", ")]
        lines += records.prefix(5).map { "  \($0)" }
        if count > 5 { lines.append("  … and \(count - 5) more") }
        return lines.joined(separator: "\n")
    }
}
