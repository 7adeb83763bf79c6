import Foundation

/// A minimal safetensors reader for the reference fixtures (F32 and I64 only): u64
/// little-endian header length N, N bytes of JSON `{name: {dtype, shape, data_offsets}}`,
/// then the data buffer the offsets point into.
struct ReferenceReader {
    struct Entry: Decodable {
        let dtype: String
        let shape: [Int]
        let data_offsets: [Int]
    }

    private let entries: [String: Entry]
    private let buffer: Data

    init(url: URL) throws {
        let data = try Data(contentsOf: url)
        let headerLength = data.prefix(8).enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        let header = try JSONSerialization.jsonObject(with: data.subdata(in: 8..<(8 + headerLength))) as! [String: Any]
        var entries: [String: Entry] = [:]
        for (name, value) in header where name != "__metadata__" {
            let json = try JSONSerialization.data(withJSONObject: value)
            entries[name] = try JSONDecoder().decode(Entry.self, from: json)
        }
        self.entries = entries
        self.buffer = data.subdata(in: (8 + headerLength)..<data.count)
    }

    var names: [String] { entries.keys.sorted() }

    func shape(_ name: String) -> [Int] { entries[name]!.shape }

    func floats(_ name: String) -> [Float] {
        let entry = entries[name]!
        precondition(entry.dtype == "F32", "\(name) is \(entry.dtype), not F32")
        return values(entry, as: UInt32.self).map(Float.init(bitPattern:))
    }

    func int64s(_ name: String) -> [Int64] {
        let entry = entries[name]!
        precondition(entry.dtype == "I64", "\(name) is \(entry.dtype), not I64")
        return values(entry, as: UInt64.self).map { Int64(bitPattern: $0) }
    }

    private func values<T: FixedWidthInteger>(_ entry: Entry, as type: T.Type) -> [T] {
        let bytes = buffer.subdata(in: entry.data_offsets[0]..<entry.data_offsets[1])
        return bytes.withUnsafeBytes { raw in
            (0..<(bytes.count / MemoryLayout<T>.size)).map {
                T(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * MemoryLayout<T>.size, as: T.self))
            }
        }
    }
}
