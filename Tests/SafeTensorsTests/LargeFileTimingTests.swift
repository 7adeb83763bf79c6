import Foundation
import SafeTensors
import XCTest

/// Prints how long opening and widening take on a 1 GiB file; no assertions, no timing limits.
/// Opening must be O(header): the file is sparse (created with a header and `truncate`, so it
/// costs no disk), and opening it should take well under a millisecond whatever its size.
final class LargeFileTimingTests: TemporaryDirectoryTestCase {
    func testPrintOpenAndWideningTimesOfA1GiBFile() throws {
        let url = temporaryDirectory.appendingPathComponent("large.safetensors")
        let side = 8192
        let bf16Bytes = side * side * 2
        let f32Shape = [24576, side]
        let f32Bytes = f32Shape[0] * f32Shape[1] * 4
        let header = """
            {"a.bf16":{"dtype":"BF16","shape":[\(side),\(side)],"data_offsets":[0,\(bf16Bytes)]},\
            "b.f16":{"dtype":"F16","shape":[\(side),\(side)],"data_offsets":[\(bf16Bytes),\(2 * bf16Bytes)]},\
            "c.f32":{"dtype":"F32","shape":[\(f32Shape[0]),\(f32Shape[1])],"data_offsets":[\(2 * bf16Bytes),\(2 * bf16Bytes + f32Bytes)]}}
            """
        let headerBytes = Array(header.utf8)
        let prefix = withUnsafeBytes(of: UInt64(headerBytes.count).littleEndian) { Array($0) } + headerBytes
        try Data(prefix).write(to: url)
        let handle = try FileHandle(forWritingTo: url)
        try handle.truncate(atOffset: UInt64(prefix.count + 2 * bf16Bytes + f32Bytes))
        try handle.close()

        let openStart = DispatchTime.now()
        let file = try SafeTensorsFile(url: url)
        let openSeconds = seconds(since: openStart)
        print(String(format: "open 1 GiB file (%d tensors): %.3f ms", file.names.count, openSeconds * 1000))

        for name in ["a.bf16", "b.f16"] {
            let start = DispatchTime.now()
            var floats = try file.floats(name)
            report("floats(\"\(name)\") (first touch of the pages)", count: floats.count, since: start)
            // Again into the now-resident array: the conversion alone, without page faults.
            let again = DispatchTime.now()
            try floats.withUnsafeMutableBufferPointer { try file.copyFloats(name, into: $0.baseAddress!) }
            report("copyFloats(\"\(name)\") into a resident buffer", count: floats.count, since: again)
        }
    }

    private func report(_ label: String, count: Int, since start: DispatchTime) {
        let elapsed = seconds(since: start)
        print(String(format: "%@, %d elements: %.1f ms, %.2f G elements/s",
                     label, count, elapsed * 1000, Double(count) / elapsed / 1e9))
    }

    private func seconds(since start: DispatchTime) -> Double {
        Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
    }
}
