import Foundation
import SafeTensors
import XCTest

/// Reads the PyTorch-written fixtures and checks them against an independent parse of their
/// headers (Foundation's JSONSerialization) and against their raw bytes read with `Data`.
final class FixtureReadingTests: XCTestCase {
    func testCopiedFixturesMatchTheirHeaders() throws {
        let urls = Fixtures.safetensorsFiles(under: Fixtures.directory)
        XCTAssertEqual(urls.count, 6)
        for url in urls { try checkAgainstIndependentParse(url) }
    }

    func testEverySharedFixtureMatchesItsHeader() throws {
        let urls = Fixtures.safetensorsFiles(under: Fixtures.sharedDirectory)
        guard !urls.isEmpty else { throw XCTSkip("\(Fixtures.sharedDirectory.path) is not present") }
        for url in urls { try checkAgainstIndependentParse(url) }
    }

    /// Re-writing every tensor of a PyTorch-written file must give the identical file: this pins
    /// the writer's layout, header JSON and padding to the reference implementation's.
    func testCopiedFixturesRewriteByteIdentically() throws {
        for url in Fixtures.safetensorsFiles(under: Fixtures.directory) { try checkRewrite(url) }
    }

    func testEverySharedFixtureRewritesByteIdentically() throws {
        let urls = Fixtures.safetensorsFiles(under: Fixtures.sharedDirectory)
        guard !urls.isEmpty else { throw XCTSkip("\(Fixtures.sharedDirectory.path) is not present") }
        for url in urls { try checkRewrite(url) }
    }

    func testKnownValuesOfTheLlamaFixture() throws {
        let file = try SafeTensorsFile(url: Fixtures.url("llama/model.safetensors"))
        XCTAssertEqual(file.metadata, ["format": "pt"])
        XCTAssertEqual(file.names.count, 39)
        let embedding = try file.info("model.embed_tokens.weight")
        XCTAssertEqual(embedding, TensorInfo(dtype: .f32, shape: [384, 64], byteRange: 98304..<196608))
        XCTAssertEqual(embedding.elementCount, 384 * 64)
        XCTAssertTrue(file.contains("lm_head.weight"))
        XCTAssertFalse(file.contains("lm_head.bias"))
    }

    func testGenerateFixtureHoldsInt64TokenIds() throws {
        let file = try SafeTensorsFile(url: Fixtures.url("llava/generate.safetensors"))
        XCTAssertEqual(file.names, ["generated", "pixel_values", "prompt"])
        let prompt = try file.int64s("prompt")
        XCTAssertEqual(prompt.count, try file.info("prompt").elementCount)
        XCTAssertEqual(try file.floats("prompt"), prompt.map(Float.init))
        XCTAssertTrue(prompt.allSatisfy { $0 >= 0 })
    }

    private func checkAgainstIndependentParse(_ url: URL, file: StaticString = #filePath, line: UInt = #line) throws {
        let (header, dataOffset, bytes) = try foundationHeader(of: url)
        let safetensors = try SafeTensorsFile(url: url)
        let expectedNames = header.keys.filter { $0 != "__metadata__" }.sorted()
        XCTAssertEqual(safetensors.names, expectedNames, url.path, file: file, line: line)
        XCTAssertEqual(safetensors.metadata, header["__metadata__"] as? [String: String] ?? [:], url.path)
        for name in expectedNames {
            let entry = try XCTUnwrap(header[name] as? [String: Any])
            let offsets = try XCTUnwrap(entry["data_offsets"] as? [Int])
            let info = try safetensors.info(name)
            let context = "\(url.path) \(name)"
            XCTAssertEqual(info.dtype.name, entry["dtype"] as? String, context, file: file, line: line)
            XCTAssertEqual(info.shape, entry["shape"] as? [Int], context, file: file, line: line)
            XCTAssertEqual(info.byteRange, offsets[0]..<offsets[1], context, file: file, line: line)

            let raw = [UInt8](bytes.subdata(in: (dataOffset + offsets[0])..<(dataOffset + offsets[1])))
            XCTAssertEqual([UInt8](try safetensors.rawBytes(of: name)), raw, context, file: file, line: line)
            let floats = try safetensors.floats(name)
            XCTAssertEqual(floats.count, info.elementCount, context, file: file, line: line)
            switch info.dtype {
            case .f32:
                XCTAssertEqual(floats.map(\.bitPattern), littleEndianIntegers(raw, as: UInt32.self), context)
            case .bf16:
                let expected = littleEndianIntegers(raw, as: UInt16.self).map { UInt32($0) << 16 }
                XCTAssertEqual(floats.map(\.bitPattern), expected, context, file: file, line: line)
            case .f64:
                let expected = littleEndianIntegers(raw, as: UInt64.self).map { Float(Double(bitPattern: $0)) }
                XCTAssertEqual(floats, expected, context, file: file, line: line)
            case .i64:
                let expected = littleEndianIntegers(raw, as: UInt64.self).map { Int64(bitPattern: $0) }
                XCTAssertEqual(try safetensors.int64s(name), expected, context, file: file, line: line)
                XCTAssertEqual(floats, expected.map(Float.init), context, file: file, line: line)
            case .u8:
                XCTAssertEqual(try safetensors.int64s(name), raw.map(Int64.init), context, file: file, line: line)
            default:
                XCTFail("\(context): no independent check for dtype \(info.dtype)", file: file, line: line)
            }
        }
    }

    private func checkRewrite(_ url: URL, file: StaticString = #filePath, line: UInt = #line) throws {
        let original = try SafeTensorsFile(url: url)
        var writer = SafeTensorsWriter(metadata: original.metadata)
        for name in original.names {
            let info = try original.info(name)
            try writer.add(name, dtype: info.dtype, shape: info.shape, bytes: Array(original.rawBytes(of: name)))
        }
        let rewritten = try writer.serializedBytes()
        XCTAssertTrue(rewritten == Array(try Data(contentsOf: url)), "\(url.path) differs when rewritten", file: file, line: line)
    }
}

/// Decodes little-endian integers from bytes without the library.
func littleEndianIntegers<Integer: FixedWidthInteger>(_ bytes: [UInt8], as type: Integer.Type) -> [Integer] {
    let size = MemoryLayout<Integer>.size
    return stride(from: 0, to: bytes.count, by: size).map { start in
        (0..<size).reduce(Integer.zero) { $0 | Integer(bytes[start + $1]) << (8 * $1) }
    }
}
