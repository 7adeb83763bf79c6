import Analysis
import Foundation
import Plot
import Tensor
import Vision

/// Spatial entropy of text→image attention per decoder layer and head (the paper's attention
/// analysis): for each image, the attention of the text tokens after the image (the question and
/// the reply header) on the h×w grid of visual tokens, averaged over those queries, gives one map
/// per (layer, head); its spatial entropy (`SpatialEntropy`) is averaged over the images.
///
/// A map without any focus has entropy +∞ (no pixel above the threshold); such values are left
/// out of the mean over images, and a (layer, head) without any finite value stays +∞.
public struct AttentionEntropy {
    /// Which published spatial-entropy definition to use.
    public var definition: SpatialEntropy.Definition
    /// The question asked about each image.
    public var question: String

    /// An analysis with these settings.
    public init(definition: SpatialEntropy.Definition = .paper, question: String = VisualProbe.defaultQuestion) {
        self.definition = definition
        self.question = question
    }

    /// The definition called `paper` (binarise at the mean) or `released` (the authors' code,
    /// threshold 0.001).
    public static func definition(named name: String) throws -> SpatialEntropy.Definition {
        switch name.lowercased() {
        case "paper": return .paper
        case "released", "released-code": return .releasedCodeDefault
        default: throw ExperimentError("unknown spatial-entropy definition \"\(name)\" (paper or released)")
        }
    }

    /// Entropies of one model.
    public struct Result: Sendable, Equatable {
        /// `entropy[layer][head]`, the mean over images (layer = decoder block, from 0).
        public var entropy: [[Double]]
        /// Per (layer, head), how many images gave a finite entropy.
        public var finiteCounts: [[Int]]
        /// Images analysed.
        public var imageCount: Int

        /// `layer,head,spatial_entropy,images` per (layer, head); +∞ is written as `inf`.
        public var csv: String {
            var lines = ["layer,head,spatial_entropy,images"]
            for (layer, heads) in entropy.enumerated() {
                for (head, value) in heads.enumerated() {
                    let text = value.isFinite ? String(format: "%.6f", value) : "inf"
                    lines.append("\(layer),\(head),\(text),\(finiteCounts[layer][head])")
                }
            }
            return lines.joined(separator: "\n") + "\n"
        }

        /// A heat map: layers down, heads across.
        public func heatMap(title: String = "Spatial entropy of text-to-image attention") -> HeatMap {
            var map = HeatMap(title: title, xLabel: "Head", yLabel: "Layer", colorBarLabel: "Spatial entropy", values: entropy)
            map.height = max(500, min(1400, 120 + 24 * entropy.count))
            map.width = max(800, min(1600, 220 + 28 * (entropy.first?.count ?? 0)))
            return map
        }
    }

    /// Per-image entropies [layer][head] of one forward pass.
    public func entropies(of pass: VisualProbe.Pass, gridSide: Int) throws -> [[Double]] {
        let queries = pass.textPositionsAfterImage, keys = pass.gridPositions
        guard !queries.isEmpty else { throw ExperimentError("the prompt has no text after the image to attend from") }
        guard keys.count == gridSide * gridSide else {
            throw ExperimentError("\(keys.count) grid tokens do not make a \(gridSide)×\(gridSide) grid")
        }
        return try pass.attentionWeights.map { weights in
            let (heads, length) = (weights.shape[1], weights.shape[2])
            return try (0..<heads).map { head in
                var attention = [Float](repeating: 0, count: queries.count * keys.count)
                let base = weights.data + head * length * length
                for (q, query) in queries.enumerated() {
                    for (k, key) in keys.enumerated() { attention[q * keys.count + k] = base[query * length + key] }
                }
                let map = try SpatialEntropy.meanOverQueries(attention, queries: queries.count, imageTokens: keys.count)
                return try SpatialEntropy.entropy(of: map, height: gridSide, width: gridSide, definition: definition)
            }
        }
    }

    /// Runs `chat` on every image and averages the per-image entropies.
    public func measure(chat: ChatModel, images: [URL], progress: (Int, Int) -> Void = { _, _ in }) throws -> Result {
        guard !images.isEmpty else { throw ExperimentError("the attention analysis needs at least one image") }
        let probe = VisualProbe(chat: chat, question: question)
        var perImage: [[[Double]]] = []
        for (number, url) in images.enumerated() {
            let pass = try probe.run(try ChatModel.loadImage(url), attentionWeights: true)
            perImage.append(try entropies(of: pass, gridSide: chat.gridSide))
            progress(number + 1, images.count)
        }
        return Self.average(perImage)
    }

    /// The mean over images of finite entropies, per (layer, head).
    public static func average(_ perImage: [[[Double]]]) -> Result {
        let first = perImage[0]
        var entropy = first.map { $0.map { _ in Double.infinity } }
        var counts = first.map { $0.map { _ in 0 } }
        for layer in first.indices {
            for head in first[layer].indices {
                let finite = perImage.map { $0[layer][head] }.filter(\.isFinite)
                counts[layer][head] = finite.count
                if !finite.isEmpty { entropy[layer][head] = finite.reduce(0, +) / Double(finite.count) }
            }
        }
        return Result(entropy: entropy, finiteCounts: counts, imageCount: perImage.count)
    }
}
