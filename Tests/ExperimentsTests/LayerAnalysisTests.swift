import Analysis
import Experiments
import Foundation
import Models
import Tensor
import VIRAL
import Vision
import XCTest

/// Layer-wise alignment, attention entropy and PCA maps: synthetic cases with known answers, and
/// runs on the tiny LLaVA fixture.
final class LayerAnalysisTests: XCTestCase {
    /// Deterministic pseudo-random features.
    func randomMatrix(rows: Int, columns: Int, seed: UInt64) throws -> Matrix {
        var generator = RandomGenerator(seed: seed)
        return try Matrix(rows: rows, columns: columns, values: (0..<(rows * columns)).map { _ in Double(generator.nextNormal()) })
    }

    /// A layer equal to the reference (or a scaled copy, which preparation normalises away) has
    /// CKNNA, mutual k-NN and CKA of 1 (CKNNA and CKA up to the reference's +1e-6 in the
    /// denominator); an unrelated layer is far below.
    func testLayerEqualToTheReferenceScoresOne() throws {
        let reference = try randomMatrix(rows: 60, columns: 8, seed: 1)
        let scaled = try Matrix(rows: 60, columns: 8, values: reference.values.map { $0 * 5 })
        let unrelated = try randomMatrix(rows: 60, columns: 8, seed: 2)
        let curve = try LayerwiseAlignment(topK: 10).curve(name: "synthetic", layers: [unrelated, reference, scaled], reference: reference)
        XCTAssertEqual(curve.layers.map(\.layer), [0, 1, 2])
        for layer in curve.layers.dropFirst() {
            XCTAssertEqual(layer.cknna, 1, accuracy: 1e-4)
            XCTAssertEqual(layer.mutualKNN, 1, accuracy: 1e-12)
            XCTAssertEqual(layer.cka, 1, accuracy: 1e-4)
        }
        XCTAssertLessThan(curve.layers[0].cknna, 0.3)
        XCTAssertLessThan(curve.layers[0].mutualKNN, 0.4)
        XCTAssertEqual(curve.peak()?.layer, 1)
        let csv = curve.csv.split(separator: "\n")
        XCTAssertEqual(csv[0], "layer,cknna,mutual_knn,cka")
        XCTAssertEqual(csv.count, 4)
        XCTAssertTrue(csv[2].hasPrefix("1,0.99"), String(csv[2]))
    }

    /// The values are those of `RepresentationSimilarity` on prepared features (the `cknna`
    /// fixture's path), here for a partly related layer.
    func testValuesAreThoseOfPreparedFeatures() throws {
        let reference = try randomMatrix(rows: 40, columns: 6, seed: 3)
        let noise = try randomMatrix(rows: 40, columns: 6, seed: 4)
        let mixed = try Matrix(rows: 40, columns: 6, values: zip(reference.values, noise.values).map { $0 + 0.7 * $1 })
        let layer = try LayerwiseAlignment(topK: 5).curve(name: "m", layers: [mixed], reference: reference).layers[0]
        let a = try FeaturePreparation.prepare(mixed), b = try FeaturePreparation.prepare(reference)
        XCTAssertEqual(layer.cknna, try RepresentationSimilarity.cknna(a, b, topK: 5), accuracy: 1e-12)
        XCTAssertEqual(layer.mutualKNN, try RepresentationSimilarity.mutualKNN(a, b, topK: 5), accuracy: 1e-12)
        XCTAssertEqual(layer.cka, try RepresentationSimilarity.unbiasedCKA(a, b), accuracy: 1e-12)
        XCTAssertGreaterThan(layer.cknna, 0.2)
    }

    func testTooFewSamplesAndBadLayersThrow() throws {
        let small = try randomMatrix(rows: 8, columns: 4, seed: 5)
        XCTAssertThrowsError(try LayerwiseAlignment(topK: 10).curve(name: "x", layers: [small], reference: small)) {
            XCTAssertTrue("\($0)".contains("more than 10 visual tokens"), "\($0)")
        }
        let folder = try ExperimentFixtures.temporaryFolder(for: self)
        let images = try ExperimentFixtures.writePictures(1, into: folder)
        XCTAssertThrowsError(try LayerwiseAlignment(layers: [7]).collect(chat: try ExperimentFixtures.chat(), images: images)) {
            XCTAssertTrue("\($0)".contains("layer 7 does not exist"), "\($0)")
        }
    }

