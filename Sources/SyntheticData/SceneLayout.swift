/// A scene being composed: objects are placed one at a time by rejection sampling, each at a
/// uniformly random position that keeps a gap to every object already placed, so objects never
/// overlap or touch (no occlusion) and all lie wholly inside the image.
struct SceneLayout {
    let side: Int
    var background: Background
    private(set) var objects: [SceneObject] = []

    /// Random positions tried per object before `add` gives up.
    private static let positionAttempts = 200

    /// Starts an empty scene with a random background.
    init(side: Int, using generator: inout SeededGenerator) {
        self.side = side
        background = Background.random(using: &generator)
    }

    /// The smallest distance, in pixels, kept between two objects' boxes.
    var gap: Double { max(2, Double(side) / 32) }

    /// The scene as composed so far.
    var scene: Scene { Scene(side: side, background: background, objects: objects) }

    /// A new object of `category` at a free random position that satisfies `accept`, or nil when
    /// none of the attempts found one. The object is not added; see `add`.
    func candidate(_ category: ObjectCategory, size: SizeClass, ignoring ignored: Int? = nil,
                   using generator: inout SeededGenerator,
                   where accept: (SceneObject) -> Bool = { _ in true }) -> SceneObject? {
        let radius = size.radiusFraction * Double(side)
        let extent = category.kind.unitExtent
        // One pixel of margin to the image border so that antialiased edges are never cut.
        let lowX = radius * extent.x + 1, highX = Double(side) - radius * extent.x - 1
        let lowY = radius * extent.y + 1, highY = Double(side) - radius * extent.y - 1
        guard lowX < highX, lowY < highY else { return nil }
        for _ in 0..<SceneLayout.positionAttempts {
            let object = SceneObject(
                kind: category.kind, color: category.color, size: size,
                centerX: generator.number(in: lowX...highX), centerY: generator.number(in: lowY...highY),
                radius: radius)
            let box = object.boundingBox
            let isFree = objects.indices.allSatisfy { index in
                index == ignored || !objects[index].boundingBox.isCloser(than: gap, to: box)
            }
            if isFree && accept(object) { return object }
        }
        return nil
    }

    /// Adds an object of `category` at a free random position satisfying `accept`; returns it,
    /// or nil (and adds nothing) when no position was found.
    @discardableResult
    mutating func add(_ category: ObjectCategory, size: SizeClass, using generator: inout SeededGenerator,
                      where accept: (SceneObject) -> Bool = { _ in true }) -> SceneObject? {
        guard let object = candidate(category, size: size, using: &generator, where: accept) else { return nil }
        objects.append(object)
        return object
    }

    /// Adds `count` objects drawn from the category prior among the categories `allowed` admits;
    /// false when one of them found no place.
    mutating func addFillers(_ count: Int, sizes: [SizeClass], using generator: inout SeededGenerator,
                             where allowed: (ObjectCategory) -> Bool) -> Bool {
        for _ in 0..<count {
            guard let category = CategoryPrior.draw(using: &generator, where: allowed),
                  add(category, size: generator.element(of: sizes), using: &generator) != nil
            else { return false }
        }
        return true
    }

    /// Moves the object at `index` to a new free position satisfying `accept`; false when none
    /// was found (the object then stays where it was).
    mutating func move(objectAt index: Int, using generator: inout SeededGenerator,
                       where accept: (SceneObject) -> Bool) -> Bool {
        let object = objects[index]
        guard let moved = candidate(object.category, size: object.size, ignoring: index,
                                    using: &generator, where: accept) else { return false }
        objects[index] = moved
        return true
    }

    /// Recolours the object at `index`.
    mutating func recolor(objectAt index: Int, to color: ShapeColor) {
        objects[index].color = color
    }

    /// Runs `compose` on fresh layouts until it succeeds (returns non-nil), at most 100 times.
    /// Failures are rare (a crowded scene where rejection sampling ran out of attempts); the
    /// generator keeps advancing, so the retries stay reproducible.
    static func compose<T>(side: Int, sample: String, using generator: inout SeededGenerator,
                           _ compose: (inout SceneLayout, inout SeededGenerator) -> T?) throws -> T {
        for _ in 0..<100 {
            var layout = SceneLayout(side: side, using: &generator)
            if let result = compose(&layout, &generator) { return result }
        }
        throw SyntheticDataError.placementFailed(sample: sample, imageSize: side)
    }
}

extension SizeClass {
    /// Sizes for a scene of `objectCount` objects: crowded scenes leave out the large size.
    static func choices(forObjectCount objectCount: Int) -> [SizeClass] {
        objectCount > 4 ? [.small, .medium] : allCases
    }
}
