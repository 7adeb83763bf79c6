import Foundation
import SafeTensors
import XCTest

/// Sharded checkpoints: writing with an index, reading through it, and rejecting broken ones.
final class CheckpointTests: TemporaryDirectoryTestCase {
    /// The 6/6/2/6/2/2 example of huggingface_hub's `split_state_dict_into_shards_factory`
    /// docstring: with a limit of 10 it splits as [6], [6, 2], [6, 2, 2].
    func testShardsSplitLikeHuggingFaceHub() throws {
        var writer = SafeTensorsWriter(metadata: ["format": "pt"])
        let sizes = [6, 6, 2, 6, 2, 2]
        for (index, size) in sizes.enumerated() {
            try writer.add("layer.\(index)", dtype: .u8, shape: [size], bytes: Array(repeating: UInt8(index), count: size))
        }
        let written = try writer.writeCheckpoint(to: temporaryDirectory, maxShardByteCount: 10)
        XCTAssertEqual(written.map(\.lastPathComponent), [
            "model-00001-of-00003.safetensors", "model-00002-of-00003.safetensors",
            "model-00003-of-00003.safetensors", "model.safetensors.index.json",
        ])
        let shardNames = try (0..<3).map { try SafeTensorsFile(url: written[$0]).names }
        XCTAssertEqual(shardNames, [["layer.0"], ["layer.1", "layer.2"], ["layer.3", "layer.4", "layer.5"]])

        // Formatted as transformers' json.dumps(index, indent=2, sort_keys=True) + "\n".
        let expectedIndex = """
            {
              "metadata": {
                "total_size": 24
              },
              "weight_map": {
                "layer.0": "model-00001-of-00003.safetensors",
                "layer.1": "model-00002-of-00003.safetensors",
                "layer.2": "model-00002-of-00003.safetensors",
                "layer.3": "model-00003-of-00003.safetensors",
                "layer.4": "model-00003-of-00003.safetensors",
                "layer.5": "model-00003-of-00003.safetensors"
              }
            }

            """
        XCTAssertEqual(try String(contentsOf: written[3], encoding: .utf8), expectedIndex)

        let checkpoint = try SafeTensorsCheckpoint(directory: temporaryDirectory)
        XCTAssertEqual(checkpoint.names, (0..<6).map { "layer.\($0)" })
        XCTAssertEqual(checkpoint.files.count, 3)
        XCTAssertEqual(checkpoint.files.map(\.metadata), Array(repeating: ["format": "pt"], count: 3))
        for (index, size) in sizes.enumerated() {
            XCTAssertEqual(try checkpoint.int64s("layer.\(index)"), Array(repeating: Int64(index), count: size))
        }
    }

    /// A tensor larger than the limit gets a shard of its own, ahead of the shard being filled.
    func testOversizedTensorGetsItsOwnShard() throws {
        var writer = SafeTensorsWriter()
        try writer.add("small.a", dtype: .u8, shape: [3], bytes: [1, 2, 3])
        try writer.add("huge", dtype: .u8, shape: [20], bytes: Array(repeating: 9, count: 20))
        try writer.add("small.b", dtype: .u8, shape: [3], bytes: [4, 5, 6])
        let written = try writer.writeCheckpoint(to: temporaryDirectory, maxShardByteCount: 10)
        XCTAssertEqual(try SafeTensorsFile(url: written[0]).names, ["huge"])
        XCTAssertEqual(try SafeTensorsFile(url: written[1]).names, ["small.a", "small.b"])
    }

