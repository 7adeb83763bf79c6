import Foundation
import JSON

/// The parts of a transformers `tokenizer_config.json` that a model runner needs.
public struct TokenizerConfiguration: Equatable, Sendable {
    /// The beginning-of-sequence token text, if any.
    public var bosToken: String?
    /// The end-of-sequence token text, if any.
    public var eosToken: String?
    /// The padding token text, if any.
    public var padToken: String?
    /// The unknown token text, if any.
    public var unknownToken: String?
    /// The Jinja chat template, verbatim (the one named "default" when the file lists several).
    public var chatTemplate: String?
    /// The longest input the model takes; nil when absent or set to transformers' "no limit"
    /// placeholder (1e30).
    public var modelMaxLength: Int?

    /// A configuration with the given values.
    public init(bosToken: String? = nil, eosToken: String? = nil, padToken: String? = nil,
                unknownToken: String? = nil, chatTemplate: String? = nil, modelMaxLength: Int? = nil) {
        self.bosToken = bosToken
        self.eosToken = eosToken
        self.padToken = padToken
        self.unknownToken = unknownToken
        self.chatTemplate = chatTemplate
        self.modelMaxLength = modelMaxLength
    }

    /// Reads a `tokenizer_config.json`. Token fields may be strings or `{"content": ...}` objects.
    public init(contentsOf url: URL) throws {
        let root = try loadJSON(url)
        bosToken = try Self.tokenText(root, "bos_token")
        eosToken = try Self.tokenText(root, "eos_token")
        padToken = try Self.tokenText(root, "pad_token")
        unknownToken = try Self.tokenText(root, "unk_token")
        chatTemplate = try Self.chatTemplate(root)
        if let lengthNode = root.optional("model_max_length") {
            let length = try lengthNode.double()
            modelMaxLength = length >= 0 && length < 1e18 ? Int(length) : nil
        }
    }

    private static func tokenText(_ root: JSONNode, _ key: String) throws -> String? {
        guard let node = root.optional(key) else { return nil }
        if case .string(let text) = node.value { return text }
        return try node.required("content").string()
    }

    private static func chatTemplate(_ root: JSONNode) throws -> String? {
        guard let node = root.optional("chat_template") else { return nil }
        if case .string(let template) = node.value { return template }
        for entry in try node.array() where try entry.required("name").string() == "default" {
            return try entry.required("template").string()
        }
        throw node.invalid("lists no template named \"default\"")
    }
}

/// Reads and parses a JSON file, naming the file in every error.
func loadJSON(_ url: URL) throws -> JSONNode {
    let data: Data
    do {
        data = try Data(contentsOf: url)
    } catch {
        throw TokenizerError.unreadableFile(file: url.path, reason: error.localizedDescription)
    }
    do {
        return JSONNode(value: try JSONParser.parse(data), path: "", file: url.path)
    } catch let failure as JSONSyntaxError {
        throw TokenizerError.invalidJSON(file: url.path, byteOffset: failure.offset, reason: failure.problem)
    }
}
