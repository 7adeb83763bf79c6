/// An in-memory RGB raster: 8 bits per channel, rows top to bottom, pixels as (r, g, b) triples
/// (HWC). Charts render into it; `PNGEncoder` saves it.
public struct RGBImage: Sendable, Equatable {
    /// Width in pixels.
    public let width: Int
    /// Height in pixels.
    public let height: Int
    /// `height × width × 3` bytes.
    public internal(set) var pixels: [UInt8]

    /// An image filled with `background`.
    public init(width: Int, height: Int, background: RGBColor = .white) {
        self.width = max(width, 0)
        self.height = max(height, 0)
        var pixels = [UInt8](repeating: 0, count: self.width * self.height * 3)
        for index in stride(from: 0, to: pixels.count, by: 3) {
            pixels[index] = background.red
            pixels[index + 1] = background.green
            pixels[index + 2] = background.blue
        }
        self.pixels = pixels
    }

    /// Wraps HWC RGB bytes (e.g. a PCA map or a decoded photo); throws when the count is not
    /// width × height × 3.
    public init(width: Int, height: Int, pixels: [UInt8]) throws {
        guard width > 0, height > 0 else {
            throw PlotError.invalidData(element: "RGB image", reason: "size \(width) × \(height) is empty")
        }
        guard pixels.count == width * height * 3 else {
            throw PlotError.wrongPixelCount(expected: width * height * 3, actual: pixels.count)
        }
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    /// The colour at (`x`, `y`); nil outside the image.
    public func color(x: Int, y: Int) -> RGBColor? {
        guard x >= 0, x < width, y >= 0, y < height else { return nil }
        let index = (y * width + x) * 3
        return RGBColor(pixels[index], pixels[index + 1], pixels[index + 2])
    }

    /// Paints one pixel; ignored outside the image.
    mutating func set(x: Int, y: Int, _ color: RGBColor) {
        guard x >= 0, x < width, y >= 0, y < height else { return }
        let index = (y * width + x) * 3
        pixels[index] = color.red
        pixels[index + 1] = color.green
        pixels[index + 2] = color.blue
    }

    /// Mixes `color` over one pixel with opacity `coverage` (0…1); ignored outside the image.
    mutating func blend(x: Int, y: Int, _ color: RGBColor, coverage: Double) {
        guard x >= 0, x < width, y >= 0, y < height, coverage > 0 else { return }
        if coverage >= 1 {
            set(x: x, y: y, color)
            return
        }
        let index = (y * width + x) * 3
        func mix(_ old: UInt8, _ new: UInt8) -> UInt8 {
            UInt8((Double(old) + (Double(new) - Double(old)) * coverage).rounded())
        }
        pixels[index] = mix(pixels[index], color.red)
        pixels[index + 1] = mix(pixels[index + 1], color.green)
        pixels[index + 2] = mix(pixels[index + 2], color.blue)
    }

    /// Fills `rect` (clipped to the image) with `color`.
    mutating func fill(_ rect: PixelRect, _ color: RGBColor) {
        let left = max(rect.x, 0)
        let right = min(rect.x + rect.width, width)
        let top = max(rect.y, 0)
        let bottom = min(rect.y + rect.height, height)
        guard left < right, top < bottom else { return }
        for y in top..<bottom {
            for x in left..<right { set(x: x, y: y, color) }
        }
    }

    /// Draws the 1-pixel outline of `rect`, `thickness` pixels wide, inside the rectangle.
    mutating func stroke(_ rect: PixelRect, _ color: RGBColor, thickness: Int = 1) {
        fill(PixelRect(x: rect.x, y: rect.y, width: rect.width, height: thickness), color)
        fill(PixelRect(x: rect.x, y: rect.y + rect.height - thickness, width: rect.width, height: thickness), color)
        fill(PixelRect(x: rect.x, y: rect.y, width: thickness, height: rect.height), color)
        fill(PixelRect(x: rect.x + rect.width - thickness, y: rect.y, width: thickness, height: rect.height), color)
    }

    /// Copies `image` with its top-left corner at (`x`, `y`), clipped to this image.
    mutating func draw(_ image: RGBImage, x: Int, y: Int) {
        for row in 0..<image.height {
            for column in 0..<image.width {
                let index = (row * image.width + column) * 3
                set(x: x + column, y: y + row,
                    RGBColor(image.pixels[index], image.pixels[index + 1], image.pixels[index + 2]))
            }
        }
    }

    /// This image resized to `width × height`: nearest neighbour when enlarging (token maps stay
    /// crisp blocks), the mean of the covered source pixels when shrinking (photos stay smooth).
    public func resized(width newWidth: Int, height newHeight: Int) -> RGBImage {
        var result = RGBImage(width: newWidth, height: newHeight)
        guard width > 0, height > 0 else { return result }
        let scaleX = Double(width) / Double(newWidth)
        let scaleY = Double(height) / Double(newHeight)
        let enlarging = scaleX <= 1 && scaleY <= 1
        for y in 0..<newHeight {
            for x in 0..<newWidth {
                if enlarging {
                    // The source pixel under this pixel's centre.
                    let sourceX = min(width - 1, Int((Double(x) + 0.5) * scaleX))
                    let sourceY = min(height - 1, Int((Double(y) + 0.5) * scaleY))
                    result.set(x: x, y: y, color(x: sourceX, y: sourceY)!)
                    continue
                }
                let top = min(height - 1, Int((Double(y) * scaleY).rounded(.down)))
                let bottom = max(top + 1, min(height, Int((Double(y + 1) * scaleY).rounded(.up))))
                let left = min(width - 1, Int((Double(x) * scaleX).rounded(.down)))
                let right = max(left + 1, min(width, Int((Double(x + 1) * scaleX).rounded(.up))))
                var sums = (0, 0, 0)
                for sourceY in top..<bottom {
                    for sourceX in left..<right {
                        let index = (sourceY * width + sourceX) * 3
                        sums.0 += Int(pixels[index])
                        sums.1 += Int(pixels[index + 1])
                        sums.2 += Int(pixels[index + 2])
                    }
                }
                let count = (bottom - top) * (right - left)
                result.set(x: x, y: y, RGBColor(UInt8((sums.0 + count / 2) / count),
                                                UInt8((sums.1 + count / 2) / count),
                                                UInt8((sums.2 + count / 2) / count)))
            }
        }
        return result
    }
}

/// An axis-aligned rectangle of whole pixels.
struct PixelRect: Equatable {
    var x: Int
    var y: Int
    var width: Int
    var height: Int

    var right: Int { x + width }
    var bottom: Int { y + height }
}
