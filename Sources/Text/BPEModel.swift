import Foundation
import JSON

/// The BPE `model` of a `tokenizer.json`: vocabulary, ranked merges, and the rules for
/// characters outside the vocabulary (byte fallback, unknown token).
final class BPEModel {
    /// Token string → id.
    let vocabulary: [String: Int]
    /// Id → token string.
    let tokenOfID: [Int: String]
    private let merger: BPEMerger
    private let unknownID: Int?
    private let fusesUnknown: Bool
    /// The ids of `<0x00>`…`<0xFF>` when `byte_fallback` is on (nil entries: not in the vocabulary).
    private let byteFallbackIDs: [Int?]?
    private let ignoresMerges: Bool
    private let continuingSubwordPrefix: String?
    private let endOfWordSuffix: String?
    /// Ids of the one-scalar tokens, to look characters up without building strings.
    private let idOfScalar: [Unicode.Scalar: Int]
    private let cache = WordCache(capacity: 10_000)

    /// Reads a `{"type": "BPE", ...}` model object.
    init(_ node: JSONNode) throws {
        let vocabularyNode = try node.required("vocab")
        let members = try vocabularyNode.members()
        var vocabulary = [String: Int](minimumCapacity: members.count)
        var tokenOfID = [Int: String](minimumCapacity: members.count)
        var idOfScalar: [Unicode.Scalar: Int] = [:]
        for (token, value) in members {
            guard let number = value.doubleValue, number >= 0, number <= Double(Int32.max),
                  number.rounded() == number else {
                throw vocabularyNode.invalid("has a non-integer id for token \"\(token)\"")
            }
            let id = Int(number)
            vocabulary[token] = id
            tokenOfID[id] = token
            var scalars = token.unicodeScalars.makeIterator()
            if let scalar = scalars.next(), scalars.next() == nil { idOfScalar[scalar] = id }
        }
        self.vocabulary = vocabulary
        self.tokenOfID = tokenOfID
        self.idOfScalar = idOfScalar

        if let dropout = try node.optional("dropout")?.double(), dropout > 0 {
            throw TokenizerError.unsupportedComponent(file: node.file, component: "model",
                                                      type: "BPE with dropout \(dropout)")
        }
        continuingSubwordPrefix = try node.string("continuing_subword_prefix")
        endOfWordSuffix = try node.string("end_of_word_suffix")
        fusesUnknown = try node.bool("fuse_unk", default: false)
        ignoresMerges = try node.bool("ignore_merges", default: false)
        if let unknownNode = node.optional("unk_token") {
            let unknown = try unknownNode.string()
            guard let id = vocabulary[unknown] else { throw unknownNode.invalid("is not in the vocabulary") }
            unknownID = id
        } else {
            unknownID = nil
        }
        if try node.bool("byte_fallback", default: false) {
            byteFallbackIDs = (0...255).map { vocabulary[String(format: "<0x%02X>", $0)] }
        } else {
            byteFallbackIDs = nil
        }
        merger = BPEMerger(merges: try Self.readMerges(node.optional("merges"), vocabulary: vocabulary,
                                                       prefix: continuingSubwordPrefix))
    }

