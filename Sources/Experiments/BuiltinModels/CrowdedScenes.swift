import SyntheticData
import Tensor

/// Crowded scenes for pretraining: as many objects as fit (up to `maximumObjects`), of uniformly
/// drawn categories and sizes, on the suite's backgrounds, placed by rejection sampling with the
/// suite's rules (a gap between bounding boxes, a pixel of margin to the border). About a third
/// of the patches show an object — three times as many as in the suite's scenes — so a
/// pretraining step sees three times as many labelled objects.
enum CrowdedScenes {
    static let maximumObjects = 9
    static let placementAttempts = 60

    /// `count` scenes of side `side`, drawn from `seed`.
    static func make(count: Int, side: Int, seed: UInt64) -> [Scene] {
        var generator = RandomGenerator(seed: seed)
        return (0..<count).map { _ in scene(side: side, using: &generator) }
    }

    private static func scene(side: Int, using generator: inout RandomGenerator) -> Scene {
        let gap = max(2, Double(side) / 32)
        var objects: [SceneObject] = []
        for _ in 0..<maximumObjects {
            let category = ObjectCategory.all[index(below: ObjectCategory.all.count, &generator)]
            let size = SizeClass.allCases[index(below: SizeClass.allCases.count, &generator)]
            let radius = size.radiusFraction * Double(side)
            let extent = category.kind.unitExtent
            let (halfWidth, halfHeight) = (radius * extent.x + 1, radius * extent.y + 1)
            for _ in 0..<placementAttempts {
                let object = SceneObject(
                    kind: category.kind, color: category.color, size: size,
                    centerX: halfWidth + Double(generator.nextUniform()) * (Double(side) - 2 * halfWidth),
                    centerY: halfHeight + Double(generator.nextUniform()) * (Double(side) - 2 * halfHeight),
                    radius: radius)
                if objects.allSatisfy({ !$0.boundingBox.isCloser(than: gap, to: object.boundingBox) }) {
                    objects.append(object)
                    break
                }
            }
        }
        return Scene(side: side, background: background(using: &generator), objects: objects)
    }

    /// A plain, gradient or noisy background of light (70 %) or dark tones, as the suite draws them.
    private static func background(using generator: inout RandomGenerator) -> Background {
        let tones = generator.nextUniform() < 0.7 ? Background.lightTones : Background.darkTones
        let first = tones[index(below: tones.count, &generator)]
        switch index(below: 3, &generator) {
        case 0:
            return .plain(first)
        case 1:
            let second = tones[(tones.firstIndex(of: first)! + 1 + index(below: tones.count - 1, &generator)) % tones.count]
            let directions = Background.GradientDirection.allCases
            return .gradient(from: first, to: second, direction: directions[index(below: directions.count, &generator)])
        default:
            return .noise(first, amplitude: 6 + index(below: 9, &generator), seed: generator.next())
        }
    }

    private static func index(below bound: Int, _ generator: inout RandomGenerator) -> Int {
        Int(generator.next() % UInt64(bound))
    }
}
