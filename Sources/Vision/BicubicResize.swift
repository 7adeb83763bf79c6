/// Antialiased bicubic resampling, bit-exact to Pillow's `Image.resize(size, BICUBIC)` on 8-bit
/// images (`ImagingResample` in Pillow's src/libImaging/Resample.c): separable, one pass per
/// axis; the filter support grows with the downscale factor (antialiasing); coefficients are
/// normalised to sum 1, turned into 22-bit fixed point, and each pass rounds and clips to 0...255.
extension RGBImage {
    /// The image resized to `width` × `height` with PIL's antialiased bicubic filter.
    ///
    /// Pass order follows Pillow 13: horizontal then vertical, except when the height shrinks by
    /// more than twice as many pixels as the width does (Pillow PR #9549), then vertical first.
    /// Older Pillow always went horizontal first; the two orders differ only by the rounding of
    /// the 8-bit intermediate image (a step or two on some pixels).
    public func resizedBicubic(width newWidth: Int, height newHeight: Int) -> RGBImage {
        precondition(newWidth > 0 && newHeight > 0, "cannot resize to \(newWidth)x\(newHeight)")
        precondition(width > 0 && height > 0, "cannot resize an empty image")
        if newWidth == width && newHeight == height {
            return self  // Pillow returns a copy when the size does not change
        }
        let horizontal = ResampleCoefficients(inputSize: width, outputSize: newWidth)
        let vertical = ResampleCoefficients(inputSize: height, outputSize: newHeight)
        if newHeight == height {
            return resampleHorizontally(rows: 0..<height, coefficients: horizontal)
        }
        if newWidth == width {
            return resampleVertically(rowOffset: 0, coefficients: vertical)
        }
        if newHeight < height && height - newHeight > 2 * (width - newWidth) {
            return resampleVertically(rowOffset: 0, coefficients: vertical)
                .resampleHorizontally(rows: 0..<newHeight, coefficients: horizontal)
        }
        // Only the rows the vertical pass will read are resampled horizontally.
        let firstRow = vertical.bounds[0].start
        let lastRow = vertical.bounds[newHeight - 1].start + vertical.bounds[newHeight - 1].count
        return resampleHorizontally(rows: firstRow..<lastRow, coefficients: horizontal)
            .resampleVertically(rowOffset: firstRow, coefficients: vertical)
    }

    private func resampleHorizontally(rows: Range<Int>, coefficients: ResampleCoefficients) -> RGBImage {
        let outputWidth = coefficients.outputSize
        let ksize = coefficients.ksize
        var output = [UInt8](repeating: 0, count: outputWidth * rows.count * 3)
        pixels.withUnsafeBufferPointer { input in
            output.withUnsafeMutableBufferPointer { output in
                coefficients.weights.withUnsafeBufferPointer { weights in
                    for (outputRow, inputRow) in rows.enumerated() {
                        let inputLine = inputRow * width * 3
                        let outputLine = outputRow * outputWidth * 3
                        for x in 0..<outputWidth {
                            let bound = coefficients.bounds[x]
                            var red = ResampleCoefficients.roundingHalf
                            var green = red
                            var blue = red
                            for tap in 0..<bound.count {
                                let weight = weights[x * ksize + tap]
                                let index = inputLine + (bound.start + tap) * 3
                                red &+= Int32(input[index]) &* weight
                                green &+= Int32(input[index + 1]) &* weight
                                blue &+= Int32(input[index + 2]) &* weight
                            }
                            output[outputLine + x * 3] = ResampleCoefficients.clip8(red)
                            output[outputLine + x * 3 + 1] = ResampleCoefficients.clip8(green)
                            output[outputLine + x * 3 + 2] = ResampleCoefficients.clip8(blue)
                        }
                    }
                }
            }
        }
        return RGBImage(width: outputWidth, height: rows.count, pixels: output)
    }

