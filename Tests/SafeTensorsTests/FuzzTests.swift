import Foundation
import SafeTensors
import XCTest

/// Corrupts a valid file in many ways: every outcome must be a `SafeTensorsError` or a file whose
/// tensors all read consistently — never a crash (which would abort the test run).
final class FuzzTests: TemporaryDirectoryTestCase {
    private var accepted = 0
    private var rejected = 0

    func testCorruptedFilesThrowOrReadButNeverCrash() throws {
        let valid = try makeValidFile()
        let url = temporaryDirectory.appendingPathComponent("fuzz.safetensors")

        for length in 0..<valid.count {
            try check(Array(valid[0..<length]), at: url)
        }
        for position in valid.indices {
            for mask: UInt8 in [0x01, 0x10, 0x80, 0xFF] {
                var bytes = valid
                bytes[position] ^= mask
                try check(bytes, at: url)
            }
        }
        let headerEnd = 8 + Int(valid[0]) + Int(valid[1]) << 8
        let grammar = Array(#"{}[]",:-09e.\ tnu"#.utf8)
        for position in 8..<headerEnd {
            for replacement in grammar {
                var bytes = valid
                bytes[position] = replacement
                try check(bytes, at: url)
            }
        }
        var generator = SplitMix64(seed: 2024)
        for _ in 0..<3000 {
            var bytes = valid
            for _ in 0..<Int.random(in: 1...4, using: &generator) {
                let position = Int.random(in: 0..<bytes.count, using: &generator)
                bytes[position] = UInt8.random(in: 0...255, using: &generator)
            }
            if Bool.random(using: &generator) {
                bytes.removeLast(Int.random(in: 0..<bytes.count, using: &generator))
            }
            try check(bytes, at: url)
        }
        print("fuzz: \(accepted) corrupted files read consistently, \(rejected) rejected")
        // Flips inside tensor data leave a valid file; most header damage does not.
        XCTAssertGreaterThan(accepted, 100)
        XCTAssertGreaterThan(rejected, 1000)
    }

    /// A small file with several dtypes, a scalar, an empty tensor and metadata.
    private func makeValidFile() throws -> [UInt8] {
        var writer = SafeTensorsWriter(metadata: ["format": "pt"])
        try writer.add("w", shape: [2, 3], floats: [1, 2, 3, 4, 5, 6], storedAs: .bf16)
        try writer.add("b", shape: [3], floats: [0.5, -1, 2], storedAs: .f16)
        try writer.add("ids", shape: [2], int64s: [7, -8])
        try writer.add("s", shape: [], floats: [3])
        try writer.add("mask", dtype: .bool, shape: [0], bytes: [])
        let bytes = try writer.serializedBytes()
        XCTAssertLessThan(bytes.count, 65536)
        return bytes
    }

    private func check(_ bytes: [UInt8], at url: URL) throws {
        try Data(bytes).write(to: url)
        let file: SafeTensorsFile
        do {
            file = try SafeTensorsFile(url: url)
        } catch is SafeTensorsError {
            rejected += 1
            return
        }
        for name in file.names {
            let info = try file.info(name)
            XCTAssertEqual(try file.rawBytes(of: name).count, info.elementCount * info.dtype.byteSize)
            XCTAssertEqual(try file.floats(name).count, info.elementCount)
            if !info.dtype.isFloatingPoint {
                _ = try? file.int64s(name)
            }
        }
        accepted += 1
    }
}
