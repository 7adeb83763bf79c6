/// A string as JSON text, escaped as serde_json and Python's `json.dumps` do: `"`, `\` and
/// control characters (short forms where JSON has them, else `\u00xx`). With `asciiOnly`, every
/// non-ASCII character becomes `\uxxxx` (UTF-16, surrogate pairs beyond the BMP) as with Python's
/// default `ensure_ascii=True`; otherwise it is written as UTF-8, as serde_json does.
func jsonQuoted(_ string: String, asciiOnly: Bool = false) -> String {
    var result = "\""
    for scalar in string.unicodeScalars {
        switch scalar {
        case "\"": result += "\\\""
        case "\\": result += "\\\\"
        case "\n": result += "\\n"
        case "\r": result += "\\r"
        case "\t": result += "\\t"
        case "\u{08}": result += "\\b"
        case "\u{0C}": result += "\\f"
        default:
            if scalar.value < 0x20 || (asciiOnly && scalar.value >= 0x80) {
                for unit in String(scalar).utf16 { result += unicodeEscape(unit) }
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
    }
    return result + "\""
}

private func unicodeEscape(_ unit: UInt16) -> String {
    let hex = String(unit, radix: 16)
    return "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
}