    /// `rowOffset` is the input row that row 0 of `self` stands for (the horizontal pass
    /// keeps only the rows the vertical filter reaches).
    private func resampleVertically(rowOffset: Int, coefficients: ResampleCoefficients) -> RGBImage {
        let outputHeight = coefficients.outputSize
        let ksize = coefficients.ksize
        let lineLength = width * 3
        var output = [UInt8](repeating: 0, count: lineLength * outputHeight)
        pixels.withUnsafeBufferPointer { input in
            output.withUnsafeMutableBufferPointer { output in
                coefficients.weights.withUnsafeBufferPointer { weights in
                    for y in 0..<outputHeight {
                        let bound = coefficients.bounds[y]
                        let firstLine = (bound.start - rowOffset) * lineLength
                        for sample in 0..<lineLength {
                            var sum = ResampleCoefficients.roundingHalf
                            for tap in 0..<bound.count {
                                sum &+= Int32(input[firstLine + tap * lineLength + sample]) &* weights[y * ksize + tap]
                            }
                            output[y * lineLength + sample] = ResampleCoefficients.clip8(sum)
                        }
                    }
                }
            }
        }
        return RGBImage(width: width, height: outputHeight, pixels: output)
    }
}

/// Pillow's `precompute_coeffs` + `normalize_coeffs_8bpc` for the bicubic filter (a = -0.5)
/// over one axis: for each output position, the first input index, the tap count, and
/// `ksize` fixed-point weights.
struct ResampleCoefficients {
    /// Fixed-point fraction bits: 32 - 8 - 2 (8 bits of result, 2 for overshoot and sign).
    static let precisionBits: Int32 = 22
    /// Initial accumulator value, so the final shift rounds to nearest.
    static let roundingHalf: Int32 = 1 << (precisionBits - 1)
    /// Support of the bicubic kernel at scale 1.
    private static let support = 2.0

    let outputSize: Int
    /// Number of weight slots per output position.
    let ksize: Int
    /// Per output position: first input index and number of taps.
    let bounds: [(start: Int, count: Int)]
    /// `outputSize * ksize` weights, unused slots zero.
    let weights: [Int32]

    init(inputSize: Int, outputSize: Int) {
        let scale = Double(inputSize) / Double(outputSize)
        let filterScale = max(scale, 1.0)
        let support = Self.support * filterScale
        let ksize = Int(support.rounded(.up)) * 2 + 1
        var bounds: [(start: Int, count: Int)] = []
        bounds.reserveCapacity(outputSize)
        var weights = [Int32](repeating: 0, count: outputSize * ksize)
        var taps = [Double](repeating: 0, count: ksize)
        for position in 0..<outputSize {
            let center = (Double(position) + 0.5) * scale
            let inverseScale = 1.0 / filterScale
            // C casts truncate toward zero; both bounds are then clamped to the input.
            let start = max(Int(center - support + 0.5), 0)
            let end = min(Int(center + support + 0.5), inputSize)
            let count = end - start
            var total = 0.0
            for tap in 0..<count {
                let weight = Self.bicubic((Double(tap + start) - center + 0.5) * inverseScale)
                taps[tap] = weight
                total += weight
            }
            for tap in 0..<count {
                let normalised = total != 0 ? taps[tap] / total : taps[tap]
                let scaled = normalised * Double(1 << Self.precisionBits)
                weights[position * ksize + tap] = Int32(normalised < 0 ? -0.5 + scaled : 0.5 + scaled)
            }
            bounds.append((start, count))
        }
        self.outputSize = outputSize
        self.ksize = ksize
        self.bounds = bounds
        self.weights = weights
    }

    /// Keys' cubic convolution kernel with a = -0.5, as in Pillow's `bicubic_filter`.
    private static func bicubic(_ value: Double) -> Double {
        let a = -0.5
        let x = abs(value)
        if x < 1.0 {
            return ((a + 2.0) * x - (a + 3.0)) * x * x + 1
        }
        if x < 2.0 {
            return (((x - 5) * x + 8) * x - 4) * a
        }
        return 0.0
    }

    /// Pillow's `clip8`: drop the fraction bits (arithmetic shift) and clamp to 0...255.
    @inline(__always)
    static func clip8(_ accumulator: Int32) -> UInt8 {
        UInt8(clamping: accumulator >> precisionBits)
    }
}
