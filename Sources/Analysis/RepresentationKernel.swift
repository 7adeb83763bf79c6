/// The linear kernel K = X·Xᵀ of one representation (n samples × d features), in `Double`.
/// Build it once per representation and compare it with many others, e.g. the vision tower's
/// features against every decoder layer.
public struct RepresentationKernel: Sendable {
    /// Number of samples n.
    public let count: Int
    /// The n × n kernel, row-major.
    let gram: [Double]

    /// The kernel of `features` taken as they are. Throws on a non-finite value.
    public init(features: Matrix) throws {
        try features.checkFinite("feature matrix")
        count = features.rows
        gram = LinearKernel.gram(features)
    }

    /// The kernel of `features` after `FeaturePreparation.prepare` (outlier clamp at the mean
    /// per-row `quantile` of |x|, then L2-normalised rows), as VIRAL and the Platonic
    /// Representation Hypothesis code prepare features before CKNNA.
    public static func prepared(_ features: Matrix,
                                quantile: Double = FeaturePreparation.defaultQuantile) throws -> RepresentationKernel {
        try RepresentationKernel(features: FeaturePreparation.prepare(features, quantile: quantile))
    }

    /// The kernel value for samples `i`, `j`.
    public subscript(i: Int, j: Int) -> Double { gram[i * count + j] }
}
