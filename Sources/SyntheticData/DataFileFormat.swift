import Foundation

/// A part of the output that is written as a folder of images plus annotation files.
protocol WritableSplit {
    /// The folder, relative to the output folder, that image and annotation paths are relative to.
    var folder: String { get }
    /// Every image with its path relative to `folder`.
    var images: [(path: String, scene: Scene)] { get }
    /// Every annotation file with its path relative to `folder`.
    func annotationFiles() throws -> [(path: String, contents: Data)]
}

/// Serialisation with a byte-for-byte stable output: sorted keys, no escaped slashes.
enum DataFileFormat {
    /// Pretty-printed JSON with sorted keys and a final newline.
    static func json(_ object: Any) throws -> Data {
        var data = try JSONSerialization.data(
            withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        data.append(0x0A)
        return data
    }

    /// JSON Lines: one compact object per line, keys sorted.
    static func jsonLines(_ objects: [[String: Any]]) throws -> Data {
        var data = Data()
        for object in objects {
            data.append(try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]))
            data.append(0x0A)
        }
        return data
    }

    /// CSV (RFC 4180): fields holding a comma, a quote or a line break are quoted, quotes doubled.
    static func csv(header: [String], rows: [[String]]) -> Data {
        let lines = ([header] + rows).map { fields in
            fields.map { field in
                field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
                    ? "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : field
            }.joined(separator: ",")
        }
        return Data((lines.joined(separator: "\n") + "\n").utf8)
    }
}
