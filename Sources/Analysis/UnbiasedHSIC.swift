/// The unbiased HSIC estimator (Song et al. 2012, Eq. 5) exactly as the Platonic Representation
/// Hypothesis code computes it for m × m kernels K, L with zeroed diagonals K̃, L̃:
///
///     HSIC = [ Σ K̃∘L̃ᵀ + ΣK̃·ΣL̃ / ((m−1)(m−2)) − 2·Σ(K̃L̃) / (m−2) ] / (m(m−3))
///
/// Σ(K̃L̃) is evaluated as Σ_l colsum(K̃)_l · rowsum(L̃)_l, so masked (sparse) kernels cost O(nnz).
enum UnbiasedHSIC {
    /// HSIC of two full kernels (diagonals ignored).
    static func full(_ k: RepresentationKernel, _ l: RepresentationKernel) -> Double {
        let m = k.count
        var columnSumsK = [Double](repeating: 0, count: m)
        var rowSumsL = [Double](repeating: 0, count: m)
        var elementwise = 0.0
        var sumK = 0.0
        var sumL = 0.0
        k.gram.withUnsafeBufferPointer { kb in
            l.gram.withUnsafeBufferPointer { lb in
                for i in 0..<m {
                    var rowSum = 0.0
                    for j in 0..<m where j != i {
                        let kij = kb[i * m + j]
                        let lij = lb[i * m + j]
                        // Linear kernels are exactly symmetric (LinearKernel mirrors them), so L̃ᵀ_ij = L̃_ij.
                        elementwise += kij * lij
                        columnSumsK[j] += kij
                        rowSum += lij
                        sumK += kij
                    }
                    rowSumsL[i] = rowSum
                    sumL += rowSum
                }
            }
        }
        return combine(m: m, elementwise: elementwise, sumK: sumK, sumL: sumL,
                       columnSumsK: columnSumsK, rowSumsL: rowSumsL)
    }

    /// HSIC of mask∘K and mask∘L for a 0/1 mask given as sorted column lists per row
    /// (`pattern[i]` = columns j with mask[i, j] = 1, never i itself).
    static func masked(_ k: RepresentationKernel, _ l: RepresentationKernel, pattern: [[Int]]) -> Double {
        let m = k.count
        var columnSumsK = [Double](repeating: 0, count: m)
        var rowSumsL = [Double](repeating: 0, count: m)
        var elementwise = 0.0
        var sumK = 0.0
        var sumL = 0.0
        for i in 0..<m {
            for j in pattern[i] {
                let kij = k.gram[i * m + j]
                let lij = l.gram[i * m + j]
                // (K̃∘L̃ᵀ)_ij = K̃_ij · L̃_ji, non-zero only where the mask also holds (j, i).
                if pattern[j].contains(i) { elementwise += kij * l.gram[j * m + i] }
                columnSumsK[j] += kij
                rowSumsL[i] += lij
                sumK += kij
                sumL += lij
            }
        }
        return combine(m: m, elementwise: elementwise, sumK: sumK, sumL: sumL,
                       columnSumsK: columnSumsK, rowSumsL: rowSumsL)
    }

    private static func combine(m: Int, elementwise: Double, sumK: Double, sumL: Double,
                                columnSumsK: [Double], rowSumsL: [Double]) -> Double {
        var productSum = 0.0
        for index in 0..<m { productSum += columnSumsK[index] * rowSumsL[index] }
        let size = Double(m)
        let value = elementwise + sumK * sumL / ((size - 1) * (size - 2)) - 2 * productSum / (size - 2)
        return value / (size * (size - 3))
    }
}
