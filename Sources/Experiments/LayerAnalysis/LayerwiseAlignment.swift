import Analysis
import Foundation
import Plot
import Tensor
import VIRAL
import Vision

/// How similar one decoder layer's visual tokens are to the reference features.
public struct LayerAlignment: Sendable, Equatable {
    /// The hidden-state index (0 = decoder input, L = after the final norm).
    public var layer: Int
    /// CKNNA with k neighbours.
    public var cknna: Double
    /// Mutual k-NN.
    public var mutualKNN: Double
    /// Unbiased linear CKA.
    public var cka: Double

    /// A layer's values.
    public init(layer: Int, cknna: Double, mutualKNN: Double, cka: Double) {
        self.layer = layer
        self.cknna = cknna
        self.mutualKNN = mutualKNN
        self.cka = cka
    }
}

/// The similarity measures an alignment curve holds.
public enum AlignmentMeasure: String, Sendable, CaseIterable {
    case cknna
    case mutualKNN = "mutual_knn"
    case cka

    /// Axis and legend text.
    public var title: String {
        switch self {
        case .cknna: return "CKNNA"
        case .mutualKNN: return "Mutual k-NN"
        case .cka: return "Unbiased CKA"
        }
    }

    func value(of layer: LayerAlignment) -> Double {
        switch self {
        case .cknna: return layer.cknna
        case .mutualKNN: return layer.mutualKNN
        case .cka: return layer.cka
        }
    }
}

/// One model's layer-wise alignment with the reference features.
public struct AlignmentCurve: Sendable, Equatable {
    /// The model's name in legends.
    public var name: String
    /// One entry per analysed layer, in layer order.
    public var layers: [LayerAlignment]
    /// Samples compared (visual tokens of all images).
    public var rows: Int
    /// Neighbours of CKNNA and mutual k-NN.
    public var topK: Int

    /// A curve's values.
    public init(name: String, layers: [LayerAlignment], rows: Int, topK: Int) {
        self.name = name
        self.layers = layers
        self.rows = rows
        self.topK = topK
    }

    /// `layer,cknna,mutual_knn,cka` and one line per layer.
    public var csv: String {
        (["layer,cknna,mutual_knn,cka"] + layers.map { layer in
            String(format: "%d,%.6f,%.6f,%.6f", layer.layer, layer.cknna, layer.mutualKNN, layer.cka)
        }).joined(separator: "\n") + "\n"
    }

    /// The layer whose `measure` is highest.
    public func peak(_ measure: AlignmentMeasure = .cknna) -> LayerAlignment? {
        layers.max { measure.value(of: $0) < measure.value(of: $1) }
    }
}

/// Layer-wise alignment as in VIRAL's analysis: for a set of images, the visual hidden states of
/// every decoder layer against reference features of the same visual tokens (the tower's selected
/// features, or a teacher's patch features on the token grid). Every visual token of every image
/// is one sample; both sides are clamped at the 0.95 quantile and L2-normalised
/// (`FeaturePreparation.prepare`) before CKNNA (k), mutual k-NN and unbiased CKA.
///
/// Memory: the visual tokens of every analysed layer are kept, images × h·w × D floats per layer
/// (for 8 images of LLaVA-1.5-7B about 75 MB per layer).
public struct LayerwiseAlignment {
    /// Neighbours for CKNNA and mutual k-NN (VIRAL: 10).
    public var topK: Int
    /// Hidden-state indices to analyse; nil = all (0…L).
    public var layers: [Int]?
    /// The question asked about each image.
    public var question: String

    /// An analysis with these settings.
    public init(topK: Int = RepresentationSimilarity.defaultTopK, layers: [Int]? = nil,
                question: String = VisualProbe.defaultQuestion) {
        self.topK = topK
        self.layers = layers
        self.question = question
    }

    /// The visual tokens of the analysed layers and the reference, one row per visual token.
    public struct Features {
        /// The analysed hidden-state indices.
        public var layerIndices: [Int]
        /// Per analysed layer, rows × `layerWidth` floats.
        public var layerValues: [[Float]]
        /// The decoder width D.
        public var layerWidth: Int
        /// The reference features, rows × their width.
        public var reference: Matrix
        /// Where the reference comes from, for titles ("tower" or the teacher's name).
        public var referenceName: String

        /// Samples (visual tokens of all images).
        public var rows: Int { reference.rows }
    }

