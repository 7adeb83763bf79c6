/// Nearest-neighbour resampling, bit-exact to Pillow's `Image.resize(size, NEAREST)`
/// (`ImagingScaleAffine` in Pillow's src/libImaging/Geometry.c). Enlarging by it keeps every
/// source pixel a crisp block, e.g. a 24 × 24 map of visual tokens shown at 336 × 336.
extension RGBImage {
    /// The image resized to `width` × `height`, each output pixel a copy of the source pixel
    /// under its centre: column x takes source column ⌊(x + ½) · self.width / width⌋ (rows alike).
    public func resizedNearest(width newWidth: Int, height newHeight: Int) -> RGBImage {
        precondition(newWidth > 0 && newHeight > 0, "cannot resize to \(newWidth)x\(newHeight)")
        precondition(width > 0 && height > 0, "cannot resize an empty image")
        let sourceColumns = Self.nearestSources(outputCount: newWidth, inputCount: width)
        let sourceRows = Self.nearestSources(outputCount: newHeight, inputCount: height)
        var output = [UInt8](repeating: 0, count: newWidth * newHeight * 3)
        var target = 0
        for sourceRow in sourceRows {
            let rowStart = sourceRow * width * 3
            for sourceColumn in sourceColumns {
                let source = rowStart + sourceColumn * 3
                output[target] = pixels[source]
                output[target + 1] = pixels[source + 1]
                output[target + 2] = pixels[source + 2]
                target += 3
            }
        }
        return RGBImage(width: newWidth, height: newHeight, pixels: output)
    }

    /// The source index of each output index. Pillow adds the step to a running position
    /// rather than multiplying, and the two round differently where a pixel centre falls on
    /// a source boundary (50 → 35 pixels: output 17 reads source 24 this way, 25 by product).
    private static func nearestSources(outputCount: Int, inputCount: Int) -> [Int] {
        let step = Double(inputCount) / Double(outputCount)
        var position = step * 0.5
        var sources = [Int]()
        sources.reserveCapacity(outputCount)
        for _ in 0..<outputCount {
            sources.append(Int(position))
            position += step
        }
        return sources
    }
}
