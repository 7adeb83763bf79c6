import Vision

/// One line of a `LineChart`.
public struct LineSeries: Sendable {
    /// Legend text.
    public var name: String
    /// Horizontal positions (finite).
    public var xs: [Double]
    /// Values; a non-finite value leaves a gap in the line.
    public var ys: [Double]
    /// Line colour; nil takes the palette colour of the series' position.
    public var color: RGBColor?

    /// A series of points (xs[i], ys[i]).
    public init(name: String, xs: [Double], ys: [Double], color: RGBColor? = nil) {
        self.name = name
        self.xs = xs
        self.ys = ys
        self.color = color
    }

    /// A series over x = 0, 1, 2, … (e.g. layer indices).
    public init(name: String, values: [Double], color: RGBColor? = nil) {
        self.init(name: name, xs: values.indices.map(Double.init), ys: values, color: color)
    }
}

/// A line chart of one or more series with legend, nice axis ticks, axis titles and a title,
/// e.g. layer-wise CKNNA of the baseline and VIRAL.
public struct LineChart: Sendable {
    /// Text above the chart; empty for none.
    public var title: String
    /// Title of the horizontal axis; empty for none.
    public var xLabel: String
    /// Title of the value axis; empty for none.
    public var yLabel: String
    /// The lines, in legend order.
    public var series: [LineSeries]
    /// Image width in pixels.
    public var width = 800
    /// Image height in pixels.
    public var height = 500
    /// Draw a disc at every point.
    public var showsMarkers = true
    /// Line width in pixels.
    public var lineWidth = 2.5
    /// Fixed value range (e.g. 0...1); nil fits the data.
    public var yRange: ClosedRange<Double>?
    /// A band of x values to shade (e.g. the middle layers), nil for none.
    public var shadedXRange: ClosedRange<Double>?
    /// Put x ticks on whole numbers only (layer indices, steps), never at 0.5.
    public var integerXTicks = false

    /// A chart of `series` with the given titles.
    public init(title: String, xLabel: String, yLabel: String, series: [LineSeries]) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.series = series
    }

    /// Renders the chart; throws when a series is empty, its xs and ys differ in length, an x is
    /// not finite, or the size is not positive.
    public func render() throws -> RGBImage {
        let element = "line chart \"\(title)\""
        guard !series.isEmpty else { throw PlotError.invalidData(element: element, reason: "has no series") }
        for line in series {
            guard !line.xs.isEmpty, line.xs.count == line.ys.count else {
                throw PlotError.invalidData(element: "line series \"\(line.name)\"",
                                            reason: "needs as many y values as x values, at least one (has \(line.xs.count) x, \(line.ys.count) y)")
            }
            guard line.xs.allSatisfy(\.isFinite) else {
                throw PlotError.invalidData(element: "line series \"\(line.name)\"", reason: "has a non-finite x value")
            }
        }
        let allX = series.flatMap(\.xs)
        let allY = series.flatMap(\.ys).filter(\.isFinite)
        let yLower = yRange?.lowerBound ?? allY.min() ?? 0
        let yUpper = yRange?.upperBound ?? allY.max() ?? 1
        let colors = series.indices.map { series[$0].color ?? RGBColor.series($0) }
        let legend = series.indices.map { LegendEntry(name: series[$0].name, color: colors[$0], symbol: .line(marker: showsMarkers)) }

        let style = ChartStyle.text
        let xLower = allX.min()!
        let xUpper = allX.max()!
        var image = try RGBImage.chartCanvas(width: width, height: height, element: element)
        // The last x label is centred on the right edge of the plot: keep half of it inside.
        let frame = CartesianFrame(width: width, height: height, title: title, xLabel: xLabel, yLabel: yLabel,
                                   legend: legend, yLower: yLower, yUpper: yUpper, expandY: yRange == nil,
                                   bottomLabelLines: 1, rightPadding: style.width(of: "000.0") / 2)
        let plot = frame.plot
        var xTickCount = max(3, min(12, plot.width / 70))
        // At most one tick per whole number makes the nice step at least 1.
        if integerXTicks { xTickCount = max(2, min(xTickCount, Int((xUpper - xLower).rounded(.down)) + 1)) }
        let xScale = AxisScale(lower: xLower, upper: xUpper, targetTicks: xTickCount, expandToTicks: false)
        let pixelX = { (x: Double) in xScale.position(of: x, from: Double(plot.x), to: Double(plot.right)) }

        if let band = shadedXRange {
            let left = Int(pixelX(max(band.lowerBound, xScale.lower)).rounded())
            let right = Int(pixelX(min(band.upperBound, xScale.upper)).rounded())
            image.fill(PixelRect(x: left, y: plot.y, width: max(0, right - left), height: plot.height), RGBColor(hex: 0xEEEEF6))
        }
        frame.drawGrid(on: &image)
        for tick in xScale.ticks {
            let column = Int(pixelX(tick).rounded(.down))
            image.fill(PixelRect(x: column, y: plot.y, width: 1, height: plot.height), .gridGray)
        }
        let clip = PixelRect(x: plot.x, y: plot.y - 6, width: plot.width + 6, height: plot.height + 12)
        for (index, line) in series.enumerated() {
            var run: [PixelPoint] = []
            var points: [PixelPoint] = []
            for (x, y) in zip(line.xs, line.ys) {
                guard y.isFinite else {
                    image.drawPolyline(run, color: colors[index], width: lineWidth, clip: clip)
                    run = []
                    continue
                }
                let point = PixelPoint(x: pixelX(x), y: frame.y(y))
                run.append(point)
                points.append(point)
            }
            image.drawPolyline(run, color: colors[index], width: lineWidth, clip: clip)
            if showsMarkers {
                for point in points { image.fillCircle(center: point, radius: lineWidth + 1.5, color: colors[index], clip: clip) }
            }
        }
        frame.drawDecorations(on: &image)
        for tick in xScale.ticks {
            let column = Int(pixelX(tick).rounded(.down))
            image.fill(PixelRect(x: column, y: plot.bottom + ChartStyle.axisThickness, width: 1, height: ChartStyle.tickLength), .ink)
            image.drawText(xScale.label(tick), x: column, y: plot.bottom + ChartStyle.axisThickness + ChartStyle.tickLength + ChartStyle.tickGap,
                           style: style, horizontal: .center)
        }
        return image
    }
}
