import Foundation

/// Spatial entropy of a text→image attention map (Kang et al., CVPR 2025, "Your Large
/// Vision-Language Model Only Needs A Few Attention Heads For Visual Grounding"). VIRAL
/// (Yoon, Jung et al. 2025) cites this measure for its per-layer, per-head analysis of how
/// focused the text queries' attention on the image tokens is; its own analysis code is not
/// released. Low entropy = attention on a few compact regions.
///
/// Two definitions exist and both are offered:
/// - `.paper` (default) — the paper's text: binarise the map at its mean (A > mean), find the
///   connected components with 8-connectivity, P(C) = |C| / Σ|C|, SE = −Σ P(C) ln P(C).
/// - `.releasedCode` — the `spatial_entropy` function of the authors' released code (as in the
///   public copies of seilk / MICV-yonsei LocalizationHeads): B = relu(A − 2·mean(A)),
///   components (8-connectivity, `scipy.ndimage.label` with a 3×3 structure) of B > threshold
///   (0.001 there), P(C) = Σ_C B / Σ_all B (the total includes pixels below the threshold, so the
///   P need not sum to 1), SE = −Σ P ln P.
/// Both return +∞ when no pixel survives the binarisation (no focus at all), as the released code does.
public enum SpatialEntropy {
    /// Which published definition to compute.
    public enum Definition: Sendable, Equatable {
        /// Binarise at the mean; component probabilities from component sizes.
        case paper
        /// relu(A − 2·mean) > threshold; component probabilities from attention mass.
        case releasedCode(threshold: Double)

        /// The released code's default threshold (0.001).
        public static let releasedCodeDefault = Definition.releasedCode(threshold: 0.001)
    }

    /// Spatial entropy (natural log) of a `height × width` map given row-major.
    public static func entropy(of map: [Double], height: Int, width: Int,
                               definition: Definition = .paper) throws -> Double {
        try checkGrid(count: map.count, height: height, width: width, what: "attention map")
        if let index = map.firstIndex(where: { !$0.isFinite }) {
            throw AnalysisError.nonFiniteValue(what: "attention map", row: index / width, column: index % width)
        }
        let mean = map.reduce(0, +) / Double(map.count)
        switch definition {
        case .paper:
            let mask = map.map { $0 > mean }
            let components = ConnectedComponents(mask: mask, height: height, width: width)
            let total = Double(components.sizes.reduce(0, +))
            guard total > 0 else { return .infinity }
            return entropy(components.sizes.map { Double($0) / total })
        case let .releasedCode(threshold):
            let activation = map.map { max($0 - 2 * mean, 0) }
            let total = activation.reduce(0, +)
            guard total > 0 else { return .infinity }
            let components = ConnectedComponents(mask: activation.map { $0 > threshold }, height: height, width: width)
            var masses = [Double](repeating: 0, count: components.sizes.count)
            for (pixel, label) in components.labels.enumerated() where label >= 0 {
                masses[label] += activation[pixel]
            }
            return entropy(masses.filter { $0 > 0 }.map { $0 / total })
        }
    }

    /// The mean over text queries of their attention on the image tokens: `attention` holds
    /// `queries × imageTokens` weights, row-major; the result has `imageTokens` values.
    public static func meanOverQueries(_ attention: [Float], queries: Int, imageTokens: Int) throws -> [Double] {
        guard queries > 0, imageTokens > 0 else {
            throw AnalysisError.invalidParameter(name: "queries × imageTokens", value: "\(queries) × \(imageTokens)",
                                                 requirement: "must not be empty")
        }
        guard attention.count == queries * imageTokens else {
            throw AnalysisError.wrongValueCount(what: "text→image attention (\(queries) queries × \(imageTokens) image tokens)",
                                                expected: queries * imageTokens, actual: attention.count)
        }
        var mean = [Double](repeating: 0, count: imageTokens)
        for query in 0..<queries {
            for token in 0..<imageTokens { mean[token] += Double(attention[query * imageTokens + token]) }
        }
        return mean.map { $0 / Double(queries) }
    }

    /// Spatial entropy per layer and head: `attention` holds, row-major,
    /// `layers × heads × queries × (height·width)` weights of text queries on the image tokens
    /// (tokens in grid order). Each head's map is the mean over its queries. Result: [layer][head].
    public static func perLayerAndHead(_ attention: [Float], layers: Int, heads: Int, queries: Int,
                                       height: Int, width: Int,
                                       definition: Definition = .paper) throws -> [[Double]] {
        let tokens = height * width
        guard layers > 0, heads > 0 else {
            throw AnalysisError.invalidParameter(name: "layers × heads", value: "\(layers) × \(heads)", requirement: "must not be empty")
        }
        guard attention.count == layers * heads * queries * tokens else {
            throw AnalysisError.wrongValueCount(
                what: "attention (\(layers) layers × \(heads) heads × \(queries) queries × \(height)·\(width) tokens)",
                expected: layers * heads * queries * tokens, actual: attention.count)
        }
        let perHead = queries * tokens
        return try (0..<layers).map { layer in
            try (0..<heads).map { head in
                let start = (layer * heads + head) * perHead
                let map = try meanOverQueries(Array(attention[start..<(start + perHead)]), queries: queries, imageTokens: tokens)
                return try entropy(of: map, height: height, width: width, definition: definition)
            }
        }
    }

    private static func entropy(_ probabilities: [Double]) -> Double {
        var sum = 0.0
        for p in probabilities where p > 0 { sum -= p * log(p) }
        return sum
    }

    private static func checkGrid(count: Int, height: Int, width: Int, what: String) throws {
        guard height > 0, width > 0 else {
            throw AnalysisError.invalidParameter(name: "grid", value: "\(height) × \(width)", requirement: "must not be empty")
        }
        guard count == height * width else {
            throw AnalysisError.wrongValueCount(what: "\(what) for a \(height) × \(width) grid", expected: height * width, actual: count)
        }
    }
}

/// Connected components of the true pixels of a binary grid under 8-connectivity (pixels that
/// touch by an edge or a corner belong together), labelled in raster order of their first pixel.
struct ConnectedComponents {
    /// Per pixel its component (0-based) or −1 for background.
    let labels: [Int]
    /// Number of pixels of each component.
    let sizes: [Int]

    init(mask: [Bool], height: Int, width: Int) {
        var labels = [Int](repeating: -1, count: mask.count)
        var sizes: [Int] = []
        var stack: [Int] = []
        for start in 0..<mask.count where mask[start] && labels[start] < 0 {
            let label = sizes.count
            var size = 0
            labels[start] = label
            stack.append(start)
            while let pixel = stack.popLast() {
                size += 1
                let row = pixel / width
                let column = pixel % width
                for dy in -1...1 {
                    for dx in -1...1 where dy != 0 || dx != 0 {
                        let y = row + dy
                        let x = column + dx
                        guard y >= 0, y < height, x >= 0, x < width else { continue }
                        let neighbour = y * width + x
                        if mask[neighbour] && labels[neighbour] < 0 {
                            labels[neighbour] = label
                            stack.append(neighbour)
                        }
                    }
                }
            }
            sizes.append(size)
        }
        self.labels = labels
        self.sizes = sizes
    }
}
