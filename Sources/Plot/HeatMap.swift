import Vision

/// A heat map of a matrix with a colour bar, e.g. spatial entropy per layer (rows) × head
/// (columns). Non-finite cells (an entropy of +∞ for a map without focus) are drawn light grey
/// and left out of the colour range.
public struct HeatMap: Sendable {
    /// Text above the chart; empty for none.
    public var title: String
    /// Title of the horizontal axis (columns), e.g. "Head".
    public var xLabel: String
    /// Title of the vertical axis (rows), e.g. "Layer".
    public var yLabel: String
    /// Title beside the colour bar, e.g. "Spatial entropy"; empty for none.
    public var colorBarLabel: String
    /// `values[row][column]`; all rows equally long.
    public var values: [[Double]]
    /// Colours from the low to the high end of `valueRange`.
    public var colorScale = ColorScale.viridis
    /// Values mapped to the ends of the colour scale; nil takes the finite data's min and max.
    public var valueRange: ClosedRange<Double>?
    /// Row 0 at the top (as matplotlib's imshow); false puts it at the bottom.
    public var firstRowAtTop = true
    /// Image width in pixels.
    public var width = 800
    /// Image height in pixels.
    public var height = 500

    /// Colour of non-finite cells.
    public static let missingColor = RGBColor(hex: 0xD7D7D7)

