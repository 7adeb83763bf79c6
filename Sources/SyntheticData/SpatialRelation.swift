/// Where one object is with respect to another, as the benchmarks ask it.
public enum SpatialRelation: String, CaseIterable, Sendable {
    case left, right, above, below

    /// The two axes relations are asked along.
    public enum Axis: Sendable, CaseIterable {
        case horizontal, vertical

        /// The two relations of the axis, in a fixed order.
        public var relations: [SpatialRelation] {
            self == .horizontal ? [.left, .right] : [.above, .below]
        }
    }

    /// The axis this relation lies on.
    public var axis: Axis { self == .left || self == .right ? .horizontal : .vertical }

    /// The relation on the same axis pointing the other way.
    public var opposite: SpatialRelation {
        switch self {
        case .left: return .right
        case .right: return .left
        case .above: return .below
        case .below: return .above
        }
    }

    /// The phrase between the two objects in a caption: "to the left of", "above", ...
    public var captionPhrase: String {
        switch self {
        case .left: return "to the left of"
        case .right: return "to the right of"
        case .above: return "above"
        case .below: return "below"
        }
    }

    /// The relation as the parts of a What's Up file name: "left_of", "above", ...
    public var fileNamePart: String {
        switch self {
        case .left: return "left_of"
        case .right: return "right_of"
        case .above: return "above"
        case .below: return "below"
        }
    }

    /// How much further apart two centres must be along a relation's axis than across it:
    /// 2 keeps the subject within about 27° of the axis, so "to the left of" never describes an
    /// object that could as well be called "above".
    public static let dominance = 2.0

    /// The unambiguous relation of `subject` to `reference`, or nil when there is none: the
    /// boxes must be apart along the relation's axis and the centres `dominance` times further
    /// apart along it than across it.
    public static func of(_ subject: SceneObject, to reference: SceneObject) -> SpatialRelation? {
        let a = subject.boundingBox, b = reference.boundingBox
        let dx = subject.centerX - reference.centerX, dy = subject.centerY - reference.centerY
        if abs(dx) > dominance * abs(dy) {
            if a.maxX < b.minX { return .left }
            if a.minX > b.maxX { return .right }
        } else if abs(dy) > dominance * abs(dx) {
            if a.maxY < b.minY { return .above }
            if a.minY > b.maxY { return .below }
        }
        return nil
    }
}