    /// Reads merges written as `"a b"` strings or as `["a", "b"]` pairs; the rank is the position
    /// (after skipping `#version` lines), and a pair listed twice keeps its last rank.
    private static func readMerges(_ node: JSONNode?, vocabulary: [String: Int], prefix: String?) throws -> [UInt64: UInt64] {
        guard let node else { return [:] }
        let items = try node.array()
        let prefixLength = prefix?.utf8.count ?? 0
        var merges = [UInt64: UInt64](minimumCapacity: items.count)
        var rank = 0
        for item in items {
            let left: String
            let right: String
            switch item.value {
            case .string(let line):
                if line.hasPrefix("#version") { continue }
                let parts = line.split(separator: " ", omittingEmptySubsequences: false)
                guard parts.count == 2 else { throw item.invalid("must be two tokens separated by one space") }
                left = String(parts[0])
                right = String(parts[1])
            case .array(let pair):
                guard pair.count == 2, case .string(let first) = pair[0], case .string(let second) = pair[1] else {
                    throw item.invalid("must be a pair of token strings")
                }
                left = first
                right = second
            default:
                throw item.invalid("must be a string \"a b\" or a pair [\"a\", \"b\"]")
            }
            let merged = left + String(decoding: right.utf8.dropFirst(prefixLength), as: UTF8.self)
            guard let leftID = vocabulary[left] else { throw item.invalid("uses token \"\(left)\" that is not in the vocabulary") }
            guard let rightID = vocabulary[right] else { throw item.invalid("uses token \"\(right)\" that is not in the vocabulary") }
            guard let mergedID = vocabulary[merged] else { throw item.invalid("makes token \"\(merged)\" that is not in the vocabulary") }
            merges[BPEMerger.pairKey(leftID, rightID)] = BPEMerger.mergeValue(rank: rank, newID: mergedID)
            rank += 1
        }
        return merges
    }

    /// Appends the token ids of one pre-tokenized word.
    func tokenize(_ word: [Unicode.Scalar], into ids: inout [Int]) {
        guard !word.isEmpty else { return }
        let key = String(String.UnicodeScalarView(word))
        if ignoresMerges, let id = vocabulary[key] {
            ids.append(id)
            return
        }
        if let cached = cache.value(for: key) {
            ids.append(contentsOf: cached)
            return
        }
        let result = merger.merge(initialSymbols(of: word))
        // Like the library, long words (a whole Llama sentence is one word) are not cached.
        if key.utf8.count < 256 { cache.store(result, for: key) }
        ids.append(contentsOf: result)
    }

    /// One symbol per scalar (with prefix/suffix decorations), falling back to byte tokens and
    /// then to the unknown token, in the order `BPE::merge_word` of the library adds them.
    private func initialSymbols(of word: [Unicode.Scalar]) -> [Int] {
        var ids: [Int] = []
        ids.reserveCapacity(word.count)
        var pendingUnknown: Int?
        for (index, scalar) in word.enumerated() {
            let isFirst = index == 0
            let isLast = index == word.count - 1
            let decorated = (!isFirst && continuingSubwordPrefix != nil) || (isLast && endOfWordSuffix != nil)
            var text: String?
            let id: Int?
            if decorated {
                var piece = String(scalar)
                if !isFirst, let prefix = continuingSubwordPrefix { piece = prefix + piece }
                if isLast, let suffix = endOfWordSuffix { piece += suffix }
                text = piece
                id = vocabulary[piece]
            } else {
                id = idOfScalar[scalar]
            }
            if let id {
                if let unknown = pendingUnknown {
                    ids.append(unknown)
                    pendingUnknown = nil
                }
                ids.append(id)
                continue
            }
            if let byteFallbackIDs {
                let bytes = Array((text ?? String(scalar)).utf8)
                let byteIDs = bytes.compactMap { byteFallbackIDs[Int($0)] }
                if byteIDs.count == bytes.count {
                    // Like the library, a pending unknown token is not flushed here.
                    ids.append(contentsOf: byteIDs)
                    continue
                }
            }
            guard let unknownID else { continue }
            if let unknown = pendingUnknown, !fusesUnknown { ids.append(unknown) }
            pendingUnknown = unknownID
        }
        if let unknown = pendingUnknown { ids.append(unknown) }
        return ids
    }
}

/// A bounded, thread-safe cache of tokenized words (the library's BPE cache also holds 10,000
/// words and simply stops inserting when full).
final class WordCache: @unchecked Sendable {
    private let capacity: Int
    private var entries: [String: [Int]] = [:]
    private let lock = NSLock()

    init(capacity: Int) {
        self.capacity = capacity
    }

    func value(for key: String) -> [Int]? {
        lock.lock()
        defer { lock.unlock() }
        return entries[key]
    }

    func store(_ value: [Int], for key: String) {
        lock.lock()
        defer { lock.unlock() }
        if entries.count < capacity { entries[key] = value }
    }
}