    /// A heat map of `values` (rows × columns).
    public init(title: String, xLabel: String, yLabel: String, colorBarLabel: String = "", values: [[Double]]) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.colorBarLabel = colorBarLabel
        self.values = values
    }

    /// Renders the heat map; throws when the matrix is empty or ragged or the size is not positive.
    public func render() throws -> RGBImage {
        let element = "heat map \"\(title)\""
        guard let columns = values.first?.count, columns > 0 else {
            throw PlotError.invalidData(element: element, reason: "has no values")
        }
        if let row = values.firstIndex(where: { $0.count != columns }) {
            throw PlotError.invalidData(element: element, reason: "row \(row) has \(values[row].count) values, row 0 has \(columns)")
        }
        let rows = values.count
        let finite = values.flatMap { $0 }.filter(\.isFinite)
        let low = valueRange?.lowerBound ?? finite.min() ?? 0
        let high = valueRange?.upperBound ?? finite.max() ?? 1
        let colorBar = AxisScale(lower: low, upper: high, targetTicks: 6, expandToTicks: false)
        let style = ChartStyle.text

        // Layout: [y title][row labels][cells] [bar][bar labels][bar title]
        let rowScale = AxisScale(lower: 0, upper: Double(max(rows - 1, 1)), targetTicks: min(rows, 9), expandToTicks: false)
        let columnScale = AxisScale(lower: 0, upper: Double(max(columns - 1, 1)), targetTicks: min(columns, 9), expandToTicks: false)
        let rowTicks = integerTicks(rowScale, count: rows)
        let columnTicks = integerTicks(columnScale, count: columns)
        let rowLabelWidth = rowTicks.map { style.width(of: String($0)) }.max() ?? 0
        let barLabelWidth = colorBar.ticks.map { style.width(of: colorBar.label($0)) }.max() ?? 0

        var top = ChartStyle.margin
        if !title.isEmpty { top += style.lineHeight + 16 }
        var left = ChartStyle.margin + rowLabelWidth + ChartStyle.tickLength + ChartStyle.tickGap
        if !yLabel.isEmpty { left += style.lineHeight + 10 }
        var right = ChartStyle.margin + 24 + ChartStyle.tickLength + ChartStyle.tickGap + barLabelWidth + 24
        if !colorBarLabel.isEmpty { right += style.lineHeight + 10 }
        var bottom = ChartStyle.margin + ChartStyle.tickLength + ChartStyle.tickGap + style.lineHeight
        if !xLabel.isEmpty { bottom += style.lineHeight + 10 }
        let plot = PixelRect(x: left, y: top + style.lineHeight / 2, width: max(20, width - left - right),
                             height: max(20, height - top - style.lineHeight / 2 - bottom))

        var image = try RGBImage.chartCanvas(width: width, height: height, element: element)
        let cellWidth = Double(plot.width) / Double(columns)
        let cellHeight = Double(plot.height) / Double(rows)
        let rowTop = { (row: Int) -> Double in
            Double(plot.y) + Double(self.firstRowAtTop ? row : rows - 1 - row) * cellHeight
        }
        for row in 0..<rows {
            let y0 = Int(rowTop(row).rounded())
            let y1 = Int((rowTop(row) + cellHeight).rounded())
            for column in 0..<columns {
                let x0 = Int((Double(plot.x) + Double(column) * cellWidth).rounded())
                let x1 = Int((Double(plot.x) + Double(column + 1) * cellWidth).rounded())
                let value = values[row][column]
                let color = value.isFinite ? colorScale.color(at: high > low ? (value - low) / (high - low) : 0.5) : Self.missingColor
                image.fill(PixelRect(x: x0, y: y0, width: x1 - x0, height: y1 - y0), color)
            }
        }
        image.stroke(PixelRect(x: plot.x - 1, y: plot.y - 1, width: plot.width + 2, height: plot.height + 2), .ink)

        for row in rowTicks {
            let center = Int((rowTop(row) + cellHeight / 2).rounded())
            image.fill(PixelRect(x: plot.x - 1 - ChartStyle.tickLength, y: center, width: ChartStyle.tickLength, height: 1), .ink)
            image.drawText(String(row), x: plot.x - 1 - ChartStyle.tickLength - ChartStyle.tickGap, y: center,
                           style: style, horizontal: .right, vertical: .middle)
        }
        for column in columnTicks {
            let center = Int((Double(plot.x) + (Double(column) + 0.5) * cellWidth).rounded())
            image.fill(PixelRect(x: center, y: plot.bottom + 1, width: 1, height: ChartStyle.tickLength), .ink)
            image.drawText(String(column), x: center, y: plot.bottom + 1 + ChartStyle.tickLength + ChartStyle.tickGap,
                           style: style, horizontal: .center)
        }

        let bar = PixelRect(x: plot.right + 24, y: plot.y, width: 24, height: plot.height)
        for y in 0..<bar.height {
            let position = 1 - (Double(y) + 0.5) / Double(bar.height)
            image.fill(PixelRect(x: bar.x, y: bar.y + y, width: bar.width, height: 1), colorScale.color(at: position))
        }
        image.stroke(PixelRect(x: bar.x - 1, y: bar.y - 1, width: bar.width + 2, height: bar.height + 2), .ink)
        for tick in colorBar.ticks {
            let y = Int(colorBar.position(of: tick, from: Double(bar.bottom), to: Double(bar.y)).rounded(.down))
            image.fill(PixelRect(x: bar.right + 1, y: y, width: ChartStyle.tickLength, height: 1), .ink)
            image.drawText(colorBar.label(tick), x: bar.right + 1 + ChartStyle.tickLength + ChartStyle.tickGap, y: y,
                           style: style, vertical: .middle)
        }

        if !title.isEmpty {
            image.drawText(title, x: width / 2, y: ChartStyle.margin, style: ChartStyle.title, horizontal: .center)
        }
        if !xLabel.isEmpty {
            image.drawText(xLabel, x: plot.x + plot.width / 2, y: height - ChartStyle.margin, style: style,
                           horizontal: .center, vertical: .bottom)
        }
        if !yLabel.isEmpty {
            image.drawVerticalText(yLabel, centerX: ChartStyle.margin + style.lineHeight / 2, centerY: plot.y + plot.height / 2, style: style)
        }
        if !colorBarLabel.isEmpty {
            image.drawVerticalText(colorBarLabel, centerX: width - ChartStyle.margin - style.lineHeight / 2,
                                   centerY: plot.y + plot.height / 2, style: style)
        }
        return image
    }

    /// Whole-number ticks of `scale` (step at least 1) below `count`.
    private func integerTicks(_ scale: AxisScale, count: Int) -> [Int] {
        let step = max(1, Int(scale.step.rounded()))
        return Array(stride(from: 0, to: count, by: step))
    }
}
