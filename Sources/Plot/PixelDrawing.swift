import Vision

/// An axis-aligned rectangle of whole pixels.
struct PixelRect: Equatable {
    var x: Int
    var y: Int
    var width: Int
    var height: Int

    var right: Int { x + width }
    var bottom: Int { y + height }
}

/// Pixel operations the charts draw with; all of them clip to the image.
extension RGBImage {
    /// The white canvas of a `width × height` chart; throws naming `element` when a side is not
    /// positive.
    static func chartCanvas(width: Int, height: Int, element: String) throws -> RGBImage {
        guard width > 0, height > 0 else {
            throw PlotError.invalidData(element: element, reason: "size \(width) × \(height) is not positive")
        }
        return RGBImage(width: width, height: height, filledWith: .white)
    }

    /// Mixes `color` over one pixel with opacity `coverage` (0…1); ignored outside the image.
    mutating func blend(x: Int, y: Int, _ color: RGBColor, coverage: Double) {
        guard contains(x: x, y: y), coverage > 0 else { return }
        self[x, y] = self[x, y].mixed(with: color, amount: coverage)
    }

    /// Fills `rect` (clipped to the image) with `color`.
    mutating func fill(_ rect: PixelRect, _ color: RGBColor) {
        let left = max(rect.x, 0)
        let right = min(rect.right, width)
        let top = max(rect.y, 0)
        let bottom = min(rect.bottom, height)
        guard left < right, top < bottom else { return }
        for y in top..<bottom {
            for x in left..<right { self[x, y] = color }
        }
    }

    /// Draws the outline of `rect`, `thickness` pixels wide, inside the rectangle.
    mutating func stroke(_ rect: PixelRect, _ color: RGBColor, thickness: Int = 1) {
        fill(PixelRect(x: rect.x, y: rect.y, width: rect.width, height: thickness), color)
        fill(PixelRect(x: rect.x, y: rect.bottom - thickness, width: rect.width, height: thickness), color)
        fill(PixelRect(x: rect.x, y: rect.y, width: thickness, height: rect.height), color)
        fill(PixelRect(x: rect.right - thickness, y: rect.y, width: thickness, height: rect.height), color)
    }

    private func contains(x: Int, y: Int) -> Bool {
        x >= 0 && x < width && y >= 0 && y < height
    }
}
