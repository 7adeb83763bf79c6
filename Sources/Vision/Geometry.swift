/// A width × height pair in pixels.
public struct ImageSize: Hashable, Sendable, CustomStringConvertible {
    public var width: Int
    public var height: Int

    /// Creates a size.
    public init(width: Int, height: Int) {
        self.width = width
        self.height = height
    }

    /// A square size.
    public init(square side: Int) {
        self.init(width: side, height: side)
    }

    public var description: String { "\(width)x\(height)" }

    /// transformers' `get_resize_output_image_size(..., default_to_square=False)`: the
    /// shorter side becomes `shortestEdge` and the longer one `int(shortestEdge * long / short)`
    /// (truncated, computed in double precision like Python's true division).
    public func resizedToShortestEdge(_ shortestEdge: Int) -> ImageSize {
        precondition(width > 0 && height > 0, "cannot resize an empty \(self) image")
        let short = min(width, height)
        let long = max(width, height)
        let newLong = Int(Double(shortestEdge * long) / Double(short))
        return width <= height
            ? ImageSize(width: shortestEdge, height: newLong)
            : ImageSize(width: newLong, height: shortestEdge)
    }
}

extension RGBImage {
    /// The size of the image.
    public var size: ImageSize { ImageSize(width: width, height: height) }

    /// LLaVA's `expand2square`: a square of side max(width, height) filled with `background`,
    /// with the image pasted at ((side - width) / 2, (side - height) / 2), rounded down.
    public func expandedToSquare(background: RGBColor) -> RGBImage {
        let side = max(width, height)
        if width == height { return self }
        var square = RGBImage(width: side, height: side, filledWith: background)
        square.paste(self, atX: (side - width) / 2, y: (side - height) / 2)
        return square
    }

    /// transformers' `center_crop`: the window starts at ((width - cropWidth) // 2,
    /// (height - cropHeight) // 2) (floor division); where the window leaves the image
    /// (image smaller than the crop) the image is first centred on a black canvas whose
    /// offset rounds up, exactly as transformers pads with zeros.
    public func centerCropped(to crop: ImageSize) -> RGBImage {
        precondition(crop.width > 0 && crop.height > 0, "cannot crop to \(crop)")
        let top = Self.floorDivide(height - crop.height, 2)
        let left = Self.floorDivide(width - crop.width, 2)
        if top >= 0 && left >= 0 && top + crop.height <= height && left + crop.width <= width {
            return cropped(x: left, y: top, size: crop)
        }
        let canvasWidth = max(crop.width, width)
        let canvasHeight = max(crop.height, height)
        let topPad = (canvasHeight - height + 1) / 2
        let leftPad = (canvasWidth - width + 1) / 2
        var canvas = RGBImage(width: canvasWidth, height: canvasHeight, filledWith: .black)
        canvas.paste(self, atX: leftPad, y: topPad)
        let windowTop = max(0, top + topPad)
        let windowLeft = max(0, left + leftPad)
        let windowBottom = min(canvasHeight, top + topPad + crop.height)
        let windowRight = min(canvasWidth, left + leftPad + crop.width)
        return canvas.cropped(x: windowLeft, y: windowTop,
                              size: ImageSize(width: windowRight - windowLeft, height: windowBottom - windowTop))
    }

    /// The `size.width` × `size.height` window whose top-left pixel is (x, y); it must lie
    /// inside the image.
    public func cropped(x: Int, y: Int, size: ImageSize) -> RGBImage {
        precondition(x >= 0 && y >= 0 && x + size.width <= width && y + size.height <= height,
                     "crop \(size) at (\(x), \(y)) leaves a \(width)x\(height) image")
        var output = [UInt8]()
        output.reserveCapacity(size.width * size.height * 3)
        for row in y..<(y + size.height) {
            let start = (row * width + x) * 3
            output.append(contentsOf: pixels[start..<(start + size.width * 3)])
        }
        return RGBImage(width: size.width, height: size.height, pixels: output)
    }

    /// Copies `image` onto this one with its top-left pixel at (x, y); parts falling outside
    /// are dropped (like PIL's `Image.paste`).
    public mutating func paste(_ image: RGBImage, atX x: Int, y: Int) {
        let firstColumn = max(0, -x)
        let lastColumn = min(image.width, width - x)
        let firstRow = max(0, -y)
        let lastRow = min(image.height, height - y)
        guard firstColumn < lastColumn, firstRow < lastRow else { return }
        for row in firstRow..<lastRow {
            let from = (row * image.width + firstColumn) * 3
            let to = ((row + y) * width + firstColumn + x) * 3
            let count = (lastColumn - firstColumn) * 3
            pixels.replaceSubrange(to..<(to + count), with: image.pixels[from..<(from + count)])
        }
    }

    /// Python's `//` for a positive divisor.
    private static func floorDivide(_ value: Int, _ divisor: Int) -> Int {
        value >= 0 ? value / divisor : -((-value + divisor - 1) / divisor)
    }
}
