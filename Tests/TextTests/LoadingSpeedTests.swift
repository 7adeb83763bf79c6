import Foundation
import XCTest
@testable import Text

/// Loading a tokenizer of real size: a synthetic Qwen2-style file with a 150k vocabulary and
/// 150k merges. Prints the time (the goal is under a second in release builds; no assertion, as
/// timings depend on the machine) and checks the loaded tokenizer round-trips text.
final class LoadingSpeedTests: XCTestCase {
    private static let mergeCount = 150_000

    /// A deterministic pseudo-random generator (64-bit LCG), so the file is the same every run.
    private struct Generator {
        var state: UInt64
        mutating func next(below bound: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(bound))
        }
    }

    private static func escaped(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case _ where scalar.value < 0x20: result += String(format: "\\u%04x", scalar.value)
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }

    /// Writes the synthetic `tokenizer.json` and returns its URL and its vocabulary.
    private func writeSyntheticFile() throws -> (URL, [String]) {
        var tokens = ByteLevelAlphabet.characterOfByte.map { String($0) }
        var known = Set(tokens)
        var shortTokens = Array(tokens.indices)
        var merges: [(Int, Int)] = []
        var generator = Generator(state: 42)
        while merges.count < Self.mergeCount {
            let left = shortTokens[generator.next(below: shortTokens.count)]
            let right = shortTokens[generator.next(below: shortTokens.count)]
            let merged = tokens[left] + tokens[right]
            guard known.insert(merged).inserted else { continue }
            merges.append((left, right))
            if merged.unicodeScalars.count <= 6 { shortTokens.append(tokens.count) }
            tokens.append(merged)
        }
        let pattern = Self.escaped(PatternScanners.qwen2Pattern)
        var json = #"{"version":"1.0","truncation":null,"padding":null,"added_tokens":["#
        json += (0..<20).map { index in
            #"{"id":\#(tokens.count + index),"content":"<|extra_\#(index)|>","single_word":false,"lstrip":false,"rstrip":false,"normalized":false,"special":true}"#
        }.joined(separator: ",")
        json += #"],"normalizer":{"type":"NFC"},"pre_tokenizer":{"type":"Sequence","pretokenizers":[{"type":"Split","pattern":{"Regex":\#(pattern)},"behavior":"Isolated","invert":false},{"type":"ByteLevel","add_prefix_space":false,"trim_offsets":false,"use_regex":false}]},"post_processor":{"type":"ByteLevel","add_prefix_space":false,"trim_offsets":false,"use_regex":false},"decoder":{"type":"ByteLevel","add_prefix_space":false,"trim_offsets":false,"use_regex":false},"model":{"type":"BPE","dropout":null,"unk_token":null,"continuing_subword_prefix":null,"end_of_word_suffix":null,"fuse_unk":false,"byte_fallback":false,"ignore_merges":false,"vocab":{"#
        json += tokens.enumerated().map { "\(Self.escaped($1)):\($0)" }.joined(separator: ",")
        json += #"},"merges":["#
        json += merges.map { "[\(Self.escaped(tokens[$0.0])),\(Self.escaped(tokens[$0.1]))]" }.joined(separator: ",")
        json += "]}}"
        let url = try makeTemporaryFolder(for: self).appendingPathComponent("tokenizer.json")
        try Data(json.utf8).write(to: url)
        return (url, tokens)
    }

    func testLoadsA150kVocabularyQuicklyAndRoundTrips() throws {
        let (url, tokens) = try writeSyntheticFile()
        let fileSize = try FileManager.default.attributesOfItem(atPath: url.path)[.size] as! Int

        let start = Date()
        let tokenizer = try Tokenizer(contentsOf: url)
        let loadSeconds = Date().timeIntervalSince(start)
        print(String(format: "Loaded a %d-token, %d-merge tokenizer.json (%.1f MB) in %.3f s",
                     tokens.count, Self.mergeCount, Double(fileSize) / 1e6, loadSeconds))

        XCTAssertEqual(tokenizer.vocabularySize, tokens.count + 20)
        XCTAssertEqual(tokenizer.id(for: tokens[150_000]), 150_000)
        XCTAssertEqual(tokenizer.token(for: tokens.count + 3), "<|extra_3|>")

        let sample = "The quick brown fox — naïve café, 日本語 and 🐕 emoji!\n\tNumbers 12345 <|extra_7|> end. "
        let text = String(repeating: sample, count: 400)
        let encodeStart = Date()
        let ids = tokenizer.encode(text)
        print(String(format: "Encoded %d characters into %d tokens in %.3f s",
                     text.count, ids.count, Date().timeIntervalSince(encodeStart)))
        XCTAssertEqual(ids.filter { $0 == tokens.count + 7 }.count, 400)
        XCTAssertLessThan(ids.count, text.utf8.count)
        XCTAssertEqual(tokenizer.decode(ids), text)
    }
}
