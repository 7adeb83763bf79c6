import Analysis
import Foundation

/// A minimal safetensors reader for the test fixtures: 2-D F32 or F64 tensors as `Matrix`.
/// Layout: u64 little-endian header length N, N bytes of JSON {name: {dtype, shape,
/// data_offsets: [begin, end]}} (plus optional "__metadata__"), then the data buffer.
enum ReferenceReader {
    struct ReadError: Error, CustomStringConvertible {
        let description: String
    }

    /// All 2-D F32/F64 tensors of the file at `url`, keyed by name.
    static func matrices(at url: URL) throws -> [String: Matrix] {
        let data = try Data(contentsOf: url)
        let bytes = [UInt8](data)
        guard bytes.count >= 8 else { throw ReadError(description: "\(url.path): shorter than the 8-byte header length") }
        var headerLength = 0
        for i in 0..<8 { headerLength |= Int(bytes[i]) << (8 * i) }
        guard 8 + headerLength <= bytes.count else { throw ReadError(description: "\(url.path): header length past the end") }
        let header = try JSONSerialization.jsonObject(with: Data(bytes[8..<(8 + headerLength)])) as? [String: Any]
        guard let header else { throw ReadError(description: "\(url.path): header is not a JSON object") }
        let bufferStart = 8 + headerLength
        var result: [String: Matrix] = [:]
        for (name, value) in header where name != "__metadata__" {
            guard let entry = value as? [String: Any], let dtype = entry["dtype"] as? String,
                  let shape = entry["shape"] as? [Int], let offsets = entry["data_offsets"] as? [Int],
                  shape.count == 2, offsets.count == 2
            else { throw ReadError(description: "\(url.path): tensor \(name) is not a 2-D tensor entry") }
            let begin = bufferStart + offsets[0]
            let end = bufferStart + offsets[1]
            guard end <= bytes.count else { throw ReadError(description: "\(url.path): tensor \(name) ends past the file") }
            let raw = Array(bytes[begin..<end])
            let values: [Double]
            switch dtype {
            case "F64":
                values = stride(from: 0, to: raw.count, by: 8).map { offset in
                    var bits: UInt64 = 0
                    for i in 0..<8 { bits |= UInt64(raw[offset + i]) << (8 * UInt64(i)) }
                    return Double(bitPattern: bits)
                }
            case "F32":
                values = stride(from: 0, to: raw.count, by: 4).map { offset in
                    var bits: UInt32 = 0
                    for i in 0..<4 { bits |= UInt32(raw[offset + i]) << (8 * UInt32(i)) }
                    return Double(Float(bitPattern: bits))
                }
            default:
                throw ReadError(description: "\(url.path): tensor \(name) has unsupported dtype \(dtype)")
            }
            result[name] = try Matrix(rows: shape[0], columns: shape[1], values: values)
        }
        return result
    }
}