    func testShardedRoundTripOfFloatTensors() throws {
        var generator = SplitMix64(seed: 11)
        var writer = SafeTensorsWriter(metadata: ["format": "pt"])
        var expected: [String: [Float]] = [:]
        for layer in 0..<8 {
            for (suffix, dtype) in [("weight", DType.bf16), ("bias", .f32), ("scale", .f16)] {
                let name = "model.layers.\(layer).\(suffix)"
                let values = (0..<(dtype == .f32 ? 16 : 64)).map { _ in Float.random(in: -2...2, using: &generator) }
                try writer.add(name, shape: [values.count], floats: values, storedAs: dtype)
                let stored: [Float]
                switch dtype {
                case .bf16: stored = values.map { FloatConversion.float(bfloat16Bits: FloatConversion.bfloat16Bits($0)) }
                case .f16: stored = values.map { Float(Float16($0)) }
                default: stored = values
                }
                expected[name] = stored
            }
        }
        let written = try writer.writeCheckpoint(to: temporaryDirectory, maxShardByteCount: 1000)
        XCTAssertGreaterThan(written.count, 3)
        let checkpoint = try SafeTensorsCheckpoint(url: temporaryDirectory.appendingPathComponent("model.safetensors.index.json"))
        XCTAssertEqual(checkpoint.names, expected.keys.sorted())
        for (name, values) in expected {
            XCTAssertEqual(try checkpoint.floats(name), values, name)
            var copied = [Float](repeating: .nan, count: values.count)
            try copied.withUnsafeMutableBufferPointer { try checkpoint.copyFloats(name, into: $0.baseAddress!) }
            XCTAssertEqual(copied, values, name)
            XCTAssertEqual(try checkpoint.info(name).elementCount, values.count)
            try checkpoint.withUnsafeRawBytes(of: name) { XCTAssertEqual($0.count, try checkpoint.info(name).byteCount) }
        }
        XCTAssertThrowsError(try checkpoint.floats("missing")) { error in
            XCTAssertEqual(error as? SafeTensorsError, .tensorNotFound(path: checkpoint.url.path, tensor: "missing"))
        }
    }

    /// Re-saving replaces the previous checkpoint's files, whichever form either one took.
    func testRewritingRemovesStaleCheckpointFiles() throws {
        var large = SafeTensorsWriter()
        for index in 0..<4 { try large.add("t\(index)", dtype: .u8, shape: [8], bytes: Array(repeating: 1, count: 8)) }
        try large.writeCheckpoint(to: temporaryDirectory, maxShardByteCount: 8)
        try Data("unrelated".utf8).write(to: temporaryDirectory.appendingPathComponent("config.json"))

        var small = SafeTensorsWriter()
        try small.add("only", dtype: .u8, shape: [1], bytes: [7])
        try small.writeCheckpoint(to: temporaryDirectory, maxShardByteCount: 8)
        XCTAssertEqual(
            try FileManager.default.contentsOfDirectory(atPath: temporaryDirectory.path).sorted(),
            ["config.json", "model.safetensors"])
        XCTAssertEqual(try SafeTensorsCheckpoint(directory: temporaryDirectory).names, ["only"])

        try large.writeCheckpoint(to: temporaryDirectory, maxShardByteCount: 16)
        XCTAssertEqual(
            try FileManager.default.contentsOfDirectory(atPath: temporaryDirectory.path).sorted(),
            ["config.json", "model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors", "model.safetensors.index.json"])
        XCTAssertEqual(try SafeTensorsCheckpoint(directory: temporaryDirectory).names, ["t0", "t1", "t2", "t3"])
    }

    func testOtherBaseNamesSuchAsAdapters() throws {
        var writer = SafeTensorsWriter()
        try writer.add("base_model.model.lora_A.weight", shape: [2, 2], floats: [1, 2, 3, 4])
        try writer.writeCheckpoint(to: temporaryDirectory, baseName: "adapter_model")
        let checkpoint = try SafeTensorsCheckpoint(directory: temporaryDirectory, baseName: "adapter_model")
        XCTAssertEqual(try checkpoint.floats("base_model.model.lora_A.weight"), [1, 2, 3, 4])
        XCTAssertThrowsError(try SafeTensorsCheckpoint(directory: temporaryDirectory)) { error in
            XCTAssertTrue("\(error)".contains(temporaryDirectory.path), "\(error)")
            XCTAssertTrue("\(error)".contains("model.safetensors.index.json"), "\(error)")
        }
    }

