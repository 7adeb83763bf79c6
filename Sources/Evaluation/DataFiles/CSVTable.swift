import Foundation

/// A CSV file with a header row (RFC 4180: quoted fields may hold commas, quotes and newlines).
struct CSVTable {
    /// One data row with the line on which it starts, for error messages.
    struct Row {
        let fields: [String: String]
        let line: Int
    }

    /// The data rows, in file order.
    let rows: [Row]
    /// The file read.
    let file: URL

    /// Reads and parses a CSV file.
    init(contentsOf url: URL, expected: String) throws {
        let text = try DataFile.text(of: url, expected: expected)
        let records = CSVTable.records(in: text)
        guard let header = records.first else {
            throw EvaluationError.malformedRecord(file: url, record: "line 1", reason: "no header row")
        }
        let names = header.fields.map { $0.trimmingCharacters(in: .whitespaces) }
        var rows: [Row] = []
        for record in records.dropFirst() where !(record.fields.count == 1 && record.fields[0].isEmpty) {
            guard record.fields.count == names.count else {
                throw EvaluationError.malformedRecord(
                    file: url, record: "line \(record.line)",
                    reason: "has \(record.fields.count) fields, the header has \(names.count)")
            }
            rows.append(Row(fields: Dictionary(zip(names, record.fields), uniquingKeysWith: { a, _ in a }),
                            line: record.line))
        }
        self.rows = rows
        self.file = url
    }

    /// A required field of a row.
    func field(_ name: String, in row: Row) throws -> String {
        guard let value = row.fields[name] else {
            throw EvaluationError.malformedRecord(file: file, record: "line \(row.line)", reason: "missing column '\(name)'")
        }
        return value
    }

    /// Splits CSV text into records of fields, remembering each record's first line.
    private static func records(in text: String) -> [(fields: [String], line: Int)] {
        var records: [(fields: [String], line: Int)] = []
        var fields: [String] = []
        var field = ""
        var inQuotes = false
        var line = 1
        var recordLine = 1
        var characters = text.makeIterator()
        var pending: Character? = characters.next()
        while let character = pending {
            pending = characters.next()
            if inQuotes {
                if character == "\"" {
                    if pending == "\"" {
                        field.append("\"")
                        pending = characters.next()
                    } else {
                        inQuotes = false
                    }
                } else {
                    if character == "\n" || character == "\r\n" { line += 1 }
                    field.append(character)
                }
                continue
            }
            switch character {
            case "\"":
                inQuotes = true
            case ",":
                fields.append(field)
                field = ""
            case "\n", "\r\n":
                fields.append(field)
                records.append((fields, recordLine))
                fields = []
                field = ""
                line += 1
                recordLine = line
            default:
                field.append(character)
            }
        }
        if !field.isEmpty || !fields.isEmpty {
            fields.append(field)
            records.append((fields, recordLine))
        }
        return records
    }
}
