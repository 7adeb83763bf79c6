import SyntheticData
import Tensor
import Vision

/// Scenes of the suite's own mix (the patch probe measures the towers on them), the pixels the
/// towers take, and what each patch shows.
enum PretrainingScenes {
    /// `count` scenes of the synthetic training distribution (counting, relation, existence,
    /// attribute and image-pair scenes, 1–6 objects on plain, gradient or noisy backgrounds),
    /// planned by `SyntheticDataset` from `seed` — a seed derived for the purpose, so that these
    /// images are none of the suite that the demo trains and evaluates on.
    static func make(count: Int, imageSize: Int, seed: UInt64) throws -> [Scene] {
        let options = SynthesisOptions(imageSize: imageSize, trainingCount: count, evaluationCount: 1, seed: seed)
        return try SyntheticDataset(options: options).training.records.map(\.scene)
    }

    /// Pixel values [scenes, 3, side, side] of the rendered scenes as `preprocessor` prepares
    /// them; `side` is the preprocessor's output size.
    static func pixelValues(_ scenes: [Scene], preprocessor: ImagePreprocessor, side: Int) -> Tensor {
        Tensor(scenes.flatMap { preprocessor.pixelValues(for: $0.render()) }, shape: [scenes.count, 3, side, side])
    }
}

/// What each patch of a scene shows, in row-major patch order: the object whose bounding box
/// holds the patch centre, or background. Objects never overlap and keep a gap between their
/// boxes, so at most one box holds a point; the box of the smallest object is wider than a
/// patch, so every object holds at least one patch centre.
struct PatchLabels {
    /// The class of background patches.
    static let background = 0
    /// Classes: background, then one per category (1 + `ObjectCategory.ordinal`).
    static let classCount = 1 + ObjectCategory.all.count

    /// Per patch: `background` or 1 + the object's category ordinal.
    let classes: [Int]
    /// Per patch: the object's centre minus the patch centre, x then y, in patch sides (0 for background).
    let offsets: [Float]

    init(classes: [Int], offsets: [Float]) {
        self.classes = classes
        self.offsets = offsets
    }

    /// The labels of square cells of `side` × `side` patches, row-major: a cell shows the
    /// category covering most of its patches (background when none); offsets are zero. Side 1
    /// returns the patch labels themselves.
    func cells(side: Int) -> PatchLabels {
        guard side > 1 else { return self }
        let grid = Int(Double(classes.count).squareRoot()), cells = grid / side
        var cellClasses: [Int] = []
        for cell in 0..<(cells * cells) {
            var counts = [Int](repeating: 0, count: Self.classCount)
            for row in (cell / cells * side)..<(cell / cells * side + side) {
                for column in (cell % cells * side)..<(cell % cells * side + side) where classes[row * grid + column] != Self.background {
                    counts[classes[row * grid + column]] += 1
                }
            }
            let best = counts.indices.max { counts[$0] < counts[$1] }!
            cellClasses.append(counts[best] == 0 ? Self.background : best)
        }
        return PatchLabels(classes: cellClasses, offsets: [Float](repeating: 0, count: 2 * cellClasses.count))
    }

    init(scene: Scene, patchSize: Int) {
        let grid = scene.side / patchSize
        var classes = [Int](repeating: Self.background, count: grid * grid)
        var offsets = [Float](repeating: 0, count: 2 * grid * grid)
        let size = Double(patchSize)
        for row in 0..<grid {
            for column in 0..<grid {
                let x = (Double(column) + 0.5) * size, y = (Double(row) + 0.5) * size
                guard let object = scene.objects.first(where: { object in
                    let box = object.boundingBox
                    return box.minX <= x && x <= box.maxX && box.minY <= y && y <= box.maxY
                }) else { continue }
                let patch = row * grid + column
                classes[patch] = 1 + object.category.ordinal
                offsets[2 * patch] = Float((object.centerX - x) / size)
                offsets[2 * patch + 1] = Float((object.centerY - y) / size)
            }
        }
        self.classes = classes
        self.offsets = offsets
    }

    /// The colour class of a patch: 0 for background, else 1 + the colour's index.
    func colorClass(_ patch: Int) -> Int {
        classes[patch] == Self.background ? 0 : 1 + (classes[patch] - 1) % ShapeColor.allCases.count
    }

    /// The kind class of a patch: 0 for background, else 1 + the kind's index.
    func kindClass(_ patch: Int) -> Int {
        classes[patch] == Self.background ? 0 : 1 + (classes[patch] - 1) / ShapeColor.allCases.count
    }
}
