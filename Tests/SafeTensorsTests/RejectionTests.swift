import Foundation
import SafeTensors
import XCTest

/// One malformed file per problem; each error must name the file, the tensor at fault (where
/// there is one) and the problem.
final class RejectionTests: TemporaryDirectoryTestCase {
    private let eightBytes = [UInt8](repeating: 0, count: 8)

    func testTruncatedFile() throws {
        let url = try writeFile("short.safetensors", bytes: [1, 0, 0])
        assertOpeningFails(url, mentioning: [url.path, "3 bytes", "shorter than the 8-byte header length"])
        let empty = try writeFile("empty.safetensors", bytes: [])
        assertOpeningFails(empty, mentioning: [empty.path, "0 bytes"])
    }

    func testHeaderLongerThanFile() throws {
        let header = #"{"a":{"dtype":"U8","shape":[8],"data_offsets":[0,8]}}"#
        let url = try writeFile("long.safetensors", bytes: safetensorsBytes(header: header, data: eightBytes, declaredHeaderLength: 5000))
        assertOpeningFails(url, mentioning: [url.path, "header length 5000", "past the end of the file"])
    }

    func testAbsurdHeaderLength() throws {
        let url = try writeFile("huge.safetensors", bytes: safetensorsBytes(header: "{}", data: [], declaredHeaderLength: UInt64.max))
        assertOpeningFails(url, mentioning: [url.path, "header length 18446744073709551615", "100000000-byte limit"])
    }

    func testMalformedJSON() throws {
        let header = #"{"a":{"dtype":"U8","shape":[8],"data_offsets":[0,8]"#
        let url = try writeFile("malformed.safetensors", bytes: safetensorsBytes(header: header, data: eightBytes))
        assertOpeningFails(url, mentioning: [url.path, "malformed header JSON", "at byte"])
    }

    func testHeaderThatIsNotAnObject() throws {
        let url = try writeFile("array.safetensors", bytes: safetensorsBytes(header: "[1, 2]", data: []))
        assertOpeningFails(url, mentioning: [url.path, "an array, not an object"])
    }

