/// Resampling of float grids (feature maps, position embeddings), matching
/// `torch.nn.functional.interpolate(x, size=(outHeight, outWidth), mode=..., align_corners=False)`
/// without antialiasing, computed in float32 like PyTorch's CPU kernels.
///
/// Layout: channels last. A grid of height H, width W and C channels is `H * W * C` floats with
/// element (y, x, c) at `(y * W + x) * C + c`. (PyTorch's NCHW tensor `t[0]` is the same grid
/// after `permute(1, 2, 0)`.)
public enum GridInterpolation: Sendable {
    /// Bilinear: source coordinate `(i + 0.5) * in/out - 0.5`, clamped at 0, two taps.
    case bilinear
    /// Bicubic: Keys' kernel with A = -0.75, four taps, indices clamped to the border.
    case bicubic
    /// Bicubic with `antialias=True`: PyTorch's separable antialiased kernel (A = -0.5, support
    /// widened by the downscale factor, weights normalised, no border clamping) — what
    /// transformers' DINOv2-with-registers uses for its position embeddings.
    case bicubicAntialiased

    /// Resamples a channels-last grid of `height` × `width` × `channels` floats to
    /// `outputHeight` × `outputWidth` × `channels`.
    public func resample(_ grid: [Float], height: Int, width: Int, channels: Int,
                         outputHeight: Int, outputWidth: Int) -> [Float] {
        precondition(grid.count == height * width * channels,
                     "\(grid.count) floats do not make a \(height)x\(width)x\(channels) grid")
        var output = [Float](repeating: 0, count: outputHeight * outputWidth * channels)
        grid.withUnsafeBufferPointer { source in
            output.withUnsafeMutableBufferPointer { destination in
                resample(source.baseAddress!, height: height, width: width, channels: channels,
                         into: destination.baseAddress!, outputHeight: outputHeight, outputWidth: outputWidth)
            }
        }
        return output
    }

    /// Pointer form of `resample(_:height:width:channels:outputHeight:outputWidth:)`;
    /// `destination` holds `outputHeight * outputWidth * channels` floats and must not overlap
    /// `source`.
    public func resample(_ source: UnsafePointer<Float>, height: Int, width: Int, channels: Int,
                         into destination: UnsafeMutablePointer<Float>, outputHeight: Int, outputWidth: Int) {
        precondition(height > 0 && width > 0 && channels > 0 && outputHeight > 0 && outputWidth > 0,
                     "cannot resample \(height)x\(width)x\(channels) to \(outputHeight)x\(outputWidth)")
        let rows = taps(inputSize: height, outputSize: outputHeight)
        let columns = taps(inputSize: width, outputSize: outputWidth)
        let rowLength = width * channels
        let scratch = UnsafeMutablePointer<Float>.allocate(capacity: channels)
        defer { scratch.deallocate() }
        // Same summation order as PyTorch's separable kernel: for each output, the taps along
        // x are summed per source row, then the rows are weighted and summed.
        for outputY in 0..<outputHeight {
            for outputX in 0..<outputWidth {
                let output = destination + (outputY * outputWidth + outputX) * channels
                for channel in 0..<channels { output[channel] = 0 }
                for rowTap in rows[outputY] {
                    let row = source + rowTap.index * rowLength
                    for channel in 0..<channels { scratch[channel] = 0 }
                    for columnTap in columns[outputX] {
                        let input = row + columnTap.index * channels
                        let weight = columnTap.weight
                        for channel in 0..<channels { scratch[channel] += input[channel] * weight }
                    }
                    let weight = rowTap.weight
                    for channel in 0..<channels { output[channel] += scratch[channel] * weight }
                }
            }
        }
    }

    /// One input index and its weight.
    struct Tap {
        let index: Int
        let weight: Float
    }

    /// The taps of every output position along one axis, as PyTorch's
    /// `compute_indices_weights_linear` / `compute_indices_weights_cubic` build them.
    func taps(inputSize: Int, outputSize: Int) -> [[Tap]] {
        let scale = Float(inputSize) / Float(outputSize)
        return (0..<outputSize).map { position in
            let source = scale * (Float(position) + 0.5) - 0.5
            switch self {
            case .bilinear:
                if inputSize == outputSize {
                    return [Tap(index: position, weight: 1), Tap(index: position, weight: 0)]
                }
                let (index, lambda) = Self.indexAndLambda(max(source, 0), inputSize: inputSize)
                let next = index < inputSize - 1 ? index + 1 : index
                return [Tap(index: index, weight: 1 - lambda), Tap(index: next, weight: lambda)]
            case .bicubicAntialiased:
                return Self.antialiasedTaps(position: position, scale: scale, inputSize: inputSize)
            case .bicubic:
                let (index, lambda) = Self.indexAndLambda(source, inputSize: inputSize)
                let weights = Self.cubicWeights(lambda)
                return (0..<4).map { tap in
                    Tap(index: min(max(index - 1 + tap, 0), inputSize - 1), weight: weights[tap])
                }
            }
        }
    }

    /// PyTorch's `_compute_indices_min_size_weights_aa` with its bicubic filter (A = -0.5).
    private static func antialiasedTaps(position: Int, scale: Float, inputSize: Int) -> [Tap] {
        let support: Float = scale >= 1 ? 2 * scale : 2
        let inverseScale: Float = scale >= 1 ? 1 / scale : 1
        let center = scale * (Float(position) + 0.5)
        let first = max(Int(center - support + 0.5), 0)
        let count = min(Int(center + support + 0.5), inputSize) - first
        func filter(_ value: Float) -> Float {
            let x = abs(value), a: Float = -0.5
            if x < 1 { return ((a + 2) * x - (a + 3)) * x * x + 1 }
            if x < 2 { return (((x - 5) * x + 8) * x - 4) * a }
            return 0
        }
        let weights = (0..<count).map { filter((Float($0 + first) - center + 0.5) * inverseScale) }
        let total = weights.reduce(0, +)
        return weights.enumerated().map { Tap(index: first + $0.offset, weight: total != 0 ? $0.element / total : 0) }
    }

    /// PyTorch's `guard_index_and_lambda`: floor index capped at the last input, and the
    /// fractional part clamped to 0...1.
    private static func indexAndLambda(_ source: Float, inputSize: Int) -> (Int, Float) {
        let index = min(Int(source.rounded(.down)), inputSize - 1)
        let lambda = min(max(source - Float(index), 0), 1)
        return (index, lambda)
    }

    /// PyTorch's `get_cubic_upsample_coefficients` with A = -0.75.
    private static func cubicWeights(_ t: Float) -> [Float] {
        let a: Float = -0.75
        func near(_ x: Float) -> Float { ((a + 2) * x - (a + 3)) * x * x + 1 }
        func far(_ x: Float) -> Float { ((a * x - 5 * a) * x + 8 * a) * x - 4 * a }
        let u = 1 - t
        return [far(t + 1), near(t), near(u), far(u + 1)]
    }
}
