import Vision

/// One entry of a chart legend.
struct LegendEntry {
    enum Symbol {
        /// A line sample, with a marker disc if `marker`.
        case line(marker: Bool)
        /// A filled square (bars, areas).
        case box
    }

    let name: String
    let color: RGBColor
    let symbol: Symbol
}

/// Legends sit in rows between the title and the plot area, so they never cover data.
enum Legend {
    private static let sampleWidth = 32
    private static let sampleGap = 8
    private static let entryGap = 28
    private static let rowGap = 6

    /// Entries per row when laid out within `width` pixels.
    static func rows(_ entries: [LegendEntry], width: Int) -> [[LegendEntry]] {
        var rows: [[LegendEntry]] = []
        var current: [LegendEntry] = []
        var used = 0
        for entry in entries {
            let size = entryWidth(entry)
            if !current.isEmpty && used + entryGap + size > width {
                rows.append(current)
                current = []
                used = 0
            }
            used += (current.isEmpty ? 0 : entryGap) + size
            current.append(entry)
        }
        if !current.isEmpty { rows.append(current) }
        return rows
    }

    /// Height of the legend laid out within `width` pixels (0 without entries).
    static func height(_ entries: [LegendEntry], width: Int) -> Int {
        let count = rows(entries, width: width).count
        return count == 0 ? 0 : count * ChartStyle.text.lineHeight + (count - 1) * rowGap
    }

    /// Draws the legend centred in the band `x..<x+width` starting at `top`.
    static func draw(_ entries: [LegendEntry], on image: inout RGBImage, x: Int, width: Int, top: Int) {
        let style = ChartStyle.text
        for (index, row) in rows(entries, width: width).enumerated() {
            let total = row.map(entryWidth).reduce(0, +) + entryGap * (row.count - 1)
            var left = x + (width - total) / 2
            let middle = top + index * (style.lineHeight + rowGap) + style.lineHeight / 2
            for entry in row {
                switch entry.symbol {
                case let .line(marker):
                    let clip = PixelRect(x: 0, y: 0, width: image.width, height: image.height)
                    image.drawPolyline([PixelPoint(x: Double(left), y: Double(middle)),
                                        PixelPoint(x: Double(left + sampleWidth), y: Double(middle))],
                                       color: entry.color, width: 3, clip: clip)
                    if marker {
                        image.fillCircle(center: PixelPoint(x: Double(left) + Double(sampleWidth) / 2, y: Double(middle)),
                                         radius: 4.5, color: entry.color, clip: clip)
                    }
                case .box:
                    image.fill(PixelRect(x: left + 8, y: middle - 8, width: 16, height: 16), entry.color)
                }
                image.drawText(entry.name, x: left + sampleWidth + sampleGap, y: middle, style: style, vertical: .middle)
                left += entryWidth(entry) + entryGap
            }
        }
    }

    private static func entryWidth(_ entry: LegendEntry) -> Int {
        sampleWidth + sampleGap + ChartStyle.text.width(of: entry.name)
    }
}
