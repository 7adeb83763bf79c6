import Vision

/// One series (one colour) of a `GroupedBarChart`: a value per category.
public struct BarSeries: Sendable {
    /// Legend text.
    public var name: String
    /// One finite value per category.
    public var values: [Double]
    /// Bar colour; nil takes the palette colour of the series' position.
    public var color: RGBColor?

    /// A series with one value per category.
    public init(name: String, values: [Double], color: RGBColor? = nil) {
        self.name = name
        self.values = values
        self.color = color
    }
}

/// Grouped bars: for every category one bar per series, side by side, from a zero baseline —
/// e.g. per-benchmark accuracy of the baseline and VIRAL.
public struct GroupedBarChart: Sendable {
    /// Text above the chart; empty for none.
    public var title: String
    /// Title of the value axis; empty for none.
    public var yLabel: String
    /// Category names under the groups (wrapped at spaces when long).
    public var categories: [String]
    /// The bar series, one colour each, in legend order.
    public var series: [BarSeries]
    /// Image width in pixels.
    public var width = 800
    /// Image height in pixels.
    public var height = 500
    /// Print each value above its bar.
    public var showsValues = true
    /// Digits after the point of the printed values.
    public var valueDecimals = 2
    /// Fixed value range; nil fits the data (always including 0).
    public var yRange: ClosedRange<Double>?

    /// A chart of `series` over `categories`.
    public init(title: String, yLabel: String, categories: [String], series: [BarSeries]) {
        self.title = title
        self.yLabel = yLabel
        self.categories = categories
        self.series = series
    }

    /// Renders the chart; throws when there are no categories or series, a series has not one
    /// value per category, a value is not finite, or the size is not positive.
    public func render() throws -> RGBImage {
        let element = "bar chart \"\(title)\""
        guard !categories.isEmpty else { throw PlotError.invalidData(element: element, reason: "has no categories") }
        guard !series.isEmpty else { throw PlotError.invalidData(element: element, reason: "has no series") }
        for bars in series {
            guard bars.values.count == categories.count else {
                throw PlotError.invalidData(element: "bar series \"\(bars.name)\"",
                                            reason: "has \(bars.values.count) values for \(categories.count) categories")
            }
            guard bars.values.allSatisfy(\.isFinite) else {
                throw PlotError.invalidData(element: "bar series \"\(bars.name)\"", reason: "has a non-finite value")
            }
        }
        let values = series.flatMap(\.values)
        let yLower = yRange?.lowerBound ?? min(0, values.min()!)
        var yUpper = yRange?.upperBound ?? max(0, values.max()!)
        if yRange == nil && showsValues {
            // Headroom so the value printed above the tallest bar stays inside the plot.
            yUpper += (yUpper - yLower) * 0.08
        }
        let colors = series.indices.map { series[$0].color ?? RGBColor.series($0) }
        let legend = series.indices.map { LegendEntry(name: series[$0].name, color: colors[$0], symbol: .box) }

        let style = ChartStyle.text
        let estimatedGroupWidth = (width - 140) / categories.count
        let labelLines = categories.map { wrapText($0, width: estimatedGroupWidth - 8, style: style).count }.max() ?? 1
        var image = try RGBImage.chartCanvas(width: width, height: height, element: element)
        let frame = CartesianFrame(width: width, height: height, title: title, xLabel: "", yLabel: yLabel, legend: legend,
                                   yLower: yLower, yUpper: yUpper, expandY: yRange == nil,
                                   bottomLabelLines: labelLines, rightPadding: 0)
        let plot = frame.plot
        frame.drawGrid(on: &image)

        let groupWidth = Double(plot.width) / Double(categories.count)
        let barWidth = groupWidth * 0.8 / Double(series.count)
        let baseline = frame.y(max(frame.yScale.lower, min(0, frame.yScale.upper)))
        for (category, name) in categories.enumerated() {
            let groupLeft = Double(plot.x) + Double(category) * groupWidth + groupWidth * 0.1
            for (index, bars) in series.enumerated() {
                let value = bars.values[category]
                let left = Int((groupLeft + Double(index) * barWidth).rounded())
                // A 2-pixel gap keeps neighbouring bars of one group apart.
                let right = Int((groupLeft + Double(index + 1) * barWidth).rounded()) - 2
                let top = max(Double(plot.y), min(Double(plot.bottom), frame.y(value)))
                let upper = Int(min(top, baseline).rounded())
                let lower = Int(max(top, baseline).rounded())
                image.fill(PixelRect(x: left, y: upper, width: max(1, right - left), height: max(1, lower - upper)), colors[index])
                if showsValues {
                    let text = NumberText.fixed(value, decimals: valueDecimals)
                    let label = style.width(of: text) <= right - left + 4 ? style : ChartStyle.smallText
                    let above = value >= 0
                    image.drawText(text, x: (left + right) / 2, y: above ? upper - 3 : lower + 3, style: label,
                                   horizontal: .center, vertical: above ? .bottom : .top)
                }
            }
            let lines = wrapText(name, width: Int(groupWidth) - 8, style: style)
            let center = Int((Double(plot.x) + (Double(category) + 0.5) * groupWidth).rounded())
            for (line, text) in lines.enumerated() {
                image.drawText(text, x: center, y: plot.bottom + ChartStyle.axisThickness + ChartStyle.tickLength + ChartStyle.tickGap + line * style.lineHeight,
                               style: style, horizontal: .center)
            }
        }
        frame.drawDecorations(on: &image)
        return image
    }
}
