/// The `post_processor` of a `tokenizer.json`: adds special tokens around an encoded sequence.
indirect enum PostProcessor {
    /// The `single` template: a list of fixed token ids and the place of the sequence.
    case template([TemplatePiece])
    /// Only adjusts offsets in the library, which this tokenizer does not report.
    case byteLevel
    case sequence([PostProcessor])

    /// One item of a `TemplateProcessing` template.
    enum TemplatePiece {
        case specialTokens([Int])
        case sequence
    }

    /// Reads a post-processor object.
    init(_ node: JSONNode) throws {
        let type = try node.required("type").string()
        switch type {
        case "TemplateProcessing":
            self = .template(try Self.readTemplate(node))
        case "ByteLevel":
            self = .byteLevel
        case "Sequence":
            self = .sequence(try node.required("processors").array().map(PostProcessor.init))
        default:
            throw TokenizerError.unsupportedComponent(file: node.file, component: "post_processor", type: type)
        }
    }

    private static func readTemplate(_ node: JSONNode) throws -> [TemplatePiece] {
        let specialTokens = try node.required("special_tokens")
        return try node.required("single").array().map { item in
            if let special = item.optional("SpecialToken") {
                let name = try special.required("id").string()
                guard let entry = specialTokens.optional(name) else {
                    throw special.invalid("names \"\(name)\", which is not in special_tokens")
                }
                return .specialTokens(try entry.required("ids").array().map { try $0.int() })
            }
            if item.optional("Sequence") != nil { return .sequence }
            throw item.invalid("must be a SpecialToken or a Sequence")
        }
    }

    /// The final ids of an encoded single sequence.
    func process(_ ids: [Int], addSpecialTokens: Bool) -> [Int] {
        switch self {
        case .template(let pieces):
            guard addSpecialTokens else { return ids }
            return pieces.flatMap { piece -> [Int] in
                switch piece {
                case .specialTokens(let tokenIDs): return tokenIDs
                case .sequence: return ids
                }
            }
        case .byteLevel:
            return ids
        case .sequence(let processors):
            return processors.reduce(ids) { $1.process($0, addSpecialTokens: addSpecialTokens) }
        }
    }
}