    /// On the fixture: one row per grid token of every image; layer 0 (the decoder input) holds
    /// the projected tower features and the reference the tower's features, both as the model
    /// computes them in one forward pass.
    func testCollectOnTheFixtureModel() throws {
        let chat = try ExperimentFixtures.chat()
        let folder = try ExperimentFixtures.temporaryFolder(for: self)
        let images = try ExperimentFixtures.writePictures(3, into: folder)
        let features = try LayerwiseAlignment().collect(chat: chat, images: images)
        XCTAssertEqual(features.layerIndices, [0, 1, 2, 3, 4])
        XCTAssertEqual(features.rows, 48)
        XCTAssertEqual(features.reference.columns, 48)
        XCTAssertEqual(features.layerWidth, 64)

        let pixels = chat.pixelValues(for: try ChatModel.loadImage(images[2]))
        let ids = chat.promptIDs(for: .prompt(question: VisualProbe.defaultQuestion, hasImage: true))
        let output = try chat.model.forward(inputIDs: [ids], pixelValues: pixels)
        XCTAssertEqual(Array(features.layerValues[0][(32 * 64)...]), output.imageFeatures!.scalars)
        XCTAssertEqual(Array(features.reference.values[(32 * 48)...]), output.towerFeatures!.scalars.map(Double.init))

        let curve = try LayerwiseAlignment().curve(name: "fixture", features: features)
        XCTAssertEqual(curve.layers.count, 5)
        XCTAssertTrue(curve.layers.allSatisfy { $0.cknna.isFinite && $0.cka.isFinite && (0...1).contains($0.mutualKNN) })
    }

    /// A DINOv2 teacher on a 6×6 grid is resampled to the model's 4×4 token grid.
    func testTeacherFeaturesAreResampledToTheTokenGrid() throws {
        let chat = try ExperimentFixtures.chat()
        let teacher = try Teacher(directory: ExperimentFixtures.tests.appendingPathComponent("ModelsTests/Fixtures/dinov2"),
                                  imageSize: 24, pad: true)
        XCTAssertEqual(teacher.grid.rows, 6)
        let folder = try ExperimentFixtures.temporaryFolder(for: self)
        let images = try ExperimentFixtures.writePictures(2, into: folder)
        let features = try LayerwiseAlignment(layers: [2]).collect(chat: chat, images: images, teacher: teacher)
        XCTAssertEqual(features.rows, 32)
        XCTAssertEqual(features.reference.columns, 64)
        XCTAssertEqual(features.referenceName, "dinov2")
        let own = try teacher.features(of: [try ChatModel.loadImage(images[0])])
        let resampled = TargetResampling.resample(own, from: (6, 6), to: (4, 4))
        XCTAssertEqual(Array(features.reference.values[..<(16 * 64)]), resampled.scalars.map(Double.init))
    }

    func testChartOfSeveralCurvesRenders() throws {
        let curves = [AlignmentCurve(name: "baseline", layers: (0...4).map { LayerAlignment(layer: $0, cknna: 0.1 * Double($0), mutualKNN: 0.2, cka: 0.3) },
                                     rows: 48, topK: 10),
                      AlignmentCurve(name: "VIRAL", layers: (0...4).map { LayerAlignment(layer: $0, cknna: 0.5 - 0.05 * Double($0), mutualKNN: 0.2, cka: 0.3) },
                                     rows: 48, topK: 10)]
        let chart = LayerwiseAlignment.chart(curves)
        XCTAssertEqual(chart.series.map(\.name), ["baseline", "VIRAL"])
        XCTAssertEqual(chart.series[0].xs, [0, 1, 2, 3, 4])
        for (value, expected) in zip(chart.series[1].ys, [0.5, 0.45, 0.4, 0.35, 0.3]) {
            XCTAssertEqual(value, expected, accuracy: 1e-12)
        }
        XCTAssertEqual(chart.title, "Layer-wise CKNNA of visual tokens (k = 10)")
        let image = try chart.render()
        XCTAssertEqual(image.width, 800)
    }

