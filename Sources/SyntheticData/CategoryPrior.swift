/// How often each category appears among the objects that fill scenes.
///
/// The prior is deliberately uneven (circles and red are common, crosses and orange rare), as
/// object frequencies are in COCO: it gives POPE's "popular" negatives — the most frequent
/// categories absent from an image — something to catch, and a model a bias to resist.
enum CategoryPrior {
    /// Relative frequency of each kind, in `ShapeKind.allCases` order.
    static let kindWeights: [Double] = [6, 5, 4, 3, 2, 2]
    /// Relative frequency of each colour, in `ShapeColor.allCases` order.
    static let colorWeights: [Double] = [6, 5, 4, 3, 2, 2]

    /// The weight of one category: the product of its kind's and its colour's weights.
    static func weight(of category: ObjectCategory) -> Double {
        kindWeights[ShapeKind.allCases.firstIndex(of: category.kind)!]
            * colorWeights[ShapeColor.allCases.firstIndex(of: category.color)!]
    }

    /// A category drawn from the prior among those `allowed` admits, or nil if it admits none.
    static func draw(using generator: inout SeededGenerator,
                     where allowed: (ObjectCategory) -> Bool = { _ in true }) -> ObjectCategory? {
        let candidates = ObjectCategory.all.filter(allowed)
        guard !candidates.isEmpty else { return nil }
        return candidates[generator.index(weightedBy: candidates.map(weight(of:)))]
    }

    /// The categories from most to least frequent under the prior (ties in `ObjectCategory` order).
    static let byFrequency: [ObjectCategory] = ObjectCategory.all.sorted {
        (weight(of: $0), $1.ordinal) > (weight(of: $1), $0.ordinal)
    }
}
