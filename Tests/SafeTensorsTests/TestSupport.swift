import Foundation
import SafeTensors
import XCTest

/// Locations of the test fixtures.
enum Fixtures {
    /// The fixtures copied into this test target (from /work/shared/fixtures, made with PyTorch
    /// 2.x `save_pretrained` / `safetensors.torch.save_file`).
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures")

    /// The project's full shared fixture folder; tests that use it are skipped where it is absent.
    static let sharedDirectory = URL(fileURLWithPath: "/work/shared/fixtures")

    static func url(_ relativePath: String) -> URL {
        directory.appendingPathComponent(relativePath)
    }

    /// Every `.safetensors` file under `root`, sorted by path.
    static func safetensorsFiles(under root: URL) -> [URL] {
        let enumerator = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)
        let urls = (enumerator?.allObjects as? [URL]) ?? []
        return urls.filter { $0.pathExtension == "safetensors" }.sorted { $0.path < $1.path }
    }
}

/// A test case with a fresh temporary directory, removed after each test.
class TemporaryDirectoryTestCase: XCTestCase {
    private(set) var temporaryDirectory: URL!

    override func setUpWithError() throws {
        temporaryDirectory = FileManager.default.temporaryDirectory
            .appendingPathComponent("SafeTensorsTests-" + UUID().uuidString)
        try FileManager.default.createDirectory(at: temporaryDirectory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try FileManager.default.removeItem(at: temporaryDirectory)
    }

    /// Writes `bytes` to a file of that name in the temporary directory.
    func writeFile(_ name: String, bytes: [UInt8]) throws -> URL {
        let url = temporaryDirectory.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url
    }

    /// The bytes of a safetensors file with `header` as its JSON text (unpadded) and `data` as
    /// its buffer; `declaredHeaderLength` overrides the length prefix.
    func safetensorsBytes(header: String, data: [UInt8], declaredHeaderLength: UInt64? = nil) -> [UInt8] {
        let headerBytes = Array(header.utf8)
        let length = declaredHeaderLength ?? UInt64(headerBytes.count)
        return withUnsafeBytes(of: length.littleEndian) { Array($0) } + headerBytes + data
    }

    /// Asserts that opening `url` throws a `SafeTensorsError` whose message contains every fragment.
    func assertOpeningFails(
        _ url: URL, mentioning fragments: [String], file: StaticString = #filePath, line: UInt = #line
    ) {
        XCTAssertThrowsError(try SafeTensorsFile(url: url), file: file, line: line) { error in
            guard let error = error as? SafeTensorsError else {
                return XCTFail("unexpected error type \(type(of: error)): \(error)", file: file, line: line)
            }
            for fragment in fragments {
                XCTAssertTrue(
                    error.description.contains(fragment),
                    "'\(error.description)' does not mention '\(fragment)'", file: file, line: line)
            }
        }
    }
}

/// A deterministic pseudo-random generator (SplitMix64), so that failures reproduce.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// The header JSON of a safetensors file, parsed independently of the library with Foundation.
func foundationHeader(of url: URL) throws -> (header: [String: Any], dataOffset: Int, bytes: Data) {
    let bytes = try Data(contentsOf: url)
    let length = bytes.prefix(8).enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
    let json = try JSONSerialization.jsonObject(with: bytes.subdata(in: 8..<(8 + length)))
    return (json as! [String: Any], 8 + length, bytes)
}
