import Analysis
import Foundation
import Plot
import Vision
import XCTest

/// Renders every chart kind, writes it as PNG with Vision, decodes it with Vision's decoder and
/// checks size, compression, white background, the series colours, and chart-specific geometry.
/// The PNGs are kept in `<temporary directory>/plot-previews` for a person to look at.
final class ChartRenderingTests: XCTestCase {
    private static let previews = FileManager.default.temporaryDirectory.appendingPathComponent("plot-previews")

    private func roundTrip(_ image: RGBImage, name: String) throws -> RGBImage {
        try FileManager.default.createDirectory(at: Self.previews, withIntermediateDirectories: true)
        let path = Self.previews.appendingPathComponent(name + ".png").path
        try image.writePNG(to: path)
        let decoded = try RGBImage(contentsOfFile: path)
        XCTAssertEqual(decoded.width, image.width, name)
        XCTAssertEqual(decoded.height, image.height, name)
        XCTAssertEqual(decoded.pixels, image.pixels, name)
        // Charts are mostly flat colour: deflate keeps them far below the 3 bytes a pixel of
        // raw samples (an 800 × 500 chart was 1.2 MB with stored blocks, is ~26 KB now).
        let fileSize = try XCTUnwrap(FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
        XCTAssertLessThan(fileSize, image.width * image.height * 3 / 10, "\(name): PNG is not compressed")
        for (x, y) in [(0, 0), (image.width - 1, 0), (0, image.height - 1), (image.width - 1, image.height - 1)] {
            XCTAssertEqual(decoded[x, y], .white, "\(name): corner (\(x), \(y)) is not white")
        }
        // A readable chart is mostly white paper.
        XCTAssertGreaterThan(decoded.count(of: .white), image.width * image.height / 4, name)
        return decoded
    }

    func testLineChartOfLayerwiseCKNNA() throws {
        let layers = Array(0...32).map(Double.init)
        let baseline = layers.map { 0.62 * exp(-$0 / 9) + 0.08 }
        let viral = layers.map { 0.62 * exp(-$0 / 16) + 0.1 + ($0 == 16 ? 0.06 : 0) }
        var chart = LineChart(title: "CKNNA to CLIP features per layer", xLabel: "Layer", yLabel: "CKNNA",
                              series: [LineSeries(name: "LLaVA-1.5 baseline", values: baseline),
                                       LineSeries(name: "VIRAL (DINOv2)", values: viral)])
        chart.shadedXRange = 12...20
        let image = try chart.render()
        XCTAssertEqual(image.width, 800)
        XCTAssertEqual(image.height, 500)
        let decoded = try roundTrip(image, name: "line-chart")
        // Lines 2.5 px wide over ~700 px: hundreds of fully covered pixels per series.
        XCTAssertGreaterThan(decoded.count(of: RGBColor.series(0)), 500)
        XCTAssertGreaterThan(decoded.count(of: RGBColor.series(1)), 500)
        XCTAssertGreaterThan(decoded.count(of: .ink), 1000, "axes and text")
        // The baseline falls with depth: its colour appears in the left-top region and the
        // lower right, not in the upper right.
        let plotRight = (image.width * 3) / 4
        var upperRight = 0
        for y in 90..<200 {
            for x in plotRight..<(image.width - 20) where decoded[x, y] == RGBColor.series(0) { upperRight += 1 }
        }
        XCTAssertEqual(upperRight, 0, "baseline line should not reach the upper right")
    }

    func testLineChartWithGapAndFixedRange() throws {
        var chart = LineChart(title: "Gap", xLabel: "x", yLabel: "y",
                              series: [LineSeries(name: "with gap", xs: [0, 1, 2, 3, 4], ys: [0.1, 0.5, .nan, 0.7, 0.2])])
        chart.yRange = 0...1
        chart.showsMarkers = false
        _ = try roundTrip(try chart.render(), name: "line-chart-gap")
        let broken = LineChart(title: "Broken", xLabel: "", yLabel: "", series: [LineSeries(name: "a", xs: [0, 1], ys: [1])])
        XCTAssertThrowsError(try broken.render()) { error in
            XCTAssertTrue("\(error)".contains("line series \"a\""), "\(error)")
        }
    }

    func testGroupedBarChartOfBenchmarks() throws {
        let categories = ["CV-Bench 2D", "MMVP", "What's Up", "POPE", "MMStar", "MME / 30"]
        let chart = GroupedBarChart(title: "Vicuna-7B + CLIP: baseline vs VIRAL", yLabel: "Score",
                                    categories: categories,
                                    series: [BarSeries(name: "Baseline", values: [56.82, 28.20, 40.13, 85.70, 33.93, 55.01]),
                                             BarSeries(name: "VIRAL", values: [59.67, 33.33, 48.55, 87.43, 33.93, 56.48])])
        let decoded = try roundTrip(try chart.render(), name: "bar-chart")
        let blue = decoded.count(of: RGBColor.series(0))
        let orange = decoded.count(of: RGBColor.series(1))
        XCTAssertGreaterThan(blue, 10_000)
        XCTAssertGreaterThan(orange, 10_000)
        // VIRAL's bars are taller or equal in every group: more orange than blue area.
        XCTAssertGreaterThan(orange, blue)
        XCTAssertThrowsError(try GroupedBarChart(title: "t", yLabel: "", categories: ["a", "b"],
                                                 series: [BarSeries(name: "s", values: [1])]).render()) { error in
            XCTAssertEqual("\(error)", "bar series \"s\": has 1 values for 2 categories")
        }
    }

    func testHeatMapOfEntropyPerLayerAndHead() throws {
        var values = (0..<32).map { layer in (0..<32).map { head in 1.0 + 2.5 * sin(Double(layer) / 6) * cos(Double(head) / 9) } }
        values[3][5] = .infinity
        var chart = HeatMap(title: "Spatial entropy of text-to-image attention", xLabel: "Head", yLabel: "Layer",
                            colorBarLabel: "Entropy", values: values)
        chart.width = 800
        chart.height = 600
        let decoded = try roundTrip(try chart.render(), name: "heat-map")
        XCTAssertEqual(decoded.height, 600)
        // Both ends of viridis appear (in the cells or at the ends of the colour bar).
        XCTAssertGreaterThan(decoded.count(of: ColorScale.viridis.stops.first!), 20)
        XCTAssertGreaterThan(decoded.count(of: ColorScale.viridis.stops.last!), 20)
        XCTAssertGreaterThan(decoded.count(of: HeatMap.missingColor), 50, "the +∞ cell")
        XCTAssertThrowsError(try HeatMap(title: "ragged", xLabel: "", yLabel: "", values: [[1, 2], [3]]).render()) { error in
            XCTAssertTrue("\(error)".contains("row 1 has 1 values"), "\(error)")
        }
    }

    func testImageGridOfTokenMaps() throws {
        // A 24 × 24 "PCA map" of three coloured regions, and a smooth 96 × 64 gradient "photo".
        var map = [UInt8]()
        for row in 0..<24 {
            for column in 0..<24 {
                map += column < 12 ? [200, 40, 40] : (row < 12 ? [40, 160, 60] : [50, 60, 200])
            }
        }
        var photo = [UInt8]()
        for row in 0..<64 {
            for column in 0..<96 { photo += [UInt8(column * 2), UInt8(row * 3), 128] }
        }
        let grid = ImageGrid(title: "PCA of layer-16 visual tokens",
                             cells: [ImageGrid.Cell(image: RGBImage(width: 96, height: 64, pixels: photo), caption: "Input image"),
                                     ImageGrid.Cell(image: RGBImage(width: 24, height: 24, pixels: map), caption: "Baseline"),
                                     ImageGrid.Cell(image: RGBImage(width: 24, height: 24, pixels: map), caption: "VIRAL")],
                             columns: 3)
        let image = try grid.render()
        XCTAssertEqual(image.width, 3 * 224 + 4 * 20)
        let decoded = try roundTrip(image, name: "image-grid")
        // Two maps enlarged ×224/24: each region is a crisp block of one colour.
        XCTAssertGreaterThan(decoded.count(of: RGBColor(red: 200, green: 40, blue: 40)), 2 * 224 * 110)
        XCTAssertGreaterThan(decoded.count(of: RGBColor(red: 50, green: 60, blue: 200)), 2 * 112 * 110)
    }

    func testManySeriesWrapTheLegendAboveThePlot() throws {
        let names = ["baseline", "VIRAL DINOv2", "VIRAL CLIP", "VIRAL SigLIP", "residual P(z)", "residual A(z)", "relation loss"]
        let series = names.enumerated().map { index, name in
            LineSeries(name: name, values: (0..<17).map { 0.2 + 0.05 * Double(index) + 0.1 * sin(Double($0) / 3) })
        }
        var chart = LineChart(title: "Seven variants over 16 layers", xLabel: "Layer", yLabel: "CKNNA", series: series)
        chart.yRange = 0...1
        let decoded = try roundTrip(try chart.render(), name: "line-chart-many-series")
        for index in names.indices {
            XCTAssertGreaterThan(decoded.count(of: RGBColor.series(index)), 300, names[index])
        }
    }

    func testSmallHeatMapWithFixedRange() throws {
        let values = (0..<4).map { layer in (0..<8).map { head in Double(layer * 8 + head) / 31 } }
        var chart = HeatMap(title: "4 layers x 8 heads", xLabel: "Head", yLabel: "Layer", values: values)
        chart.valueRange = 0...1
        chart.firstRowAtTop = false
        chart.width = 640
        chart.height = 400
        let image = try chart.render()
        let decoded = try roundTrip(image, name: "heat-map-small")
        // Value 0 (row 0, column 0) sits at the bottom left with firstRowAtTop = false: find the
        // darkest viridis end there, not at the top left.
        let bottomLeft = decoded[120, image.height - 90]
        let topLeft = decoded[120, 80]
        XCTAssertLessThan(Int(bottomLeft.green), Int(topLeft.green))
    }

    func testImageGridWrapsCaptionsAndRows() throws {
        let tile = RGBImage(width: 8, height: 8, filledWith: RGBColor(red: 90, green: 90, blue: 90))
        var grid = ImageGrid(title: "", cells: (0..<5).map { ImageGrid.Cell(image: tile, caption: "layer \($0 * 8) tokens after the projector") },
                             columns: 2)
        grid.cellSize = 160
        let image = try grid.render()
        XCTAssertEqual(image.width, 2 * 160 + 3 * 20)
        let decoded = try roundTrip(image, name: "image-grid-rows")
        XCTAssertEqual(decoded.count(of: RGBColor(red: 90, green: 90, blue: 90)), 5 * 160 * 160)
    }

    func testImageGridShrinksPhotosSmoothly() throws {
        // A 448 × 448 one-pixel checkerboard halved into a 224 cell: antialiased resampling
        // gives even grey (Pillow's BICUBIC: 125…130 everywhere); dropping pixels would leave
        // pure black or white.
        let pixels = (0..<(448 * 448)).flatMap { index -> [UInt8] in
            let value: UInt8 = (index / 448 + index % 448) % 2 == 0 ? 0 : 255
            return [value, value, value]
        }
        let grid = ImageGrid(title: "", cells: [ImageGrid.Cell(image: RGBImage(width: 448, height: 448, pixels: pixels), caption: "")],
                             columns: 1)
        let decoded = try roundTrip(try grid.render(), name: "image-grid-shrunk")
        let cell = decoded.cropped(x: 20, y: 20, size: ImageSize(square: 224))
        XCTAssertEqual(cell.pixels.min(), 125)
        XCTAssertEqual(cell.pixels.max(), 130)
    }

    /// An `Analysis.PCAColorMap` raster becomes a Vision image in one line and goes into a grid.
    func testPCAMapFromAnalysisInAGrid() throws {
        // Six tokens of a 2 × 3 grid whose first three scores are (t, -t, t mod 2): min-max
        // normalised, token 0 is (0, 255, 0) and token 5 is (255, 0, 255).
        let scores = try Matrix(rows: 6, columns: 3, values: (0..<6).flatMap { t in [Double(t), Double(-t), Double(t % 2)] })
        let raster = try PCAColorMap.render(scores: scores, height: 2, width: 3)
        let map = RGBImage(width: raster.width, height: raster.height, pixels: raster.pixels)
        XCTAssertEqual(map[0, 0], RGBColor(red: 0, green: 255, blue: 0))
        XCTAssertEqual(map[2, 1], RGBColor(red: 255, green: 0, blue: 255))
        var grid = ImageGrid(title: "", cells: [ImageGrid.Cell(image: map, caption: "PCA")], columns: 1)
        grid.cellSize = 150
        let decoded = try roundTrip(try grid.render(), name: "image-grid-pca")
        // Enlarged × 50 by nearest neighbour: each token is a 50 × 50 block.
        XCTAssertEqual(decoded.count(of: RGBColor(red: 0, green: 255, blue: 0)), 50 * 50)
        XCTAssertEqual(decoded.count(of: RGBColor(red: 255, green: 0, blue: 255)), 50 * 50)
    }

    func testEmptyImagesAndSizesAreRejected() {
        let grid = ImageGrid(title: "maps", cells: [ImageGrid.Cell(image: RGBImage(width: 0, height: 0, pixels: []), caption: "none")],
                             columns: 1)
        XCTAssertThrowsError(try grid.render()) { error in
            XCTAssertEqual("\(error)", "image grid \"maps\" cell 0 (\"none\"): image of 0 × 0 pixels is empty")
        }
        var chart = LineChart(title: "t", xLabel: "", yLabel: "", series: [LineSeries(name: "a", values: [1, 2])])
        chart.width = 0
        XCTAssertThrowsError(try chart.render()) { error in
            XCTAssertEqual("\(error)", "line chart \"t\": size 0 × 500 is not positive")
        }
    }
}

private extension RGBImage {
    /// How many pixels have exactly `color`.
    func count(of color: RGBColor) -> Int {
        var total = 0
        for y in 0..<height {
            for x in 0..<width where self[x, y] == color { total += 1 }
        }
        return total
    }
}
