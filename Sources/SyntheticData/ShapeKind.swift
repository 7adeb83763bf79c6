/// The kinds of shape a scene is made of.
///
/// Each kind is defined in unit coordinates around its centre (x to the right, y downwards, the
/// shape inside [-1, 1]²) and scaled by the object's radius. The outlines are chosen to read at a
/// 10–20 pixel size: a square smaller than the circle so their areas are alike, a fat star
/// (inner radius 0.5) and thick cross arms.
public enum ShapeKind: String, CaseIterable, Sendable {
    case circle, square, triangle, star, diamond, cross

    /// The singular name used in questions, e.g. "circle".
    public var name: String { rawValue }

    /// The plural name used in questions, e.g. "crosses".
    public var pluralName: String { self == .cross ? "crosses" : rawValue + "s" }

    /// Half the width and half the height of the shape's bounding box in unit coordinates.
    public var unitExtent: (x: Double, y: Double) {
        switch self {
        case .circle, .diamond: return (1, 1)
        case .square: return (ShapeKind.squareHalfSide, ShapeKind.squareHalfSide)
        case .triangle: return (1, ShapeKind.triangleHalfHeight)
        case .star: return (ShapeKind.starHalfWidth, ShapeKind.starHalfHeight)
        case .cross: return (ShapeKind.crossArmLength, ShapeKind.crossArmLength)
        }
    }

    /// Whether the unit-coordinate point (u, v) lies inside the shape.
    @inline(__always)
    func containsUnitPoint(_ u: Double, _ v: Double) -> Bool {
        switch self {
        case .circle:
            return u * u + v * v <= 1
        case .square:
            return abs(u) <= ShapeKind.squareHalfSide && abs(v) <= ShapeKind.squareHalfSide
        case .diamond:
            return abs(u) + abs(v) <= 1
        case .triangle:
            // Apex (0, -h), base corners (±1, h): inside the base and both slanted edges.
            let h = ShapeKind.triangleHalfHeight
            return v <= h && abs(u) <= (v + h) / (2 * h)
        case .star:
            return ShapeKind.starContains(u, v)
        case .cross:
            let arm = ShapeKind.crossArmLength, half = ShapeKind.crossHalfThickness
            return (abs(u) <= half && abs(v) <= arm) || (abs(v) <= half && abs(u) <= arm)
        }
    }

    private static let squareHalfSide = 0.82
    /// Half the height of the near-equilateral triangle whose base spans [-1, 1].
    private static let triangleHalfHeight = 0.86
    private static let crossArmLength = 0.92
    private static let crossHalfThickness = 0.32

    /// The star's ten outline vertices, point up, outer radius 1 and inner radius 0.5, moved down
    /// by `starShift` so its bounding box is centred. The angles are multiples of 36°, written as
    /// constants rather than computed with `sin`/`cos` so that no libm version can change a pixel.
    private static let starOuterRadius = 1.0
    private static let starInnerRadius = 0.5
    private static let starShift = (1 - 0.809_016_994_4) / 2
    private static let starHalfWidth = 0.951_056_516_3
    private static let starHalfHeight = 1 - starShift
    private static let starVertices: [(Double, Double)] = {
        // (cos θ, sin θ) for θ = -90°, -54°, -18°, 18°, ..., 234°.
        let directions: [(Double, Double)] = [
            (0, -1), (0.587_785_252_3, -0.809_016_994_4), (0.951_056_516_3, -0.309_016_994_4),
            (0.951_056_516_3, 0.309_016_994_4), (0.587_785_252_3, 0.809_016_994_4), (0, 1),
            (-0.587_785_252_3, 0.809_016_994_4), (-0.951_056_516_3, 0.309_016_994_4),
            (-0.951_056_516_3, -0.309_016_994_4), (-0.587_785_252_3, -0.809_016_994_4),
        ]
        return directions.enumerated().map { index, direction in
            let radius = index % 2 == 0 ? starOuterRadius : starInnerRadius
            return (radius * direction.0, radius * direction.1 + starShift)
        }
    }()

    /// Even–odd crossing test against the star's outline (the star is not convex).
    private static func starContains(_ u: Double, _ v: Double) -> Bool {
        var inside = false
        var previous = starVertices[starVertices.count - 1]
        for vertex in starVertices {
            if (vertex.1 > v) != (previous.1 > v) {
                let crossingU = vertex.0 + (v - vertex.1) * (previous.0 - vertex.0) / (previous.1 - vertex.1)
                if u < crossingU { inside.toggle() }
            }
            previous = vertex
        }
        return inside
    }
}
