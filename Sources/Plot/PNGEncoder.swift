import Foundation

/// Writes `RGBImage`s as PNG without any library: 8-bit RGB, filter type 0 on every row, and a
/// zlib stream of uncompressed ("stored") deflate blocks. Files are larger than compressed PNGs
/// (≈ 3 bytes per pixel) but every PNG reader opens them.
public enum PNGEncoder {
    private static let signature: [UInt8] = [137, 80, 78, 71, 13, 10, 26, 10]
    /// Largest payload of one stored deflate block.
    private static let storedBlockLimit = 65_535

    /// The PNG file bytes of `image`.
    public static func encode(_ image: RGBImage) -> [UInt8] {
        var header: [UInt8] = []
        header.appendBigEndian(UInt32(image.width))
        header.appendBigEndian(UInt32(image.height))
        header += [8, 2, 0, 0, 0]  // bit depth 8, colour type 2 (RGB), deflate, adaptive filtering, no interlace

        let rowBytes = image.width * 3
        var scanlines = [UInt8]()
        scanlines.reserveCapacity(image.height * (rowBytes + 1))
        for row in 0..<image.height {
            scanlines.append(0)  // filter type 0: the row as it is
            scanlines += image.pixels[(row * rowBytes)..<((row + 1) * rowBytes)]
        }

        var file = signature
        appendChunk("IHDR", header, to: &file)
        appendChunk("IDAT", zlibStored(scanlines), to: &file)
        appendChunk("IEND", [], to: &file)
        return file
    }

    /// Encodes `image` and writes it to `path` through a temporary file in the same folder that
    /// is then renamed, so a failed write never leaves a partial PNG. Throws an error naming the path.
    public static func write(_ image: RGBImage, to path: String) throws {
        let url = URL(fileURLWithPath: path)
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).tmp")
        do {
            try Data(encode(image)).write(to: temporary)
        } catch {
            throw PlotError.writeFailed(path: path, reason: error.localizedDescription)
        }
        guard rename(temporary.path, url.path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temporary)
            throw PlotError.writeFailed(path: path, reason: reason)
        }
    }

    /// A zlib stream (RFC 1950) holding `data` in stored deflate blocks (RFC 1951 §3.2.4).
    static func zlibStored(_ data: [UInt8]) -> [UInt8] {
        var stream: [UInt8] = [0x78, 0x01]  // deflate, 32 KB window; check bits make 0x7801 % 31 == 0
        var offset = 0
        repeat {
            let length = min(storedBlockLimit, data.count - offset)
            let isLast = offset + length == data.count
            stream.append(isLast ? 1 : 0)  // BFINAL, BTYPE = 00 (stored)
            stream.appendLittleEndian(UInt16(length))
            stream.appendLittleEndian(~UInt16(length))
            stream += data[offset..<(offset + length)]
            offset += length
        } while offset < data.count
        stream.appendBigEndian(Checksum.adler32(data))
        return stream
    }

    private static func appendChunk(_ type: String, _ data: [UInt8], to file: inout [UInt8]) {
        let typeBytes = Array(type.utf8)
        file.appendBigEndian(UInt32(data.count))
        file += typeBytes
        file += data
        file.appendBigEndian(Checksum.crc32(typeBytes + data))
    }
}

/// The two checksums of a PNG file.
public enum Checksum {
    private static let crcTable: [UInt32] = (0..<256).map { index in
        var value = UInt32(index)
        for _ in 0..<8 { value = value & 1 != 0 ? 0xEDB8_8320 ^ (value >> 1) : value >> 1 }
        return value
    }

    /// CRC-32 (ISO 3309 / ITU-T V.42, as in PNG chunks and zip) of `bytes`.
    public static func crc32<Bytes: Sequence>(_ bytes: Bytes) -> UInt32 where Bytes.Element == UInt8 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes { crc = crcTable[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
        return crc ^ 0xFFFF_FFFF
    }

    /// Adler-32 (RFC 1950) of `bytes`.
    public static func adler32<Bytes: Sequence>(_ bytes: Bytes) -> UInt32 where Bytes.Element == UInt8 {
        var a: UInt32 = 1
        var b: UInt32 = 0
        var pending = 0
        for byte in bytes {
            a += UInt32(byte)
            b += a
            pending += 1
            // 5552 is the most additions before b can overflow 32 bits (zlib's NMAX).
            if pending == 5552 {
                a %= 65_521
                b %= 65_521
                pending = 0
            }
        }
        return ((b % 65_521) << 16) | (a % 65_521)
    }
}

private extension Array where Element == UInt8 {
    mutating func appendBigEndian(_ value: UInt32) {
        append(UInt8(value >> 24))
        append(UInt8((value >> 16) & 0xFF))
        append(UInt8((value >> 8) & 0xFF))
        append(UInt8(value & 0xFF))
    }

    mutating func appendLittleEndian(_ value: UInt16) {
        append(UInt8(value & 0xFF))
        append(UInt8(value >> 8))
    }
}
