/// The GPT-2 byte-to-character table: every byte gets a printable character so that byte-level
/// BPE tokens are ordinary strings (`Ġ` for the space byte, `Ċ` for a line feed).
enum ByteLevelAlphabet {
    /// The character standing for each byte value.
    static let characterOfByte: [Unicode.Scalar] = {
        let printable: [UInt8] = Array(UInt8(ascii: "!")...UInt8(ascii: "~")) + Array(0xA1...0xAC) + Array(0xAE...0xFF)
        var characters = [Unicode.Scalar](repeating: " ", count: 256)
        for byte in printable { characters[Int(byte)] = Unicode.Scalar(byte) }
        var next: UInt32 = 256
        for byte in 0...255 where !printable.contains(UInt8(byte)) {
            characters[byte] = Unicode.Scalar(next)!
            next += 1
        }
        return characters
    }()

    /// The byte each table character stands for.
    static let byteOfCharacter: [Unicode.Scalar: UInt8] = {
        var bytes: [Unicode.Scalar: UInt8] = [:]
        for (byte, character) in characterOfByte.enumerated() { bytes[character] = UInt8(byte) }
        return bytes
    }()

    /// The UTF-8 bytes of `scalars`, each written as its table character.
    static func encode(_ scalars: [Unicode.Scalar]) -> [Unicode.Scalar] {
        var result: [Unicode.Scalar] = []
        result.reserveCapacity(scalars.count)
        for scalar in scalars {
            UTF8.encode(scalar) { result.append(characterOfByte[Int($0)]) }
        }
        return result
    }
}
