import Vision

/// Text sizes and spacing shared by all charts.
enum ChartStyle {
    /// Titles, axis titles, tick labels, legends: the 6×10 font doubled (12 × 20 px characters).
    static let text = TextStyle(scale: 2, color: .ink)
    /// Chart titles: the doubled font with a heavier stroke.
    static let title = TextStyle(scale: 2, color: .black, bold: true)
    /// Small annotations (values on bars) where the doubled font does not fit.
    static let smallText = TextStyle(scale: 1, color: .ink)
    /// Outer margin of every chart.
    static let margin = 16
    /// Length of tick marks, outside the plot area.
    static let tickLength = 6
    /// Gap between a tick mark and its label.
    static let tickGap = 4
    /// Width of the axis lines.
    static let axisThickness = 2
}