    /// Runs `chat` on every image and keeps, per analysed layer, the visual tokens of the grid,
    /// with the reference: the tower's selected features, or `teacher`'s patch features
    /// (computed at the token grid, bilinearly resampled to it when the grids still differ).
    public func collect(chat: ChatModel, images: [URL], teacher: Teacher? = nil,
                        progress: (Int, Int) -> Void = { _, _ in }) throws -> Features {
        guard !images.isEmpty else { throw ExperimentError("layer-wise alignment needs at least one image") }
        let layerCount = chat.model.config.decoder.layerCount
        let indices = try checkedLayers(available: layerCount)
        let probe = VisualProbe(chat: chat, question: question)
        let grid = (rows: chat.gridSide, columns: chat.gridSide)
        var layerValues = [[Float]](repeating: [], count: indices.count)
        var reference: [Float] = []
        var referenceWidth = 0
        for (number, url) in images.enumerated() {
            let image = try ChatModel.loadImage(url)
            let pass = try probe.run(image, hiddenStates: true)
            for (slot, layer) in indices.enumerated() {
                layerValues[slot] += VisualProbe.rows(of: pass.hiddenStates[layer], at: pass.gridPositions)
            }
            let target: Tensor
            if let teacher {
                target = TargetResampling.resample(try teacher.features(of: [image]), from: teacher.grid, to: grid)
                    .reshaped([grid.rows * grid.columns, teacher.width])
            } else {
                target = pass.towerFeatures
            }
            referenceWidth = target.shape[1]
            reference += target.scalars
            progress(number + 1, images.count)
        }
        let rows = reference.count / referenceWidth
        return Features(layerIndices: indices, layerValues: layerValues, layerWidth: chat.model.config.decoder.hiddenSize,
                        reference: try Matrix(rows: rows, columns: referenceWidth, floatValues: reference),
                        referenceName: teacher?.name ?? "tower")
    }

    /// The curve of collected features.
    public func curve(name: String, features: Features) throws -> AlignmentCurve {
        try checkSampleCount(features.rows)
        let reference = try RepresentationKernel.prepared(features.reference)
        let layers = try zip(features.layerIndices, features.layerValues).map { layer, values in
            let matrix = try Matrix(rows: features.rows, columns: features.layerWidth, floatValues: values)
            return try measure(layer: layer, RepresentationKernel.prepared(matrix), against: reference)
        }
        return AlignmentCurve(name: name, layers: layers, rows: features.rows, topK: topK)
    }

    /// The curve of feature matrices given directly: `layers[i]` holds layer `i`'s samples
    /// (rows) in the same order as `reference`.
    public func curve(name: String, layers: [Matrix], reference: Matrix) throws -> AlignmentCurve {
        try checkSampleCount(reference.rows)
        let referenceKernel = try RepresentationKernel.prepared(reference)
        let values = try layers.enumerated().map { layer, features in
            guard features.rows == reference.rows else {
                throw ExperimentError("layer \(layer) has \(features.rows) samples but the reference has \(reference.rows)")
            }
            return try measure(layer: layer, RepresentationKernel.prepared(features), against: referenceKernel)
        }
        return AlignmentCurve(name: name, layers: values, rows: reference.rows, topK: topK)
    }

    /// `collect` then `curve` for one model.
    public func measure(name: String, chat: ChatModel, images: [URL], teacher: Teacher? = nil,
                        progress: (Int, Int) -> Void = { _, _ in }) throws -> AlignmentCurve {
        try curve(name: name, features: collect(chat: chat, images: images, teacher: teacher, progress: progress))
    }

    /// A line chart of several models' curves of one measure against the layer.
    public static func chart(_ curves: [AlignmentCurve], measure: AlignmentMeasure = .cknna,
                             title: String? = nil) -> LineChart {
        let series = curves.map { curve in
            LineSeries(name: curve.name, xs: curve.layers.map { Double($0.layer) }, ys: curve.layers.map(measure.value(of:)))
        }
        let k = curves.first.map { measure == .cka ? "" : " (k = \($0.topK))" } ?? ""
        var chart = LineChart(title: title ?? "Layer-wise \(measure.title) of visual tokens\(k)",
                              xLabel: "Decoder layer (hidden state)", yLabel: measure.title, series: series)
        chart.integerXTicks = true
        return chart
    }

    private func measure(layer: Int, _ kernel: RepresentationKernel, against reference: RepresentationKernel) throws -> LayerAlignment {
        LayerAlignment(layer: layer,
                       cknna: try RepresentationSimilarity.cknna(kernel, reference, topK: topK),
                       mutualKNN: try RepresentationSimilarity.mutualKNN(kernel, reference, topK: topK),
                       cka: try RepresentationSimilarity.unbiasedCKA(kernel, reference))
    }

    private func checkedLayers(available layerCount: Int) throws -> [Int] {
        let all = Array(0...layerCount)
        guard let layers else { return all }
        guard !layers.isEmpty else { throw ExperimentError("no layer chosen to analyse") }
        if let bad = layers.first(where: { !all.contains($0) }) {
            throw ExperimentError("layer \(bad) does not exist; hidden states run from 0 (decoder input) to \(layerCount) (after the final norm)")
        }
        return layers.sorted()
    }

    private func checkSampleCount(_ rows: Int) throws {
        guard rows > topK, rows >= 4 else {
            throw ExperimentError("CKNNA with k = \(topK) needs more than \(max(topK, 3)) visual tokens, but the images give \(rows); use more images or a smaller k")
        }
    }
}