    /// Hand-computed maps on a 3×3 grid: attention on one token → one component → entropy 0;
    /// on two opposite corners → two components of one pixel → ln 2; uniform → no pixel above
    /// the mean → +∞.
    func testAttentionEntropyOfHandMadeMaps() throws {
        // Sequence: [text, 9 grid tokens, 2 text queries]; one layer, three heads.
        let length = 12, grid = Array(1...9), queries = [10, 11]
        var weights = [Float](repeating: 0, count: 3 * length * length)
        func set(head: Int, query: Int, key: Int, _ value: Float) { weights[(head * length + query) * length + key] = value }
        for query in queries {
            set(head: 0, query: query, key: 1 + 4, 1)          // the centre
            set(head: 1, query: query, key: 1 + 0, 0.5)        // top-left corner
            set(head: 1, query: query, key: 1 + 8, 0.5)        // bottom-right corner
            for key in grid { set(head: 2, query: query, key: key, 1.0 / 9) }
        }
        let pass = VisualProbe.Pass(hiddenStates: [], attentionWeights: [Tensor(weights, shape: [1, 3, length, length])],
                                    towerFeatures: Tensor(zeros: [9, 1]), gridPositions: grid,
                                    textPositionsAfterImage: queries, sequenceLength: length)
        let entropies = try AttentionEntropy().entropies(of: pass, gridSide: 3)
        XCTAssertEqual(entropies.count, 1)
        XCTAssertEqual(entropies[0][0], 0, accuracy: 1e-12)
        XCTAssertEqual(entropies[0][1], log(2), accuracy: 1e-12)
        XCTAssertEqual(entropies[0][2], .infinity)

        let mean = AttentionEntropy.average([[[0, .infinity, 1]], [[log(2), .infinity, 2]]])
        XCTAssertEqual(mean.entropy[0][0], log(2) / 2, accuracy: 1e-12)
        XCTAssertEqual(mean.entropy[0][1], .infinity)
        XCTAssertEqual(mean.finiteCounts, [[2, 0, 2]])
        XCTAssertEqual(mean.csv.split(separator: "\n")[2], "0,1,inf,0")
        XCTAssertThrowsError(try AttentionEntropy.definition(named: "mine"))
        XCTAssertEqual(try AttentionEntropy.definition(named: "released"), .releasedCodeDefault)
    }

    func testAttentionEntropyOnTheFixtureModel() throws {
        let folder = try ExperimentFixtures.temporaryFolder(for: self)
        let images = try ExperimentFixtures.writePictures(2, into: folder)
        let result = try AttentionEntropy().measure(chat: try ExperimentFixtures.chat(), images: images)
        XCTAssertEqual(result.imageCount, 2)
        XCTAssertEqual(result.entropy.count, 4, "layers")
        XCTAssertTrue(result.entropy.allSatisfy { $0.count == 4 }, "heads")
        XCTAssertTrue(result.entropy.joined().allSatisfy { $0 >= 0 })
        XCTAssertEqual(result.csv.split(separator: "\n").count, 17)
        XCTAssertEqual(try result.heatMap().render().width, 800)
    }

    /// The map has one pixel per grid token; every component is min-max scaled, so each colour
    /// channel spans 0…255 unless that component is constant.
    func testPCAMapOfTheFixtureModel() throws {
        let chat = try ExperimentFixtures.chat()
        let image = ExperimentFixtures.picture(width: 48, height: 32, variant: 3)
        let map = try VisualTokenPCA(layer: 2).map(chat: chat, image: image)
        XCTAssertEqual(map.width, 4)
        XCTAssertEqual(map.height, 4)
        for channel in 0..<3 {
            let values = stride(from: channel, to: map.pixels.count, by: 3).map { map.pixels[$0] }
            XCTAssertEqual(values.min(), 0)
            XCTAssertEqual(values.max(), 255)
        }
        XCTAssertEqual(VisualTokenPCA.middleLayer(of: 32), 16)
        XCTAssertThrowsError(try VisualTokenPCA(layer: 9).map(chat: chat, image: image))
        let figure = VisualTokenPCA.figure(image: chat.preparedImage(image), maps: [("baseline", map), ("VIRAL", map)], title: "PCA")
        XCTAssertEqual(figure.cells.map(\.caption), ["input", "baseline", "VIRAL"])
        XCTAssertGreaterThan(try figure.render().width, 3 * 256)
    }
}
