import Foundation
import Text
import Vision
import XCTest
@testable import Training

/// Test fixtures: `llava/tokenizer.json` (+ `tokenizer_config.json`) is the Llama-style tokenizer
/// of the shared `llava` fixture (`<image>` = 319, BOS 1, EOS 2, pad = unk = 0);
/// `qwen-style.json` is the shared byte-level BPE tokenizer with `<|im_start|>` 1, `<|im_end|>` 2
/// and `<image>` 1000. `template-references.json` is made by `make_template_references.py`.
enum Fixtures {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    static func llamaTokenizer() throws -> Tokenizer {
        try Tokenizer(contentsOf: folder.appendingPathComponent("llava/tokenizer.json"))
    }

    static func qwenTokenizer() throws -> Tokenizer {
        try Tokenizer(contentsOf: folder.appendingPathComponent("qwen-style.json"))
    }
}

/// LLaVA's IMAGE_TOKEN_INDEX.
let llavaImageIndex = -200

/// The context LLaVA's training code would use for the Llama-style fixture tokenizer.
func llamaContext(_ tokenizer: Tokenizer, imageTokenID: Int = llavaImageIndex) -> TemplateContext {
    TemplateContext(tokenizer: tokenizer, imageTokenID: imageTokenID, padTokenID: 0, modelMaxLength: 2048)
}

/// The context for the Qwen-style fixture tokenizer (pad = `<|endoftext|>` = 0).
func qwenContext(_ tokenizer: Tokenizer) -> TemplateContext {
    TemplateContext(tokenizer: tokenizer, imageTokenID: llavaImageIndex, padTokenID: 0, modelMaxLength: 2048)
}

/// A conversation as LLaVA's preprocessing leaves it, built from (speaker, text) pairs.
func conversation(_ turns: [(Speaker, String)], hasImage: Bool) throws -> Conversation {
    let record = ConversationRecord(id: "test", image: hasImage ? "image.png" : nil,
                                    turns: turns.map { ConversationTurn($0.0, $0.1) },
                                    location: RecordLocation(file: "test", index: 0))
    return try Conversation.normalizing(record).get()
}

/// The learned positions' tokens, one string per run of consecutive learned positions, each the
/// concatenation of the tokens' vocabulary strings (so "▁" and byte tokens stay visible).
func learnedTokenRuns(_ encoded: EncodedConversation, _ tokenizer: Tokenizer) -> [String] {
    var runs: [String] = []
    var current: String?
    for label in encoded.labels {
        if label == ignoredLabel {
            if let run = current { runs.append(run) }
            current = nil
        } else {
            current = (current ?? "") + (tokenizer.token(for: label) ?? "<\(label)>")
        }
    }
    if let run = current { runs.append(run) }
    return runs
}

/// A folder in the temporary directory, removed when the object goes away.
final class TemporaryFolder {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("viral-training-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(at: url)
    }

    /// Writes `text` to `name` (sub-folders created) and returns its URL.
    @discardableResult
    func write(_ text: String, to name: String) throws -> URL {
        let file = url.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: file)
        return file
    }

    /// Writes a PNG with a horizontal gradient over `color` (so resizing and padding change
    /// the pixel values) and returns its path.
    @discardableResult
    func writePNG(_ name: String, width: Int, height: Int, color: RGBColor) throws -> String {
        var pixels: [UInt8] = []
        for _ in 0..<height {
            for x in 0..<width {
                let shade = UInt8(x * 255 / max(width - 1, 1))
                pixels += [color.red / 2 + shade / 2, color.green / 2 + shade / 2, color.blue]
            }
        }
        let path = url.appendingPathComponent(name).path
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        try RGBImage(width: width, height: height, pixels: pixels).writePNG(to: path)
        return path
    }
}

/// One JSON record line of a conversation file.
func recordJSON(id: Any?, image: String?, turns: [(String, String)]) throws -> String {
    var object: [String: Any] = ["conversations": turns.map { ["from": $0.0, "value": $0.1] }]
    if let id { object["id"] = id }
    if let image { object["image"] = image }
    let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
    return String(decoding: data, as: UTF8.self)
}
