/// Who speaks a turn of a LLaVA conversation.
public enum Speaker: String, Hashable, Sendable {
    /// The user (`"from": "human"` or `"user"`).
    case human
    /// The assistant (`"from": "gpt"` or `"assistant"`).
    case gpt

    /// The speaker a LLaVA `from` field names, accepting the `user`/`assistant` aliases in
    /// any letter case; nil for anything else.
    public init?(fromField value: String) {
        switch value.lowercased() {
        case "human", "user": self = .human
        case "gpt", "assistant": self = .gpt
        default: return nil
        }
    }
}

/// One turn of a conversation.
public struct ConversationTurn: Hashable, Sendable {
    /// Who speaks.
    public var speaker: Speaker
    /// What is said, as written in the record (it may contain the `<image>` placeholder).
    public var text: String

    /// Creates a turn.
    public init(_ speaker: Speaker, _ text: String) {
        self.speaker = speaker
        self.text = text
    }
}

/// Where a record sits in its data file, for messages.
public struct RecordLocation: Hashable, Sendable, CustomStringConvertible {
    /// The data file's path.
    public var file: String
    /// The record's position among the file's records, from 0 (the element of a JSON list, or
    /// the non-empty line of a JSONL file).
    public var index: Int
    /// The 1-based line of a JSONL record; nil for a record of a JSON list.
    public var line: Int?

    /// Creates a location.
    public init(file: String, index: Int, line: Int? = nil) {
        self.file = file
        self.index = index
        self.line = line
    }

    /// `file:line` for JSONL, `file[index]` for a JSON list.
    public var description: String {
        if let line { return "\(file):\(line)" }
        return "\(file)[\(index)]"
    }
}

/// A record of a LLaVA conversation file, as read: `{id, image?, conversations: [{from, value}]}`.
public struct ConversationRecord: Hashable, Sendable {
    /// The record's `id` (an integer id is kept as its decimal text); `#<index>` when the record
    /// has none.
    public var id: String
    /// The `image` path as written (relative to the image folder unless absolute); nil for a
    /// text-only record.
    public var image: String?
    /// The `conversations` turns in file order.
    public var turns: [ConversationTurn]
    /// Where the record is in its file.
    public var location: RecordLocation

    /// Creates a record.
    public init(id: String, image: String?, turns: [ConversationTurn], location: RecordLocation) {
        self.id = id
        self.image = image
        self.turns = turns
        self.location = location
    }
}
