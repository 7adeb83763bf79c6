import Plot

/// A minimal PNG reader for the tests: checks the signature and every chunk CRC, inflates the
/// zlib stream of stored deflate blocks (the only kind `PNGEncoder` writes) checking Adler-32,
/// and undoes filter type 0. Anything else is reported as an error.
struct PNGReader {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    let width: Int
    let height: Int
    let pixels: [UInt8]
    let chunkTypes: [String]

    init(_ bytes: [UInt8]) throws {
        guard bytes.starts(with: [137, 80, 78, 71, 13, 10, 26, 10]) else { throw Failure(description: "bad signature") }
        var offset = 8
        var header: [UInt8] = []
        var compressed: [UInt8] = []
        var types: [String] = []
        while offset < bytes.count {
            guard offset + 12 <= bytes.count else { throw Failure(description: "truncated chunk at \(offset)") }
            let length = Int(Self.bigEndian(bytes, offset))
            let type = String(decoding: bytes[(offset + 4)..<(offset + 8)], as: UTF8.self)
            let dataEnd = offset + 8 + length
            guard dataEnd + 4 <= bytes.count else { throw Failure(description: "chunk \(type) runs past the end") }
            let stored = Self.bigEndian(bytes, dataEnd)
            let computed = Checksum.crc32(bytes[(offset + 4)..<dataEnd])
            guard stored == computed else { throw Failure(description: "chunk \(type): CRC \(stored) ≠ \(computed)") }
            let data = Array(bytes[(offset + 8)..<dataEnd])
            switch type {
            case "IHDR": header = data
            case "IDAT": compressed += data
            default: break
            }
            types.append(type)
            offset = dataEnd + 4
        }
        guard header.count == 13 else { throw Failure(description: "missing IHDR") }
        width = Int(Self.bigEndian(header, 0))
        height = Int(Self.bigEndian(header, 4))
        guard header[8] == 8, header[9] == 2, header[12] == 0 else { throw Failure(description: "not 8-bit RGB, non-interlaced") }
        let raw = try Self.inflateStored(compressed)
        let rowBytes = width * 3
        guard raw.count == height * (rowBytes + 1) else {
            throw Failure(description: "image data has \(raw.count) bytes, expected \(height * (rowBytes + 1))")
        }
        var pixels: [UInt8] = []
        for row in 0..<height {
            let start = row * (rowBytes + 1)
            guard raw[start] == 0 else { throw Failure(description: "row \(row) uses filter \(raw[start])") }
            pixels += raw[(start + 1)..<(start + 1 + rowBytes)]
        }
        self.pixels = pixels
        chunkTypes = types
    }

    private static func inflateStored(_ stream: [UInt8]) throws -> [UInt8] {
        guard stream.count >= 6, stream[0] & 0x0F == 8, (UInt16(stream[0]) << 8 | UInt16(stream[1])) % 31 == 0 else {
            throw Failure(description: "bad zlib header")
        }
        var offset = 2
        var output: [UInt8] = []
        while true {
            let header = stream[offset]
            guard header & 0b110 == 0 else { throw Failure(description: "deflate block type \((header >> 1) & 3) is not stored") }
            let length = Int(stream[offset + 1]) | Int(stream[offset + 2]) << 8
            let complement = Int(stream[offset + 3]) | Int(stream[offset + 4]) << 8
            guard length == complement ^ 0xFFFF else { throw Failure(description: "stored block LEN/NLEN mismatch") }
            output += stream[(offset + 5)..<(offset + 5 + length)]
            offset += 5 + length
            if header & 1 == 1 { break }
        }
        guard offset + 4 == stream.count else { throw Failure(description: "bytes after the final block") }
        guard bigEndian(stream, offset) == Checksum.adler32(output) else { throw Failure(description: "Adler-32 mismatch") }
        return output
    }

    private static func bigEndian(_ bytes: [UInt8], _ offset: Int) -> UInt32 {
        UInt32(bytes[offset]) << 24 | UInt32(bytes[offset + 1]) << 16 | UInt32(bytes[offset + 2]) << 8 | UInt32(bytes[offset + 3])
    }

    /// The colour at (`x`, `y`).
    func color(x: Int, y: Int) -> RGBColor {
        let index = (y * width + x) * 3
        return RGBColor(pixels[index], pixels[index + 1], pixels[index + 2])
    }

    /// How many pixels have exactly `color`.
    func count(of color: RGBColor) -> Int {
        var total = 0
        for index in stride(from: 0, to: pixels.count, by: 3)
        where pixels[index] == color.red && pixels[index + 1] == color.green && pixels[index + 2] == color.blue {
            total += 1
        }
        return total
    }
}
