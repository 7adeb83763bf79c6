/// An axis-aligned rectangle in pixel coordinates (origin top-left, y downwards).
public struct BoundingBox: Hashable, Sendable {
    public var minX: Double
    public var minY: Double
    public var maxX: Double
    public var maxY: Double

    /// Creates a box from its edges.
    public init(minX: Double, minY: Double, maxX: Double, maxY: Double) {
        self.minX = minX
        self.minY = minY
        self.maxX = maxX
        self.maxY = maxY
    }

    /// Whether the two boxes come closer than `gap` pixels along both axes (i.e. they overlap
    /// once one of them is grown by `gap` on every side).
    public func isCloser(than gap: Double, to other: BoundingBox) -> Bool {
        minX < other.maxX + gap && other.minX < maxX + gap
            && minY < other.maxY + gap && other.minY < maxY + gap
    }
}

/// The three object sizes; the radius is a fraction of the image side.
public enum SizeClass: String, CaseIterable, Sendable {
    case small, medium, large

    /// The object's radius (half its bounding-box side, for a circle) as a fraction of the image
    /// side. At 64 pixels: 5.4, 6.9 and 8.6 pixels, the smallest sizes at which a star, a cross
    /// and a diamond stay recognisable.
    public var radiusFraction: Double {
        switch self {
        case .small: return 0.084
        case .medium: return 0.108
        case .large: return 0.134
        }
    }
}

/// One object of a scene.
public struct SceneObject: Hashable, Sendable {
    public var kind: ShapeKind
    public var color: ShapeColor
    public var size: SizeClass
    /// Centre in pixel coordinates (continuous: pixel (i, j) covers [i, i+1) × [j, j+1)).
    public var centerX: Double
    public var centerY: Double
    /// Radius in pixels.
    public var radius: Double

    /// Creates an object.
    public init(kind: ShapeKind, color: ShapeColor, size: SizeClass, centerX: Double, centerY: Double, radius: Double) {
        self.kind = kind
        self.color = color
        self.size = size
        self.centerX = centerX
        self.centerY = centerY
        self.radius = radius
    }

    /// The object's colour and kind.
    public var category: ObjectCategory { ObjectCategory(color: color, kind: kind) }

    /// The tight bounding box of the painted shape.
    public var boundingBox: BoundingBox {
        let extent = kind.unitExtent
        return BoundingBox(minX: centerX - radius * extent.x, minY: centerY - radius * extent.y,
                           maxX: centerX + radius * extent.x, maxY: centerY + radius * extent.y)
    }
}
