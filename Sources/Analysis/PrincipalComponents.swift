/// The leading principal components of a feature matrix (n samples × d features), e.g. the
/// visual tokens of one image at one layer for the paper's PCA map.
///
/// Rows are centred (column means removed). The eigenvectors come from the smaller of the two
/// Gram matrices, XcXcᵀ (n × n) or XcᵀXc (d × d), by block subspace iteration with Rayleigh–Ritz
/// steps started from a fixed pseudo-random block, so results are deterministic.
/// Sign convention: each component's loading with the largest magnitude is positive (on equal
/// magnitudes the first such feature).
public struct PrincipalComponents: Sendable {
    /// `count × d` unit loading vectors, one component per row.
    public let components: Matrix
    /// `n × count` projections of the centred samples on the components.
    public let scores: Matrix
    /// Variance along each component (eigenvalue / (n − 1)), descending.
    public let explainedVariance: [Double]

    private static let tolerance = 1e-11
    private static let maximumIterations = 20_000
    private static let extraBlockVectors = 8

    /// The first `count` principal components of `features` (n ≥ 2 rows, count ≤ min(n, d)).
    public init(_ features: Matrix, count: Int = 3) throws {
        let n = features.rows
        let d = features.columns
        guard n >= 2 else {
            throw AnalysisError.invalidParameter(name: "number of samples", value: "\(n)", requirement: "PCA needs at least 2")
        }
        guard count >= 1, count <= min(n, d) else {
            throw AnalysisError.invalidParameter(name: "count", value: "\(count)",
                                                 requirement: "must lie in 1...\(min(n, d)) for a \(n) × \(d) matrix")
        }
        try features.checkFinite("feature matrix")
        let centred = Self.centred(features)
        let viaSamples = n <= d
        let side = viaSamples ? n : d
        let gram = viaSamples ? LinearKernel.gram(centred) : LinearKernel.gram(centred.transposed())
        let (values, vectors) = Self.leadingEigenpairs(gram, size: side, count: count)

        var components = Matrix(zerosRows: count, columns: d)
        var scores = Matrix(zerosRows: n, columns: count)
        for c in 0..<count {
            let eigenvalue = max(values[c], 0)
            var loading: [Double]
            if viaSamples {
                // v = Xcᵀu / σ with σ = √λ; scores = Xc·v = σ·u.
                let sigma = eigenvalue.squareRoot()
                loading = [Double](repeating: 0, count: d)
                if sigma > 0 {
                    for i in 0..<n where vectors[c][i] != 0 {
                        let weight = vectors[c][i] / sigma
                        for j in 0..<d { loading[j] += weight * centred[i, j] }
                    }
                }
            } else {
                loading = vectors[c]
            }
            let sign = Self.signMakingLargestLoadingPositive(loading)
            for j in 0..<d { components[c, j] = sign * loading[j] }
            for i in 0..<n {
                var projection = 0.0
                for j in 0..<d { projection += centred[i, j] * components[c, j] }
                scores[i, c] = projection
            }
        }
        self.components = components
        self.scores = scores
        self.explainedVariance = values.prefix(count).map { max($0, 0) / Double(n - 1) }
    }

    private static func centred(_ x: Matrix) -> Matrix {
        var means = [Double](repeating: 0, count: x.columns)
        for i in 0..<x.rows { for j in 0..<x.columns { means[j] += x[i, j] } }
        for j in 0..<x.columns { means[j] /= Double(x.rows) }
        var result = x
        for i in 0..<x.rows { for j in 0..<x.columns { result[i, j] -= means[j] } }
        return result
    }

    private static func signMakingLargestLoadingPositive(_ loading: [Double]) -> Double {
        var largest = 0.0
        for value in loading where abs(value) > abs(largest) { largest = value }
        return largest < 0 ? -1 : 1
    }

