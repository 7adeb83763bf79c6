import Analysis
import Foundation
import Plot
import Vision

/// The paper's PCA view of visual tokens: the layer-ℓ hidden states of an image's h×w visual
/// tokens, reduced to their first three principal components and shown as an RGB map beside the
/// image.
public struct VisualTokenPCA {
    /// The hidden-state index (0 = decoder input, L = after the final norm).
    public var layer: Int
    /// The question asked about the image.
    public var question: String

    /// The analysis of hidden state `layer`.
    public init(layer: Int, question: String = VisualProbe.defaultQuestion) {
        self.layer = layer
        self.question = question
    }

    /// VIRAL's aligned layer for a decoder of `layerCount` blocks: the middle (16 of 32).
    public static func middleLayer(of layerCount: Int) -> Int { layerCount / 2 }

    /// The h×w map (one pixel per visual token) of `image`.
    public func map(chat: ChatModel, image: RGBImage) throws -> RGBImage {
        let layerCount = chat.model.config.decoder.layerCount
        guard (0...layerCount).contains(layer) else {
            throw ExperimentError("layer \(layer) does not exist; hidden states run from 0 (decoder input) to \(layerCount) (after the final norm)")
        }
        let pass = try VisualProbe(chat: chat, question: question).run(image, hiddenStates: true)
        let state = pass.hiddenStates[layer]
        let tokens = try Matrix(rows: pass.gridPositions.count, columns: state.shape[2],
                                floatValues: VisualProbe.rows(of: state, at: pass.gridPositions))
        let raster = try PCAColorMap.render(tokens: tokens, height: chat.gridSide, width: chat.gridSide)
        return RGBImage(width: raster.width, height: raster.height, pixels: raster.pixels)
    }

    /// The image as the model sees it beside each model's map, captioned.
    /// - Parameter maps: (caption, map) per model.
    public static func figure(image: RGBImage, maps: [(caption: String, map: RGBImage)], title: String) -> ImageGrid {
        let cells = [ImageGrid.Cell(image: image, caption: "input")]
            + maps.map { ImageGrid.Cell(image: $0.map, caption: $0.caption) }
        var grid = ImageGrid(title: title, cells: cells, columns: cells.count)
        grid.cellSize = 256
        return grid
    }
}
