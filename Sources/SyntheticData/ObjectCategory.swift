/// An object category: a colour and a kind, e.g. "red circle". POPE's "objects" are categories.
public struct ObjectCategory: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var color: ShapeColor
    public var kind: ShapeKind

    /// Creates a category.
    public init(color: ShapeColor, kind: ShapeKind) {
        self.color = color
        self.kind = kind
    }

    /// All 36 categories, kind-major in declaration order.
    public static let all: [ObjectCategory] = ShapeKind.allCases.flatMap { kind in
        ShapeColor.allCases.map { ObjectCategory(color: $0, kind: kind) }
    }

    /// The category's position in `all`, a stable order for ties.
    public var ordinal: Int {
        ShapeKind.allCases.firstIndex(of: kind)! * ShapeColor.allCases.count
            + ShapeColor.allCases.firstIndex(of: color)!
    }

    /// "red circle".
    public var name: String { "\(color.name) \(kind.name)" }

    /// "red circles".
    public var pluralName: String { "\(color.name) \(kind.pluralName)" }

    /// "a red circle", "an orange star".
    public var nameWithArticle: String {
        PromptText.withArticle(name)
    }

    /// "red-circle": the name as one word, for file names whose parts are separated by "_".
    public var fileName: String { "\(color.name)-\(kind.name)" }

    public var description: String { name }

    public static func < (lhs: ObjectCategory, rhs: ObjectCategory) -> Bool {
        lhs.ordinal < rhs.ordinal
    }
}