    func testSingleFileCheckpointOfTheFixture() throws {
        let checkpoint = try SafeTensorsCheckpoint(url: Fixtures.url("qwen2/model.safetensors"))
        let file = try SafeTensorsFile(url: Fixtures.url("qwen2/model.safetensors"))
        XCTAssertEqual(checkpoint.names, file.names)
        XCTAssertEqual(try checkpoint.floats("model.norm.weight"), try file.floats("model.norm.weight"))
    }

    func testMissingShardIsReported() throws {
        try writeShardedPair()
        let missing = temporaryDirectory.appendingPathComponent("model-00002-of-00002.safetensors")
        try FileManager.default.removeItem(at: missing)
        XCTAssertThrowsError(try SafeTensorsCheckpoint(directory: temporaryDirectory)) { error in
            XCTAssertTrue("\(error)".contains(missing.path), "\(error)")
            XCTAssertTrue("\(error)".contains("model.safetensors.index.json"), "\(error)")
            XCTAssertTrue("\(error)".contains("'b'"), "\(error)")
        }
    }

    func testTensorMappedToAShardWithoutItIsReported() throws {
        try writeShardedPair()
        try writeIndex(#"{"weight_map": {"a": "model-00001-of-00002.safetensors", "b": "model-00001-of-00002.safetensors"}}"#)
        XCTAssertThrowsError(try SafeTensorsCheckpoint(directory: temporaryDirectory)) { error in
            XCTAssertTrue("\(error)".contains("tensor 'b'"), "\(error)")
            XCTAssertTrue("\(error)".contains("model-00001-of-00002.safetensors"), "\(error)")
        }
    }

    func testMalformedIndexesAreReported() throws {
        try writeShardedPair()
        let cases = [
            (#"{"weight_map": {"a": "model-00001-of-00002.safetensors", "a": "model-00002-of-00002.safetensors"}}"#, "'a' twice"),
            (#"{"metadata": {}}"#, "no \"weight_map\""),
            (#"{"weight_map": {"a": 3}}"#, "tensor 'a'"),
            (#"{"weight_map": {"a": "../model-00001-of-00002.safetensors"}}"#, "tensor 'a'"),
            (#"{"weight_map": {"a": "model-00001"#, "malformed JSON"),
        ]
        for (text, fragment) in cases {
            try writeIndex(text)
            XCTAssertThrowsError(try SafeTensorsCheckpoint(directory: temporaryDirectory), text) { error in
                XCTAssertTrue("\(error)".contains(fragment), "\(error)")
                XCTAssertTrue("\(error)".contains("model.safetensors.index.json"), "\(error)")
            }
        }
    }

    func testInvalidShardIsReportedWithItsPath() throws {
        try writeShardedPair()
        let shard = temporaryDirectory.appendingPathComponent("model-00002-of-00002.safetensors")
        try Data([1, 2, 3]).write(to: shard)
        XCTAssertThrowsError(try SafeTensorsCheckpoint(directory: temporaryDirectory)) { error in
            XCTAssertTrue("\(error)".contains(shard.path), "\(error)")
        }
    }

    /// Writes tensors `a` and `b` as two shards.
    private func writeShardedPair() throws {
        var writer = SafeTensorsWriter()
        try writer.add("a", dtype: .u8, shape: [4], bytes: [1, 2, 3, 4])
        try writer.add("b", dtype: .u8, shape: [4], bytes: [5, 6, 7, 8])
        XCTAssertEqual(try writer.writeCheckpoint(to: temporaryDirectory, maxShardByteCount: 4).count, 3)
    }

    private func writeIndex(_ text: String) throws {
        try Data(text.utf8).write(to: temporaryDirectory.appendingPathComponent("model.safetensors.index.json"))
    }
}
