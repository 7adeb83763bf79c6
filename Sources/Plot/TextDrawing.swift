import Vision

/// Where a text's anchor point sits horizontally on the text.
enum HorizontalAnchor {
    case left, center, right
}

/// Where a text's anchor point sits vertically on the text.
enum VerticalAnchor {
    case top, middle, bottom
}

/// Text in the built-in bitmap font (`FixedFont`), enlarged by an integer factor.
struct TextStyle {
    /// Font pixels per glyph pixel; 2 gives 12 × 20 pixel characters.
    var scale: Int = 2
    var color: RGBColor = .ink
    /// Draw every glyph twice, one pixel apart, for a heavier stroke (titles).
    var bold = false

    /// Width of `text` in image pixels (one line).
    func width(of text: String) -> Int { text.count * FixedFont.cellWidth * scale }

    /// Height of one line in image pixels.
    var lineHeight: Int { FixedFont.cellHeight * scale }
}

extension RGBImage {
    /// Draws one line of `text` horizontally with the given anchor at (`x`, `y`).
    mutating func drawText(_ text: String, x: Int, y: Int, style: TextStyle,
                           horizontal: HorizontalAnchor = .left, vertical: VerticalAnchor = .top) {
        let width = style.width(of: text)
        let left = x - (horizontal == .left ? 0 : horizontal == .center ? width / 2 : width)
        let top = y - (vertical == .top ? 0 : vertical == .middle ? style.lineHeight / 2 : style.lineHeight)
        for (position, character) in text.enumerated() {
            let originX = left + position * FixedFont.cellWidth * style.scale
            for (row, bits) in FixedFont.rows(of: character).enumerated() where bits != 0 {
                for column in 0..<FixedFont.cellWidth where bits & (0x80 >> UInt8(column)) != 0 {
                    fill(PixelRect(x: originX + column * style.scale, y: top + row * style.scale,
                                   width: style.scale + (style.bold ? 1 : 0), height: style.scale), style.color)
                }
            }
        }
    }

    /// Draws one line of `text` rotated a quarter turn anticlockwise (read from bottom to top),
    /// centred on (`centerX`, `centerY`): for vertical axis titles.
    mutating func drawVerticalText(_ text: String, centerX: Int, centerY: Int, style: TextStyle) {
        let length = style.width(of: text)
        let left = centerX - style.lineHeight / 2
        let bottom = centerY + length / 2
        for (position, character) in text.enumerated() {
            let advance = position * FixedFont.cellWidth * style.scale
            for (row, bits) in FixedFont.rows(of: character).enumerated() where bits != 0 {
                for column in 0..<FixedFont.cellWidth where bits & (0x80 >> UInt8(column)) != 0 {
                    // Glyph column → upwards, glyph row → rightwards.
                    fill(PixelRect(x: left + row * style.scale,
                                   y: bottom - advance - (column + 1) * style.scale,
                                   width: style.scale, height: style.scale), style.color)
                }
            }
        }
    }
}

/// Splits text into lines no wider than `width` pixels, at spaces where possible.
func wrapText(_ text: String, width: Int, style: TextStyle) -> [String] {
    let maximum = max(1, width / (FixedFont.cellWidth * style.scale))
    var lines: [String] = []
    var current = ""
    for word in text.split(separator: " ", omittingEmptySubsequences: true).map(String.init) {
        var word = word
        while word.count > maximum {
            if !current.isEmpty {
                lines.append(current)
                current = ""
            }
            lines.append(String(word.prefix(maximum)))
            word = String(word.dropFirst(maximum))
        }
        if current.isEmpty {
            current = word
        } else if current.count + 1 + word.count <= maximum {
            current += " " + word
        } else {
            lines.append(current)
            current = word
        }
    }
    if !current.isEmpty { lines.append(current) }
    return lines
}
