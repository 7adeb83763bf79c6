import Foundation
import SafeTensors
import XCTest

/// The `*-bfloat16` fixtures are the F32 models cast with `model.to(torch.bfloat16)`, which rounds
/// to nearest, ties to even. Every stored BF16 value must equal its F32 original rounded that way
/// by `FloatConversion.bfloat16Bits` — bit for bit, no tolerance.
final class BFloat16FixtureTests: XCTestCase {
    func testLlamaBFloat16IsTheRoundedFloat32Model() throws {
        try checkRounding(original: "llama/model.safetensors", rounded: "llama-bfloat16/model.safetensors")
    }

    func testQwen2BFloat16IsTheRoundedFloat32Model() throws {
        try checkRounding(original: "qwen2/model.safetensors", rounded: "qwen2-bfloat16/model.safetensors")
    }

    /// Writing the F32 model as BF16 reproduces the PyTorch-written BF16 file byte for byte.
    func testWritingLlamaAsBFloat16ReproducesTheFixture() throws {
        let original = try SafeTensorsFile(url: Fixtures.url("llama/model.safetensors"))
        var writer = SafeTensorsWriter(metadata: original.metadata)
        for name in original.names {
            try writer.add(name, shape: original.info(name).shape, floats: original.floats(name), storedAs: .bf16)
        }
        let expected = Array(try Data(contentsOf: Fixtures.url("llama-bfloat16/model.safetensors")))
        XCTAssertTrue(try writer.serializedBytes() == expected)
    }

    private func checkRounding(original: String, rounded: String) throws {
        let f32 = try SafeTensorsFile(url: Fixtures.url(original))
        let bf16 = try SafeTensorsFile(url: Fixtures.url(rounded))
        XCTAssertEqual(f32.names, bf16.names)
        var checkedValues = 0
        for name in f32.names {
            let (f32Info, bf16Info) = (try f32.info(name), try bf16.info(name))
            XCTAssertEqual(f32Info.dtype, .f32, name)
            XCTAssertEqual(bf16Info.dtype, .bf16, name)
            XCTAssertEqual(f32Info.shape, bf16Info.shape, name)
            let originals = try f32.floats(name)
            let storedBits = littleEndianIntegers(Array(try bf16.rawBytes(of: name)), as: UInt16.self)
            let widened = try bf16.floats(name)
            XCTAssertEqual(storedBits.count, originals.count, name)
            for index in originals.indices {
                let expectedBits = FloatConversion.bfloat16Bits(originals[index])
                guard storedBits[index] == expectedBits, widened[index].bitPattern == UInt32(expectedBits) << 16 else {
                    return XCTFail("\(name)[\(index)]: stored bits \(storedBits[index]) widened to \(widened[index]); "
                        + "rounding \(originals[index]) gives bits \(expectedBits)")
                }
            }
            checkedValues += originals.count
        }
        XCTAssertGreaterThan(checkedValues, 50_000)
    }
}
