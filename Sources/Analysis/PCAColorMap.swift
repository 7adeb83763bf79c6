/// An RGB raster, 8 bits per channel, rows top to bottom, pixels as (r, g, b) triples (HWC).
/// It is laid out as Vision's `RGBImage` (Analysis does not depend on Vision), so
/// `RGBImage(width: raster.width, height: raster.height, pixels: raster.pixels)` makes one to
/// draw or save as PNG.
public struct RGBRaster: Sendable, Equatable {
    /// Width in pixels.
    public let width: Int
    /// Height in pixels.
    public let height: Int
    /// `height × width × 3` bytes.
    public let pixels: [UInt8]
}

/// The paper's PCA map of visual tokens: the first three principal-component scores of the h×w
/// tokens shown as red, green and blue.
public enum PCAColorMap {
    /// Colours the tokens of an `height × width` grid (row-major, as the tokens enter the decoder)
    /// with their first three scores. Each component is min-max normalised over the tokens to
    /// 0…255 (rounded); a constant component maps to 0.
    public static func render(scores: Matrix, height: Int, width: Int) throws -> RGBRaster {
        guard height > 0, width > 0 else {
            throw AnalysisError.invalidParameter(name: "grid", value: "\(height) × \(width)", requirement: "must not be empty")
        }
        guard scores.rows == height * width else {
            throw AnalysisError.wrongValueCount(what: "PCA scores for a \(height) × \(width) token grid",
                                               expected: height * width, actual: scores.rows)
        }
        guard scores.columns >= 3 else {
            throw AnalysisError.invalidParameter(name: "score columns", value: "\(scores.columns)",
                                                 requirement: "an RGB map needs three components")
        }
        try scores.checkFinite("PCA scores")
        var pixels = [UInt8](repeating: 0, count: height * width * 3)
        for channel in 0..<3 {
            var low = Double.infinity
            var high = -Double.infinity
            for token in 0..<scores.rows {
                low = min(low, scores[token, channel])
                high = max(high, scores[token, channel])
            }
            guard high > low else { continue }
            for token in 0..<scores.rows {
                let unit = (scores[token, channel] - low) / (high - low)
                pixels[token * 3 + channel] = UInt8((unit * 255).rounded())
            }
        }
        return RGBRaster(width: width, height: height, pixels: pixels)
    }

    /// PCA of `tokens` (h·w × d, row-major grid order) and its RGB map in one step.
    public static func render(tokens: Matrix, height: Int, width: Int) throws -> RGBRaster {
        guard tokens.rows == height * width else {
            throw AnalysisError.wrongValueCount(what: "visual tokens for a \(height) × \(width) grid",
                                               expected: height * width, actual: tokens.rows)
        }
        let pca = try PrincipalComponents(tokens, count: 3)
        return try render(scores: pca.scores, height: height, width: width)
    }
}
