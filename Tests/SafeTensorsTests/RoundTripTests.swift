import Foundation
import SafeTensors
import XCTest

/// Writing then reading gives back exactly what was written, for every dtype.
final class RoundTripTests: TemporaryDirectoryTestCase {
    func testEveryDTypeRoundTripsBytesShapesAndMetadata() throws {
        var generator = SplitMix64(seed: 7)
        let metadata = ["format": "pt", "note": "quote \" backslash \\ newline \n tab \t", "ünïcode": "🙂 ok"]
        var writer = SafeTensorsWriter(metadata: metadata)
        var expected: [String: (DType, [Int], [UInt8])] = [:]
        for (index, dtype) in DType.allCases.enumerated() {
            let shape = [index % 3 + 1, 5, 2]
            let bytes = (0..<(shape.reduce(1, *) * dtype.byteSize)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let name = "tensor.\(dtype.name)"
            try writer.add(name, dtype: dtype, shape: shape, bytes: bytes)
            expected[name] = (dtype, shape, bytes)
        }
        try writer.add("scalar", dtype: .f32, shape: [], bytes: [0, 0, 0x80, 0x3F])
        try writer.add("empty", dtype: .i64, shape: [4, 0], bytes: [])
        let url = temporaryDirectory.appendingPathComponent("all.safetensors")
        try writer.write(to: url)

        let file = try SafeTensorsFile(url: url)
        XCTAssertEqual(file.metadata, metadata)
        XCTAssertEqual(file.names, (Array(expected.keys) + ["scalar", "empty"]).sorted())
        for (name, (dtype, shape, bytes)) in expected {
            let info = try file.info(name)
            XCTAssertEqual(info.dtype, dtype, name)
            XCTAssertEqual(info.shape, shape, name)
            XCTAssertEqual(Array(try file.rawBytes(of: name)), bytes, name)
            try file.withUnsafeRawBytes(of: name) { XCTAssertEqual(Array($0), bytes, name) }
            XCTAssertEqual(try file.floats(name).count, info.elementCount, name)
        }
        XCTAssertEqual(try file.floats("scalar"), [1])
        XCTAssertEqual(try file.info("scalar").elementCount, 1)
        XCTAssertEqual(try file.int64s("empty"), [])
        XCTAssertEqual(try file.floats("empty"), [])
    }

    /// Every tensor's data starts at an offset that is a multiple of its element size, as the
    /// reference layout guarantees (largest alignment first, header padded to 8 bytes).
    func testLayoutKeepsEveryTensorAligned() throws {
        var writer = SafeTensorsWriter()
        for (index, dtype) in DType.allCases.enumerated() {
            try writer.add("t\(index)", dtype: dtype, shape: [3], bytes: Array(repeating: 1, count: 3 * dtype.byteSize))
        }
        let url = temporaryDirectory.appendingPathComponent("aligned.safetensors")
        try writer.write(to: url)
        let (_, dataOffset, _) = try foundationHeader(of: url)
        XCTAssertEqual(dataOffset % 8, 0)
        let file = try SafeTensorsFile(url: url)
        for name in file.names {
            let info = try file.info(name)
            XCTAssertEqual(info.byteRange.lowerBound % info.dtype.byteSize, 0, name)
        }
    }

    func testFloatsStoredAsEachFloatDTypeReadBackAsRounded() throws {
        let values: [Float] = [0, -0.0, 1, -2.5, 3.14159265, 1e-8, 65504, 1e30, -.infinity, .leastNonzeroMagnitude]
        var writer = SafeTensorsWriter()
        for dtype in [DType.f32, .f16, .bf16, .f64] {
            try writer.add(dtype.name, shape: [2, 5], floats: values, storedAs: dtype)
        }
        let url = temporaryDirectory.appendingPathComponent("floats.safetensors")
        try writer.write(to: url)
        let file = try SafeTensorsFile(url: url)
        XCTAssertEqual(try file.floats("F32").map(\.bitPattern), values.map(\.bitPattern))
        XCTAssertEqual(try file.floats("F64").map(\.bitPattern), values.map(\.bitPattern))
        XCTAssertEqual(
            try file.floats("F16").map(\.bitPattern), values.map { Float(Float16($0)).bitPattern })
        XCTAssertEqual(
            try file.floats("BF16").map(\.bitPattern),
            values.map { FloatConversion.float(bfloat16Bits: FloatConversion.bfloat16Bits($0)).bitPattern })
        XCTAssertEqual(try file.info("BF16").byteCount, 20)
    }

    func testIntegerDTypesWidenToInt64AndFloat() throws {
        var writer = SafeTensorsWriter()
        try writer.add("i64", shape: [3], int64s: [-5, 0, Int64.max])
        try writer.add("i8", dtype: .i8, shape: [3], bytes: [0xFF, 0x00, 0x7F])
        try writer.add("u8", dtype: .u8, shape: [2], bytes: [0xFF, 0x01])
        try writer.add("bool", dtype: .bool, shape: [3], bytes: [0, 1, 1])
        try writer.add("i16", dtype: .i16, shape: [1], bytes: [0x00, 0x80])
        try writer.add("u16", dtype: .u16, shape: [1], bytes: [0xFF, 0xFF])
        try writer.add("i32", dtype: .i32, shape: [1], bytes: [0xFE, 0xFF, 0xFF, 0xFF])
        try writer.add("u32", dtype: .u32, shape: [1], bytes: [0xFF, 0xFF, 0xFF, 0xFF])
        try writer.add("u64", dtype: .u64, shape: [1], bytes: [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F])
        try writer.add("u64.big", dtype: .u64, shape: [1], bytes: Array(repeating: 0xFF, count: 8))
        try writer.add("f8", dtype: .f8E4M3, shape: [2], bytes: [0x38, 0x7E])
        let url = temporaryDirectory.appendingPathComponent("ints.safetensors")
        try writer.write(to: url)
        let file = try SafeTensorsFile(url: url)
        XCTAssertEqual(try file.int64s("i64"), [-5, 0, Int64.max])
        XCTAssertEqual(try file.floats("i64"), [-5, 0, Float(Int64.max)])
        XCTAssertEqual(try file.int64s("i8"), [-1, 0, 127])
        XCTAssertEqual(try file.int64s("u8"), [255, 1])
        XCTAssertEqual(try file.int64s("bool"), [0, 1, 1])
        XCTAssertEqual(try file.floats("bool"), [0, 1, 1])
        XCTAssertEqual(try file.int64s("i16"), [-32768])
        XCTAssertEqual(try file.int64s("u16"), [65535])
        XCTAssertEqual(try file.int64s("i32"), [-2])
        XCTAssertEqual(try file.int64s("u32"), [4_294_967_295])
        XCTAssertEqual(try file.int64s("u64"), [Int64.max])
        XCTAssertEqual(try file.floats("f8"), [1, 448])
        XCTAssertThrowsError(try file.int64s("u64.big")) { error in
            XCTAssertTrue("\(error)".contains("u64.big"), "\(error)")
        }
        XCTAssertThrowsError(try file.int64s("f8")) { error in
            XCTAssertEqual(
                error as? SafeTensorsError,
                .unsupportedConversion(
                    path: url.path, tensor: "f8", problem: "its dtype F8_E4M3 is not an integer type, so it has no Int64 values"))
        }
    }

    /// A tensor above the parallel threshold widens identically to the element-wise conversion.
    func testLargeTensorsWidenInParallelExactly() throws {
        let count = 3_000_001
        var generator = SplitMix64(seed: 3)
        let bits = (0..<count).map { _ in UInt16(truncatingIfNeeded: generator.next()) }
        var writer = SafeTensorsWriter()
        try writer.add("bf16", dtype: .bf16, shape: [count], bytes: bits.withUnsafeBytes { Array($0) })
        try writer.add("f16", dtype: .f16, shape: [count], bytes: bits.withUnsafeBytes { Array($0) })
        let url = temporaryDirectory.appendingPathComponent("large.safetensors")
        try writer.write(to: url)
        let file = try SafeTensorsFile(url: url)
        let bf16 = try file.floats("bf16")
        let f16 = try file.floats("f16")
        var copied = [Float](repeating: 0, count: count)
        try copied.withUnsafeMutableBufferPointer { try file.copyFloats("bf16", into: $0.baseAddress!) }
        for index in 0..<count {
            let bf16Expected = FloatConversion.float(bfloat16Bits: bits[index]).bitPattern
            let f16Expected = FloatConversion.float(float16Bits: bits[index]).bitPattern
            guard bf16[index].bitPattern == bf16Expected, copied[index].bitPattern == bf16Expected,
                  f16[index].bitPattern == f16Expected
            else { return XCTFail("element \(index) of pattern \(bits[index]) widened wrongly") }
        }
    }

    /// Deferred tensors are produced at write time and stored like eagerly added ones.
    func testDeferredTensorsWriteLikeEagerOnes() throws {
        let values: [Float] = (0..<12).map { Float($0) * 0.37 - 1 }
        var eager = SafeTensorsWriter(metadata: ["format": "pt"])
        try eager.add("a", shape: [3, 4], floats: values, storedAs: .bf16)
        try eager.add("b", dtype: .u8, shape: [5], bytes: [1, 2, 3, 4, 5])
        var deferred = SafeTensorsWriter(metadata: ["format": "pt"])
        try deferred.addDeferred("a", shape: [3, 4], storedAs: .bf16) { buffer in
            for index in buffer.indices { buffer[index] = values[index] }
        }
        try deferred.addDeferred("b", dtype: .u8, shape: [5]) { buffer in
            for index in buffer.indices { buffer[index] = UInt8(index + 1) }
        }
        XCTAssertEqual(try deferred.serializedBytes(), try eager.serializedBytes())
    }

    /// The byte layouts the Rust crate's own tests expect (tensor.rs `test_serialization`,
    /// `test_empty`).
    func testReferenceByteLayouts() throws {
        var writer = SafeTensorsWriter()
        try writer.add("attn.0", shape: [1, 2, 3], floats: [0, 1, 2, 3, 4, 5])
        XCTAssertEqual(try writer.serializedBytes(), [
            64, 0, 0, 0, 0, 0, 0, 0, 123, 34, 97, 116, 116, 110, 46, 48, 34, 58, 123, 34, 100,
            116, 121, 112, 101, 34, 58, 34, 70, 51, 50, 34, 44, 34, 115, 104, 97, 112, 101, 34,
            58, 91, 49, 44, 50, 44, 51, 93, 44, 34, 100, 97, 116, 97, 95, 111, 102, 102, 115,
            101, 116, 115, 34, 58, 91, 48, 44, 50, 52, 93, 125, 125, 0, 0, 0, 0, 0, 0, 128, 63,
            0, 0, 0, 64, 0, 0, 64, 64, 0, 0, 128, 64, 0, 0, 160, 64,
        ])
        XCTAssertEqual(try SafeTensorsWriter().serializedBytes(), [8, 0, 0, 0, 0, 0, 0, 0, 123, 125, 32, 32, 32, 32, 32, 32])
        XCTAssertEqual(try SafeTensorsWriter(metadata: ["framework": "pt"]).serializedBytes(), [
            40, 0, 0, 0, 0, 0, 0, 0, 123, 34, 95, 95, 109, 101, 116, 97, 100, 97, 116, 97, 95,
            95, 34, 58, 123, 34, 102, 114, 97, 109, 101, 119, 111, 114, 107, 34, 58, 34, 112,
            116, 34, 125, 125, 32, 32, 32, 32, 32,
        ])
    }

    func testWriterRejectsInconsistentTensors() throws {
        var writer = SafeTensorsWriter()
        try writer.add("x", dtype: .f32, shape: [2], bytes: Array(repeating: 0, count: 8))
        let cases: [(String, () throws -> Void)] = [
            ("x", { try writer.add("x", dtype: .u8, shape: [1], bytes: [0]) }),
            ("short", { try writer.add("short", dtype: .f32, shape: [2], bytes: [0, 0, 0]) }),
            ("negative", { try writer.add("negative", dtype: .u8, shape: [-1], bytes: []) }),
            ("count", { try writer.add("count", shape: [3], floats: [1, 2]) }),
            ("as.i32", { try writer.add("as.i32", shape: [1], floats: [1], storedAs: .i32) }),
            ("__metadata__", { try writer.add("__metadata__", dtype: .u8, shape: [0], bytes: []) }),
        ]
        for (name, add) in cases {
            XCTAssertThrowsError(try add(), name) { error in
                guard case let .invalidTensorData(tensor, _)? = error as? SafeTensorsError else {
                    return XCTFail("\(name): unexpected \(error)")
                }
                XCTAssertEqual(tensor, name)
            }
        }
        XCTAssertEqual(writer.tensorNames, ["x"])
    }

    func testWriteFailureNamesThePath() throws {
        let url = temporaryDirectory.appendingPathComponent("missing-directory/out.safetensors")
        XCTAssertThrowsError(try SafeTensorsWriter().write(to: url)) { error in
            XCTAssertTrue("\(error)".contains(url.path), "\(error)")
        }
    }

    /// An error thrown while producing a deferred tensor aborts the write and leaves neither the
    /// destination nor a temporary file behind.
    func testFailedWriteLeavesNoFiles() throws {
        struct ProducerFailure: Error {}
        var writer = SafeTensorsWriter()
        try writer.addDeferred("x", dtype: .u8, shape: [4]) { _ in throw ProducerFailure() }
        let url = temporaryDirectory.appendingPathComponent("out.safetensors")
        XCTAssertThrowsError(try writer.write(to: url)) { XCTAssertTrue($0 is ProducerFailure) }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: temporaryDirectory.path), [])
    }

    func testOverwritingReplacesTheFileAtomically() throws {
        let url = temporaryDirectory.appendingPathComponent("model.safetensors")
        var first = SafeTensorsWriter()
        try first.add("a", dtype: .u8, shape: [1], bytes: [1])
        try first.write(to: url)
        let opened = try SafeTensorsFile(url: url)
        var second = SafeTensorsWriter()
        try second.add("b", dtype: .u8, shape: [2], bytes: [2, 3])
        try second.write(to: url)
        // The mapping of the replaced file stays valid: rename swapped the directory entry only.
        XCTAssertEqual(try opened.int64s("a"), [1])
        XCTAssertEqual(try SafeTensorsFile(url: url).int64s("b"), [2, 3])
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: temporaryDirectory.path), ["model.safetensors"])
    }
}
