import Vision

/// A synthetic image described by its background and objects; `render()` paints it.
public struct Scene: Hashable, Sendable {
    /// Width and height in pixels (scenes are square).
    public var side: Int
    public var background: Background
    /// The objects, painted in this order; they never overlap (see `SceneLayout`).
    public var objects: [SceneObject]

    /// Creates a scene.
    public init(side: Int, background: Background, objects: [SceneObject]) {
        self.side = side
        self.background = background
        self.objects = objects
    }

    /// The number of objects of a category.
    public func count(of category: ObjectCategory) -> Int {
        objects.filter { $0.category == category }.count
    }

    /// The categories present, in `ObjectCategory` order.
    public var categories: [ObjectCategory] {
        Array(Set(objects.map(\.category))).sorted()
    }

    /// Supersampling grid per pixel side: 4 × 4 = 16 samples give 17 coverage levels.
    static let samplesPerSide = 4

    /// Paints the scene: the background, then each object antialiased by 4 × 4 supersampling
    /// (the fraction of samples inside the shape blends its colour over what lies below).
    public func render() -> RGBImage {
        var pixels = [UInt8](repeating: 0, count: side * side * 3)
        background.paint(into: &pixels, side: side)
        let n = Scene.samplesPerSide
        let sampleCount = n * n
        let offsets = (0..<n).map { (Double($0) + 0.5) / Double(n) }
        for object in objects {
            let box = object.boundingBox
            let x0 = max(0, Int(box.minX.rounded(.down))), x1 = min(side - 1, Int(box.maxX.rounded(.down)))
            let y0 = max(0, Int(box.minY.rounded(.down))), y1 = min(side - 1, Int(box.maxY.rounded(.down)))
            guard x0 <= x1, y0 <= y1 else { continue }
            let color = object.color.rgb
            let inverseRadius = 1 / object.radius
            for y in y0...y1 {
                for x in x0...x1 {
                    var covered = 0
                    for dy in offsets {
                        let v = (Double(y) + dy - object.centerY) * inverseRadius
                        for dx in offsets {
                            let u = (Double(x) + dx - object.centerX) * inverseRadius
                            if object.kind.containsUnitPoint(u, v) { covered += 1 }
                        }
                    }
                    guard covered > 0 else { continue }
                    let index = (y * side + x) * 3
                    pixels[index] = Scene.blend(pixels[index], color.red, covered, sampleCount)
                    pixels[index + 1] = Scene.blend(pixels[index + 1], color.green, covered, sampleCount)
                    pixels[index + 2] = Scene.blend(pixels[index + 2], color.blue, covered, sampleCount)
                }
            }
        }
        return RGBImage(width: side, height: side, pixels: pixels)
    }

    /// `below` covered by `covered / total` of `paint`, rounded to nearest.
    @inline(__always)
    private static func blend(_ below: UInt8, _ paint: UInt8, _ covered: Int, _ total: Int) -> UInt8 {
        UInt8((Int(below) * (total - covered) + Int(paint) * covered + total / 2) / total)
    }
}
