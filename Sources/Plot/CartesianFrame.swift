import Vision

/// The frame shared by line and bar charts: title, legend, value axis on the left with grid
/// lines, horizontal axis at the bottom, axis titles.
struct CartesianFrame {
    let plot: PixelRect
    let yScale: AxisScale
    private let title: String
    private let xLabel: String
    private let yLabel: String
    private let legend: [LegendEntry]
    private let legendTop: Int

    /// Lays out a `width × height` chart whose bottom band holds `bottomLabelLines` lines of
    /// horizontal-axis labels and whose value axis spans `yLower...yUpper`.
    init(width: Int, height: Int, title: String, xLabel: String, yLabel: String, legend: [LegendEntry],
         yLower: Double, yUpper: Double, expandY: Bool, bottomLabelLines: Int, rightPadding: Int) {
        let style = ChartStyle.text
        var top = ChartStyle.margin
        if !title.isEmpty { top += style.lineHeight + 12 }
        let contentWidth = width - 2 * ChartStyle.margin
        legendTop = top
        let legendHeight = Legend.height(legend, width: contentWidth)
        if legendHeight > 0 { top += legendHeight + 14 }
        top += style.lineHeight / 2  // room for the top tick label, centred on its grid line

        var bottomBand = ChartStyle.tickLength + ChartStyle.tickGap + bottomLabelLines * style.lineHeight
        if !xLabel.isEmpty { bottomBand += 10 + style.lineHeight }
        let plotHeight = max(40, height - top - bottomBand - ChartStyle.margin)
        let targetTicks = max(3, min(8, plotHeight / 60 + 1))
        let scale = AxisScale(lower: yLower, upper: yUpper, targetTicks: targetTicks, expandToTicks: expandY)
        let labelWidth = scale.ticks.map { style.width(of: scale.label($0)) }.max() ?? 0
        var left = ChartStyle.margin + labelWidth + ChartStyle.tickLength + ChartStyle.tickGap
        if !yLabel.isEmpty { left += style.lineHeight + 10 }
        let plotWidth = max(40, width - left - ChartStyle.margin - rightPadding)

        plot = PixelRect(x: left, y: top, width: plotWidth, height: plotHeight)
        yScale = scale
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.legend = legend
    }

    /// Pixel row of value `value` (may lie outside the plot when the value is outside the scale).
    func y(_ value: Double) -> Double {
        yScale.position(of: value, from: Double(plot.bottom), to: Double(plot.y))
    }

    /// Grid lines at the value ticks, drawn before the data.
    func drawGrid(on image: inout RGBImage) {
        for tick in yScale.ticks {
            let row = Int(y(tick).rounded(.down))
            image.fill(PixelRect(x: plot.x, y: row, width: plot.width, height: 1), .gridGray)
        }
    }

    /// Axes, value ticks and labels, titles and legend, drawn after the data.
    func drawDecorations(on image: inout RGBImage) {
        let style = ChartStyle.text
        let thickness = ChartStyle.axisThickness
        image.fill(PixelRect(x: plot.x - thickness, y: plot.y, width: thickness, height: plot.height + thickness), .ink)
        image.fill(PixelRect(x: plot.x - thickness, y: plot.bottom, width: plot.width + thickness, height: thickness), .ink)
        for tick in yScale.ticks {
            let row = Int(y(tick).rounded(.down))
            image.fill(PixelRect(x: plot.x - thickness - ChartStyle.tickLength, y: row, width: ChartStyle.tickLength, height: 1), .ink)
            image.drawText(yScale.label(tick), x: plot.x - thickness - ChartStyle.tickLength - ChartStyle.tickGap, y: row,
                           style: style, horizontal: .right, vertical: .middle)
        }
        if !title.isEmpty {
            image.drawText(title, x: image.width / 2, y: ChartStyle.margin, style: ChartStyle.title, horizontal: .center)
        }
        Legend.draw(legend, on: &image, x: ChartStyle.margin, width: image.width - 2 * ChartStyle.margin, top: legendTop)
        if !xLabel.isEmpty {
            image.drawText(xLabel, x: plot.x + plot.width / 2, y: image.height - ChartStyle.margin,
                           style: style, horizontal: .center, vertical: .bottom)
        }
        if !yLabel.isEmpty {
            image.drawVerticalText(yLabel, centerX: ChartStyle.margin + style.lineHeight / 2,
                                   centerY: plot.y + plot.height / 2, style: style)
        }
    }
}