    /// The `count` largest eigenpairs of the symmetric `size × size` matrix `s`.
    private static func leadingEigenpairs(_ s: [Double], size m: Int, count: Int) -> (values: [Double], vectors: [[Double]]) {
        let block = min(m, count + extraBlockVectors)
        if block == m { return SymmetricEigen.decompose(s, size: m) }
        var generator = SplitMix64(seed: 0x5EED)
        var basis = (0..<block).map { _ in (0..<m).map { _ in generator.nextSigned() } }
        orthonormalise(&basis, generator: &generator)
        var values: [Double] = []
        var ritzVectors: [[Double]] = []
        for _ in 0..<maximumIterations {
            let images = basis.map { multiply(s, size: m, $0) }
            // Rayleigh–Ritz: eigenpairs of T = Qᵀ S Q give the best approximations in span(Q).
            var projected = [Double](repeating: 0, count: block * block)
            for a in 0..<block { for b in 0..<block { projected[a * block + b] = dot(basis[a], images[b]) } }
            let (theta, w) = SymmetricEigen.decompose(projected, size: block)
            values = theta
            ritzVectors = (0..<block).map { c in combination(basis, weights: w[c], length: m) }
            let ritzImages = (0..<block).map { c in combination(images, weights: w[c], length: m) }
            let scale = max(abs(theta[0]), Double.leastNormalMagnitude)
            var converged = true
            for c in 0..<count {
                var residual = 0.0
                for i in 0..<m {
                    let r = ritzImages[c][i] - theta[c] * ritzVectors[c][i]
                    residual += r * r
                }
                if residual.squareRoot() > tolerance * scale { converged = false }
            }
            if converged { break }
            basis = ritzImages
            orthonormalise(&basis, generator: &generator)
        }
        return (Array(values.prefix(count)), Array(ritzVectors.prefix(count)))
    }

    private static func multiply(_ s: [Double], size m: Int, _ x: [Double]) -> [Double] {
        var y = [Double](repeating: 0, count: m)
        s.withUnsafeBufferPointer { matrix in
            y.withUnsafeMutableBufferPointer { output in
                // S is symmetric, so S·x = Σ_j x_j · (row j of S): an axpy over contiguous rows.
                for j in 0..<m where x[j] != 0 {
                    let weight = x[j]
                    let row = matrix.baseAddress! + j * m
                    for i in 0..<m { output[i] += weight * row[i] }
                }
            }
        }
        return y
    }

    private static func dot(_ a: [Double], _ b: [Double]) -> Double {
        var sum = 0.0
        for i in 0..<a.count { sum += a[i] * b[i] }
        return sum
    }

    private static func combination(_ vectors: [[Double]], weights: [Double], length: Int) -> [Double] {
        var result = [Double](repeating: 0, count: length)
        for (vector, weight) in zip(vectors, weights) {
            for i in 0..<length { result[i] += weight * vector[i] }
        }
        return result
    }

    /// Modified Gram–Schmidt, twice for stability; a vector that vanishes (the matrix has lower
    /// rank than the block) is replaced by a fresh pseudo-random one.
    private static func orthonormalise(_ vectors: inout [[Double]], generator: inout SplitMix64) {
        let length = vectors.first?.count ?? 0
        for c in 0..<vectors.count {
            var attempts = 0
            while true {
                let original = dot(vectors[c], vectors[c]).squareRoot()
                for _ in 0..<2 {
                    for previous in 0..<c {
                        let projection = dot(vectors[previous], vectors[c])
                        for i in 0..<length { vectors[c][i] -= projection * vectors[previous][i] }
                    }
                }
                let norm = dot(vectors[c], vectors[c]).squareRoot()
                if norm > 1e-10 * original && norm > 0 || attempts == 8 {
                    for i in 0..<length { vectors[c][i] /= max(norm, Double.leastNormalMagnitude) }
                    break
                }
                vectors[c] = (0..<length).map { _ in generator.nextSigned() }
                attempts += 1
            }
        }
    }
}

/// SplitMix64: a tiny deterministic generator for the starting block of the subspace iteration.
struct SplitMix64 {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    /// A value uniformly spread over [−1, 1).
    mutating func nextSigned() -> Double {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        return Double(z >> 11) / Double(1 << 52) - 1
    }
}
