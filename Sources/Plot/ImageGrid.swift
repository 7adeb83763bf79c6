import Vision

/// Images side by side in a grid with a caption under each, e.g. an input image beside the PCA
/// maps of the baseline and of VIRAL. Each image is fitted into a square cell keeping its aspect
/// ratio: enlarged by nearest neighbour (token maps stay crisp blocks), shrunk by Pillow's
/// antialiased bicubic filter (photos stay smooth).
public struct ImageGrid: Sendable {
    /// One image and its caption.
    public struct Cell: Sendable {
        /// The picture, at any size.
        public var image: RGBImage
        /// Text under the picture (wrapped to the cell width); empty for none.
        public var caption: String

        /// A cell showing `image` above `caption`.
        public init(image: RGBImage, caption: String) {
            self.image = image
            self.caption = caption
        }
    }

    /// Text above the grid; empty for none.
    public var title: String
    /// The cells, row by row.
    public var cells: [Cell]
    /// Cells per row.
    public var columns: Int
    /// Side of the square each image is fitted into, in pixels.
    public var cellSize = 224
    /// Gap between cells and around the grid.
    public var spacing = 20

    /// A grid of `cells`, `columns` per row.
    public init(title: String, cells: [Cell], columns: Int) {
        self.title = title
        self.cells = cells
        self.columns = columns
    }

    /// Renders the grid; its size follows from the cells. Throws without cells or columns, or
    /// when a cell's image is empty.
    public func render() throws -> RGBImage {
        let element = "image grid \"\(title)\""
        guard !cells.isEmpty else { throw PlotError.invalidData(element: element, reason: "has no images") }
        guard columns > 0, cellSize > 0, spacing >= 0 else {
            throw PlotError.invalidData(element: element, reason: "needs at least one column and a positive cell size")
        }
        if let index = cells.firstIndex(where: { $0.image.width == 0 || $0.image.height == 0 }) {
            let image = cells[index].image
            throw PlotError.invalidData(element: "\(element) cell \(index) (\"\(cells[index].caption)\")",
                                        reason: "image of \(image.width) × \(image.height) pixels is empty")
        }
        let style = ChartStyle.text
        let perRow = min(columns, cells.count)
        let rows = (cells.count + perRow - 1) / perRow
        let captions = cells.map { wrapText($0.caption, width: cellSize, style: style) }
        let captionLines = captions.map(\.count).max() ?? 0
        let captionHeight = captionLines == 0 ? 0 : 8 + captionLines * style.lineHeight
        let titleHeight = title.isEmpty ? 0 : style.lineHeight + spacing
        let width = perRow * cellSize + (perRow + 1) * spacing
        let height = titleHeight + rows * (cellSize + captionHeight) + (rows + 1) * spacing

        var image = RGBImage(width: width, height: height, filledWith: .white)
        if !title.isEmpty {
            image.drawText(title, x: width / 2, y: spacing, style: ChartStyle.title, horizontal: .center)
        }
        for (index, cell) in cells.enumerated() {
            let cellX = spacing + (index % perRow) * (cellSize + spacing)
            let cellY = titleHeight + spacing + (index / perRow) * (cellSize + captionHeight + spacing)
            let scale = Double(cellSize) / Double(max(cell.image.width, cell.image.height))
            let fittedWidth = max(1, Int((Double(cell.image.width) * scale).rounded()))
            let fittedHeight = max(1, Int((Double(cell.image.height) * scale).rounded()))
            let x = cellX + (cellSize - fittedWidth) / 2
            let y = cellY + (cellSize - fittedHeight) / 2
            // Enlarged token maps stay crisp blocks; shrunk photos are antialiased.
            let fitted = scale > 1
                ? cell.image.resizedNearest(width: fittedWidth, height: fittedHeight)
                : cell.image.resizedBicubic(width: fittedWidth, height: fittedHeight)
            image.paste(fitted, atX: x, y: y)
            image.stroke(PixelRect(x: x - 1, y: y - 1, width: fittedWidth + 2, height: fittedHeight + 2), .borderGray)
            for (line, text) in captions[index].enumerated() {
                image.drawText(text, x: cellX + cellSize / 2, y: cellY + cellSize + 8 + line * style.lineHeight,
                               style: style, horizontal: .center)
            }
        }
        return image
    }
}
