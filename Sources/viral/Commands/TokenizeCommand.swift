import ArgumentParser
import Foundation
import Inspection

/// `viral tokenize`: encodes text to ids or decodes ids to text with a `tokenizer.json`.
struct TokenizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokenize",
        abstract: "Encode text to token ids (a JSON array), or decode ids to text with --decode.")

    @Option(help: "A tokenizer.json (or the folder holding it).")
    var tokenizer: String

    @Flag(help: "Decode ids (a JSON array or comma-separated) instead of encoding text.")
    var decode = false

    @Flag(name: .customLong("no-special-tokens"),
          help: "Encode without the post-processor's special tokens (BOS…); decode skipping special tokens.")
    var noSpecialTokens = false

    @Argument(help: "The text to encode, or the ids to decode.")
    var input: String

    mutating func run() throws {
        let loaded = try TokenizerInspection.loadTokenizer(URL(fileURLWithPath: tokenizer))
        if decode {
            print(try TokenizerInspection.decode(input, with: loaded, skipSpecialTokens: noSpecialTokens))
        } else {
            print(TokenizerInspection.encode(input, with: loaded, addSpecialTokens: !noSpecialTokens))
        }
    }
}
