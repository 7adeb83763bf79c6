/// Eigen-decomposition of small dense symmetric matrices by cyclic Jacobi rotations.
enum SymmetricEigen {
    /// Eigenvalues (descending) and unit eigenvectors of the `size × size` symmetric row-major
    /// `matrix`; `vectors[c]` belongs to `values[c]`.
    static func decompose(_ matrix: [Double], size n: Int) -> (values: [Double], vectors: [[Double]]) {
        var a = matrix
        var v = [Double](repeating: 0, count: n * n)
        for i in 0..<n { v[i * n + i] = 1 }
        for _ in 0..<100 {
            var offDiagonal = 0.0
            var diagonal = 0.0
            for i in 0..<n {
                diagonal += a[i * n + i] * a[i * n + i]
                for j in (i + 1)..<max(i + 1, n) { offDiagonal += a[i * n + j] * a[i * n + j] }
            }
            if offDiagonal <= 1e-30 * diagonal || offDiagonal == 0 { break }
            for p in 0..<n {
                for q in (p + 1)..<max(p + 1, n) where a[p * n + q] != 0 {
                    rotate(&a, &v, n: n, p: p, q: q)
                }
            }
        }
        let order = (0..<n).sorted { a[$0 * n + $0] > a[$1 * n + $1] }
        let values = order.map { a[$0 * n + $0] }
        let vectors = order.map { column in (0..<n).map { v[$0 * n + column] } }
        return (values, vectors)
    }

    /// Applies the Jacobi rotation that zeroes a[p][q] to `a` (both sides) and accumulates it in `v`.
    private static func rotate(_ a: inout [Double], _ v: inout [Double], n: Int, p: Int, q: Int) {
        let apq = a[p * n + q]
        let theta = (a[q * n + q] - a[p * n + p]) / (2 * apq)
        // The smaller root of t² + 2θt − 1 = 0 keeps the rotation angle ≤ π/4 (stable).
        let t = (theta >= 0 ? 1.0 : -1.0) / (abs(theta) + (theta * theta + 1).squareRoot())
        let c = 1 / (t * t + 1).squareRoot()
        let s = t * c
        for k in 0..<n {
            let akp = a[k * n + p]
            let akq = a[k * n + q]
            a[k * n + p] = c * akp - s * akq
            a[k * n + q] = s * akp + c * akq
        }
        for k in 0..<n {
            let apk = a[p * n + k]
            let aqk = a[q * n + k]
            a[p * n + k] = c * apk - s * aqk
            a[q * n + k] = s * apk + c * aqk
        }
        for k in 0..<n {
            let vkp = v[k * n + p]
            let vkq = v[k * n + q]
            v[k * n + p] = c * vkp - s * vkq
            v[k * n + q] = s * vkp + c * vkq
        }
    }
}