    func testInvalidUTF8InHeader() throws {
        var bytes = safetensorsBytes(header: #"{"a\#u{E9}":{"dtype":"U8","shape":[8],"data_offsets":[0,8]}}"#, data: eightBytes)
        bytes[11] = 0xFF  // inside the tensor name
        let url = try writeFile("utf8.safetensors", bytes: bytes)
        assertOpeningFails(url, mentioning: [url.path, "invalid UTF-8"])
    }

    func testOverlappingRanges() throws {
        let header = #"{"a":{"dtype":"U8","shape":[6],"data_offsets":[0,6]},"b":{"dtype":"U8","shape":[4],"data_offsets":[4,8]}}"#
        let url = try writeFile("overlap.safetensors", bytes: safetensorsBytes(header: header, data: eightBytes))
        assertOpeningFails(url, mentioning: [url.path, "tensor 'b'", "overlap tensor 'a'"])
    }

    func testUnknownDType() throws {
        let header = #"{"weird":{"dtype":"Q7","shape":[8],"data_offsets":[0,8]}}"#
        let url = try writeFile("dtype.safetensors", bytes: safetensorsBytes(header: header, data: eightBytes))
        assertOpeningFails(url, mentioning: [url.path, "tensor 'weird'", "unknown dtype 'Q7'"])
    }

    func testShapeSizeMismatch() throws {
        let header = #"{"w":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}"#
        let url = try writeFile("size.safetensors", bytes: safetensorsBytes(header: header, data: eightBytes))
        assertOpeningFails(url, mentioning: [url.path, "tensor 'w'", "needs 12 bytes", "span 8"])
    }

    func testDuplicateNames() throws {
        let header = #"{"a":{"dtype":"U8","shape":[4],"data_offsets":[0,4]},"a":{"dtype":"U8","shape":[4],"data_offsets":[4,8]}}"#
        let url = try writeFile("duplicate.safetensors", bytes: safetensorsBytes(header: header, data: eightBytes))
        assertOpeningFails(url, mentioning: [url.path, "tensor 'a'", "duplicate tensor name"])
    }

    func testOffsetsOutsideTheBuffer() throws {
        let header = #"{"a":{"dtype":"U8","shape":[16],"data_offsets":[0,16]}}"#
        let url = try writeFile("range.safetensors", bytes: safetensorsBytes(header: header, data: eightBytes))
        assertOpeningFails(url, mentioning: [url.path, "tensor 'a'", "outside the data buffer of 8 bytes"])
    }

    func testOffsetsEndingBeforeTheyBegin() throws {
        let header = #"{"a":{"dtype":"U8","shape":[0],"data_offsets":[8,0]}}"#
        let url = try writeFile("reversed.safetensors", bytes: safetensorsBytes(header: header, data: eightBytes))
        assertOpeningFails(url, mentioning: [url.path, "tensor 'a'", "end before they begin"])
    }

    /// The Rust crate requires the tensors to tile the buffer: no hole between tensors…
    func testGapBetweenTensors() throws {
        let header = #"{"a":{"dtype":"U8","shape":[2],"data_offsets":[0,2]},"b":{"dtype":"U8","shape":[4],"data_offsets":[4,8]}}"#
        let url = try writeFile("gap.safetensors", bytes: safetensorsBytes(header: header, data: eightBytes))
        assertOpeningFails(url, mentioning: [url.path, "tensor 'b'", "gap of 2 bytes", "tensor 'a'"])
    }

    /// … none before the first tensor …
    func testFirstTensorNotAtOffsetZero() throws {
        let header = #"{"a":{"dtype":"U8","shape":[4],"data_offsets":[4,8]}}"#
        let url = try writeFile("start.safetensors", bytes: safetensorsBytes(header: header, data: eightBytes))
        assertOpeningFails(url, mentioning: [url.path, "tensor 'a'", "must start at offset 0"])
    }

    /// … and no bytes after the last one.
    func testTrailingBytes() throws {
        let header = #"{"a":{"dtype":"U8","shape":[4],"data_offsets":[0,4]}}"#
        let url = try writeFile("trailing.safetensors", bytes: safetensorsBytes(header: header, data: eightBytes))
        assertOpeningFails(url, mentioning: [url.path, "4 trailing bytes"])
    }

    func testMissingFields() throws {
        for field in ["dtype", "shape", "data_offsets"] {
            let entries = ["\"dtype\":\"U8\"", "\"shape\":[8]", "\"data_offsets\":[0,8]"].filter { !$0.contains("\"\(field)\"") }
            let header = "{\"t\":{" + entries.joined(separator: ",") + "}}"
            let url = try writeFile("missing-\(field).safetensors", bytes: safetensorsBytes(header: header, data: eightBytes))
            assertOpeningFails(url, mentioning: [url.path, "tensor 't'", "missing field '\(field)'"])
        }
    }

    func testFieldsOfWrongTypes() throws {
        let cases = [
            (#"{"t":{"dtype":8,"shape":[8],"data_offsets":[0,8]}}"#, "'dtype' is a number, not a string"),
            (#"{"t":{"dtype":"U8","shape":"8","data_offsets":[0,8]}}"#, "'shape' is a string, not an array"),
            (#"{"t":{"dtype":"U8","shape":[8.0],"data_offsets":[0,8]}}"#, "'shape' entry 8.0"),
            (#"{"t":{"dtype":"U8","shape":[8],"data_offsets":[0,8,9]}}"#, "two integers"),
            (#"{"t":{"dtype":"U8","shape":[8],"data_offsets":[0,"8"]}}"#, "'data_offsets' entry \"8\""),
            (#"{"t":{"dtype":"U8","dtype":"U8","shape":[8],"data_offsets":[0,8]}}"#, "duplicate field 'dtype'"),
            (#"{"t":[1]}"#, "the entry is an array, not an object"),
        ]
        for (index, (header, fragment)) in cases.enumerated() {
            let url = try writeFile("types-\(index).safetensors", bytes: safetensorsBytes(header: header, data: eightBytes))
            assertOpeningFails(url, mentioning: [url.path, "tensor 't'", fragment])
        }
    }

    func testNegativeAndOverflowingShapes() throws {
        let negative = #"{"t":{"dtype":"U8","shape":[-8],"data_offsets":[0,8]}}"#
        let negativeURL = try writeFile("negative.safetensors", bytes: safetensorsBytes(header: negative, data: eightBytes))
        assertOpeningFails(negativeURL, mentioning: [negativeURL.path, "tensor 't'", "'shape' entry -8"])

        let overflow = #"{"t":{"dtype":"F32","shape":[4294967296,4294967296],"data_offsets":[0,8]}}"#
        let overflowURL = try writeFile("overflow.safetensors", bytes: safetensorsBytes(header: overflow, data: eightBytes))
        assertOpeningFails(overflowURL, mentioning: [overflowURL.path, "tensor 't'", "overflows"])

        let huge = #"{"t":{"dtype":"U8","shape":[99999999999999999999],"data_offsets":[0,8]}}"#
        let hugeURL = try writeFile("huge-dim.safetensors", bytes: safetensorsBytes(header: huge, data: eightBytes))
        assertOpeningFails(hugeURL, mentioning: [hugeURL.path, "tensor 't'", "99999999999999999999"])
    }

    func testMetadataThatIsNotStrings() throws {
        let header = #"{"__metadata__":{"format":"pt","epoch":3},"a":{"dtype":"U8","shape":[8],"data_offsets":[0,8]}}"#
        let url = try writeFile("metadata.safetensors", bytes: safetensorsBytes(header: header, data: eightBytes))
        assertOpeningFails(url, mentioning: [url.path, "__metadata__", "key 'epoch'"])
    }

    func testDeepNestingIsRejectedWithoutExhaustingTheStack() throws {
        let depth = 100_000
        let header = "{\"t\":{\"x\":" + String(repeating: "[", count: depth) + String(repeating: "]", count: depth) + "}}"
        let url = try writeFile("deep.safetensors", bytes: safetensorsBytes(header: header, data: []))
        assertOpeningFails(url, mentioning: [url.path, "nesting deeper than 64 levels"])
    }

    func testNonFilesAreReported() throws {
        let missing = temporaryDirectory.appendingPathComponent("absent.safetensors")
        assertOpeningFails(missing, mentioning: [missing.path, "No such file"])
        assertOpeningFails(temporaryDirectory, mentioning: [temporaryDirectory.path, "not a regular file"])
    }

    func testUnknownTensorIsReported() throws {
        let url = Fixtures.url("llama/model.safetensors")
        let file = try SafeTensorsFile(url: url)
        XCTAssertThrowsError(try file.floats("model.nope")) { error in
            XCTAssertEqual("\(error)", "no tensor 'model.nope' in \(url.path)")
        }
    }

    /// What the Rust crate accepts beyond the minimum still opens: unknown entry fields, JSON
    /// whitespace and escapes, zero-sized tensors sharing an offset, a null `__metadata__`, and a
    /// header length that is not a multiple of 8 (so that all data is unaligned).
    func testLenientButValidHeadersOpen() throws {
        let header = """
             { "__metadata__" : null ,
               "a\\u00e9\\ud83d\\ude00" : {"data_offsets":[0,4],"dtype":"F32","shape":[1],"extra":{"k":[true,null]}},
               "z1":{"dtype":"I64","shape":[0,3],"data_offsets":[4,4]},
               "z2":{"dtype":"BF16","shape":[0],"data_offsets":[4,4]},
               "b":{"dtype":"BF16","shape":[3],"data_offsets":[4,10]} }\t
            """
        let data: [UInt8] = [0, 0, 0x80, 0x3F, 0x80, 0x3F, 0x00, 0x40, 0x80, 0xBF]
        let url = try writeFile("lenient.safetensors", bytes: safetensorsBytes(header: header, data: data))
        let file = try SafeTensorsFile(url: url)
        XCTAssertEqual(Array(header.utf8).count % 8 == 0, false)
        XCTAssertEqual(file.metadata, [:])
        XCTAssertEqual(file.names, ["aé😀", "b", "z1", "z2"])
        XCTAssertEqual(try file.floats("aé😀"), [1])
        XCTAssertEqual(try file.floats("b"), [1, 2, -1])
        XCTAssertEqual(try file.int64s("z1"), [])
    }
}
