/// Similarity of two representations of the same n samples, as the Platonic Representation
/// Hypothesis code (minyoungg/platonic-rep, `metrics.py`) computes it and VIRAL reports it:
/// CKNNA (Huh et al. 2024), mutual k-NN and unbiased CKA, all with linear kernels K = AAᵀ, L = BBᵀ.
///
/// Features are used as given: prepare them first (`FeaturePreparation.prepare` or
/// `RepresentationKernel.prepared`) to follow VIRAL's protocol.
public enum RepresentationSimilarity {
    /// k of VIRAL's layer-wise CKNNA.
    public static let defaultTopK = 10
    /// Added to the normaliser √(HSIC_KK·HSIC_LL) by the reference code; kept so values match it.
    public static let denominatorEpsilon = 1e-6

    /// CKNNA with k nearest neighbours: HSIC_u(mask∘K, mask∘L) / (√(HSIC_u(m_K∘K, m_K∘K)·HSIC_u(m_L∘L, m_L∘L)) + 1e-6),
    /// where m_K marks each row's k largest off-diagonal kernel values and mask = m_K ∘ m_L.
    public static func cknna(_ a: Matrix, _ b: Matrix, topK: Int = defaultTopK) throws -> Double {
        try checkSameSamples(a, b)
        return try cknna(RepresentationKernel(features: a), RepresentationKernel(features: b), topK: topK)
    }

    /// CKNNA of two precomputed kernels (see `cknna(_:_:topK:)`).
    public static func cknna(_ k: RepresentationKernel, _ l: RepresentationKernel,
                             topK: Int = defaultTopK) throws -> Double {
        try checkSameSamples(k, l)
        try checkCount(k.count, atLeast: 4, for: "CKNNA (unbiased HSIC needs n ≥ 4)")
        try checkTopK(topK, count: k.count, minimum: 2)
        let neighboursK = NearestNeighbours(gram: k.gram, count: k.count, k: topK)
        let neighboursL = NearestNeighbours(gram: l.gram, count: l.count, k: topK)
        let patternK = (0..<k.count).map { Array(neighboursK.neighbours(of: $0)) }
        let patternL = (0..<l.count).map { Array(neighboursL.neighbours(of: $0)) }
        let shared = (0..<k.count).map { sortedIntersection(patternK[$0], patternL[$0]) }
        let cross = UnbiasedHSIC.masked(k, l, pattern: shared)
        let selfK = UnbiasedHSIC.masked(k, k, pattern: patternK)
        let selfL = UnbiasedHSIC.masked(l, l, pattern: patternL)
        return cross / ((selfK * selfL).squareRoot() + denominatorEpsilon)
    }

    /// Mutual k-NN: the mean over samples of |kNN_A(i) ∩ kNN_B(i)| / k (self excluded).
    public static func mutualKNN(_ a: Matrix, _ b: Matrix, topK: Int = defaultTopK) throws -> Double {
        try checkSameSamples(a, b)
        return try mutualKNN(RepresentationKernel(features: a), RepresentationKernel(features: b), topK: topK)
    }

    /// Mutual k-NN of two precomputed kernels (see `mutualKNN(_:_:topK:)`).
    public static func mutualKNN(_ k: RepresentationKernel, _ l: RepresentationKernel,
                                 topK: Int = defaultTopK) throws -> Double {
        try checkSameSamples(k, l)
        try checkCount(k.count, atLeast: 2, for: "mutual k-NN")
        try checkTopK(topK, count: k.count, minimum: 1)
        let neighboursK = NearestNeighbours(gram: k.gram, count: k.count, k: topK)
        let neighboursL = NearestNeighbours(gram: l.gram, count: l.count, k: topK)
        var total = 0.0
        for row in 0..<k.count {
            let shared = sortedIntersection(Array(neighboursK.neighbours(of: row)),
                                            Array(neighboursL.neighbours(of: row)))
            total += Double(shared.count) / Double(topK)
        }
        return total / Double(k.count)
    }

    /// Unbiased linear CKA: HSIC_u(K, L) / (√(HSIC_u(K, K)·HSIC_u(L, L)) + 1e-6).
    public static func unbiasedCKA(_ a: Matrix, _ b: Matrix) throws -> Double {
        try checkSameSamples(a, b)
        return try unbiasedCKA(RepresentationKernel(features: a), RepresentationKernel(features: b))
    }

    /// Unbiased linear CKA of two precomputed kernels (see `unbiasedCKA(_:_:)`).
    public static func unbiasedCKA(_ k: RepresentationKernel, _ l: RepresentationKernel) throws -> Double {
        try checkSameSamples(k, l)
        try checkCount(k.count, atLeast: 4, for: "unbiased CKA (unbiased HSIC needs n ≥ 4)")
        let cross = UnbiasedHSIC.full(k, l)
        let selfK = UnbiasedHSIC.full(k, k)
        let selfL = UnbiasedHSIC.full(l, l)
        return cross / ((selfK * selfL).squareRoot() + denominatorEpsilon)
    }

    private static func sortedIntersection(_ a: [Int], _ b: [Int]) -> [Int] {
        var result: [Int] = []
        var i = 0
        var j = 0
        while i < a.count && j < b.count {
            if a[i] == b[j] {
                result.append(a[i])
                i += 1
                j += 1
            } else if a[i] < b[j] {
                i += 1
            } else {
                j += 1
            }
        }
        return result
    }

    private static func checkSameSamples(_ a: Matrix, _ b: Matrix) throws {
        guard a.rows == b.rows else {
            throw AnalysisError.rowCountMismatch(first: "first feature matrix", firstRows: a.rows,
                                                 second: "second feature matrix", secondRows: b.rows)
        }
    }

    private static func checkSameSamples(_ k: RepresentationKernel, _ l: RepresentationKernel) throws {
        guard k.count == l.count else {
            throw AnalysisError.rowCountMismatch(first: "first kernel", firstRows: k.count,
                                                 second: "second kernel", secondRows: l.count)
        }
    }

    private static func checkCount(_ count: Int, atLeast minimum: Int, for what: String) throws {
        guard count >= minimum else {
            throw AnalysisError.invalidParameter(name: "number of samples", value: "\(count)",
                                                 requirement: "\(what) needs at least \(minimum)")
        }
    }

    private static func checkTopK(_ topK: Int, count: Int, minimum: Int) throws {
        guard topK >= minimum, topK <= count - 1 else {
            throw AnalysisError.invalidParameter(name: "topK", value: "\(topK)",
                                                 requirement: "must lie in \(minimum)...\(count - 1) for \(count) samples")
        }
    }
}
