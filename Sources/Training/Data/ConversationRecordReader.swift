import Foundation

/// Reads LLaVA conversation files: a JSON list of records (`.json`) or one record per line
/// (`.jsonl`). Other extensions are told apart by the first character (`[` for a list).
///
/// A file that cannot be read, or a JSON list that does not parse, is an error for the whole file.
/// A record that is unusable (and, in JSONL, a line that does not parse) is returned as a
/// `BadRecord` naming its id and location, so the caller's policy decides what happens.
public enum ConversationRecordReader {
    /// Every record of the file at `url`, in file order, each read or with the reason it cannot be.
    public static func read(contentsOf url: URL) throws -> [Result<ConversationRecord, BadRecord>] {
        let path = url.path
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw TrainingDataError.unreadableFile(path: path, reason: error.localizedDescription)
        }
        switch url.pathExtension.lowercased() {
        case "jsonl": return readLines(data, file: path)
        case "json": return try readList(data, file: path)
        default:
            let first = data.first { !PythonText.isSpace(Unicode.Scalar($0)) }
            return first == UInt8(ascii: "[") ? try readList(data, file: path) : readLines(data, file: path)
        }
    }

    /// The records of a JSON list.
    static func readList(_ data: Data, file: String) throws -> [Result<ConversationRecord, BadRecord>] {
        let decoded: [DecodedRecord]
        do {
            decoded = try JSONDecoder().decode([DecodedRecord].self, from: data)
        } catch let DecodingError.typeMismatch(_, context) where context.codingPath.isEmpty {
            throw TrainingDataError.invalidJSON(path: file, reason: "the top level is not a list")
        } catch {
            throw TrainingDataError.invalidJSON(path: file, reason: syntaxError(in: data, decodingError: error))
        }
        return decoded.enumerated().map { index, record in
            record.conversationRecord(at: RecordLocation(file: file, index: index))
        }
    }

    /// The records of a JSONL file; blank lines are ignored.
    static func readLines(_ data: Data, file: String) -> [Result<ConversationRecord, BadRecord>] {
        let decoder = JSONDecoder()
        var results: [Result<ConversationRecord, BadRecord>] = []
        let newline = UInt8(ascii: "\n")
        var lineStart = data.startIndex
        var lineNumber = 0
        while lineStart < data.endIndex {
            lineNumber += 1
            let lineEnd = data[lineStart...].firstIndex(of: newline) ?? data.endIndex
            let line = data[lineStart..<lineEnd]
            lineStart = lineEnd < data.endIndex ? lineEnd + 1 : lineEnd
            guard line.contains(where: { !PythonText.isSpace(Unicode.Scalar($0)) }) else { continue }
            let location = RecordLocation(file: file, index: results.count, line: lineNumber)
            do {
                results.append(try decoder.decode(DecodedRecord.self, from: line).conversationRecord(at: location))
            } catch {
                let problem = RecordProblem.malformedJSON(reason: syntaxError(in: line, decodingError: error))
                results.append(.failure(BadRecord(location: location, recordID: nil, problem: problem)))
            }
        }
        return results
    }

    /// Where and how `data` breaks JSON's syntax. JSONDecoder only says "not valid JSON", so
    /// on this (rare) path the bytes are parsed again by JSONSerialization, which says where.
    private static func syntaxError(in data: Data, decodingError: Error) -> String {
        do {
            _ = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        } catch {
            return (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? error.localizedDescription
        }
        return "\(decodingError)"
    }
}

/// One record of a conversation file, decoded without ever throwing (once the JSON parses), so
/// that a record with a wrong field is reported on its own instead of failing the whole file.
private struct DecodedRecord: Decodable {
    private enum RecordKey: String, CodingKey { case id, image, conversations }
    private enum TurnKey: String, CodingKey { case from, value }

    /// The `id` as text, nil when there is none (or it could not be read).
    var id: String?
    /// The image path and turns, or what is wrong with the record.
    var content: Result<(image: String?, turns: [ConversationTurn]), RecordProblem>

    init(from decoder: Decoder) {
        guard let fields = try? decoder.container(keyedBy: RecordKey.self) else {
            content = .failure(.notAnObject)
            return
        }
        if !Self.isAbsent(.id, in: fields) {
            if let text = try? fields.decode(String.self, forKey: .id) {
                id = text
            } else if let number = try? fields.decode(Int.self, forKey: .id) {
                id = String(number)
            } else {
                content = .failure(.invalidField(field: "id", problem: "must be a string or an integer"))
                return
            }
        }
        content = Self.decodeContent(fields)
    }

    private static func isAbsent(_ key: RecordKey, in fields: KeyedDecodingContainer<RecordKey>) -> Bool {
        !fields.contains(key) || (try? fields.decodeNil(forKey: key)) == true
    }

    private static func decodeContent(_ fields: KeyedDecodingContainer<RecordKey>)
        -> Result<(image: String?, turns: [ConversationTurn]), RecordProblem> {
        var image: String?
        if !isAbsent(.image, in: fields) {
            if let path = try? fields.decode(String.self, forKey: .image) {
                guard !path.isEmpty else { return .failure(.invalidField(field: "image", problem: "is empty")) }
                image = path
            } else if (try? fields.nestedUnkeyedContainer(forKey: .image)) != nil {
                return .failure(.invalidField(field: "image", problem: "lists several images, which is not supported"))
            } else {
                return .failure(.invalidField(field: "image", problem: "must be a path"))
            }
        }

        guard fields.contains(.conversations) else {
            return .failure(.invalidField(field: "conversations", problem: "is missing"))
        }
        guard var list = try? fields.nestedUnkeyedContainer(forKey: .conversations) else {
            return .failure(.invalidField(field: "conversations", problem: "must be a list of turns"))
        }
        guard list.count != 0 else { return .failure(.emptyConversation) }

        var turns: [ConversationTurn] = []
        while !list.isAtEnd {
            let index = list.currentIndex
            let field = "conversations[\(index)]"
            guard let turn = try? list.nestedContainer(keyedBy: TurnKey.self) else {
                return .failure(.invalidField(field: field, problem: "is not an object"))
            }
            guard let from = try? turn.decode(String.self, forKey: .from) else {
                return .failure(.invalidField(field: field + ".from", problem: "is missing or not a string"))
            }
            guard let value = try? turn.decode(String.self, forKey: .value) else {
                return .failure(.invalidField(field: field + ".value", problem: "is missing or not a string"))
            }
            guard let speaker = Speaker(fromField: from) else {
                return .failure(.unknownSpeaker(turn: index, speaker: from))
            }
            turns.append(ConversationTurn(speaker, value))
        }
        return .success((image, turns))
    }

    /// The record at `location` (an absent id becomes `#<index>`), or why it is unusable.
    func conversationRecord(at location: RecordLocation) -> Result<ConversationRecord, BadRecord> {
        switch content {
        case .failure(let problem):
            return .failure(BadRecord(location: location, recordID: id, problem: problem))
        case .success(let content):
            return .success(ConversationRecord(id: id ?? "#\(location.index)", image: content.image,
                                               turns: content.turns, location: location))
        }
    }
}
