/// The linear kernel (Gram matrix) G = X·Xᵀ of the rows of a matrix, in `Double`.
enum LinearKernel {
    /// Rows handled together by one worker; the upper triangle of their strip is its work item.
    private static let stripRows = 32
    /// Feature dimensions per cache block.
    private static let depthBlock = 128
    /// Output columns per cache block (one row's part is 4 KB).
    private static let columnBlock = 512

    /// Computes the n × n Gram matrix of the n rows of `x`, row-major.
    static func gram(_ x: Matrix) -> [Double] {
        let n = x.rows
        let d = x.columns
        var result = [Double](repeating: 0, count: n * n)
        guard n > 0 else { return result }
        // Xᵀ makes the innermost loop an axpy over contiguous output columns, which LLVM
        // vectorises (a dot-product loop would need FP reassociation, which Swift does not allow).
        let transposed = x.transposed()
        let strips = (n + stripRows - 1) / stripRows
        x.values.withUnsafeBufferPointer { rowsBuffer in
            transposed.values.withUnsafeBufferPointer { columnsBuffer in
                result.withUnsafeMutableBufferPointer { resultBuffer in
                    let rows = SharedReadPointer(base: rowsBuffer.baseAddress!)
                    let columns = SharedReadPointer(base: columnsBuffer.baseAddress!)
                    let output = SharedPointer(base: resultBuffer.baseAddress!)
                    parallelFor(strips) { strip in
                        let first = strip * stripRows
                        let last = min(n, first + stripRows)
                        upperStrip(rows: rows.base, columns: columns.base, output: output.base,
                                   n: n, d: d, firstRow: first, endRow: last)
                    }
                }
            }
        }
        mirrorUpperTriangle(&result, n: n)
        return result
    }

    /// Fills rows `firstRow..<endRow` of G for the columns `firstRow..<n`.
    private static func upperStrip(rows x: UnsafePointer<Double>, columns xt: UnsafePointer<Double>,
                                   output g: UnsafeMutablePointer<Double>,
                                   n: Int, d: Int, firstRow: Int, endRow: Int) {
        for depthStart in stride(from: 0, to: d, by: depthBlock) {
            let depthEnd = min(d, depthStart + depthBlock)
            for columnStart in stride(from: firstRow, to: n, by: columnBlock) {
                let columnEnd = min(n, columnStart + columnBlock)
                let width = columnEnd - columnStart
                var row = firstRow
                while row + 4 <= endRow {
                    let g0 = g + row * n + columnStart
                    let g1 = g0 + n
                    let g2 = g1 + n
                    let g3 = g2 + n
                    for p in depthStart..<depthEnd {
                        let a0 = x[row * d + p]
                        let a1 = x[(row + 1) * d + p]
                        let a2 = x[(row + 2) * d + p]
                        let a3 = x[(row + 3) * d + p]
                        let b = xt + p * n + columnStart
                        for j in 0..<width {
                            let bj = b[j]
                            g0[j] += a0 * bj
                            g1[j] += a1 * bj
                            g2[j] += a2 * bj
                            g3[j] += a3 * bj
                        }
                    }
                    row += 4
                }
                while row < endRow {
                    let g0 = g + row * n + columnStart
                    for p in depthStart..<depthEnd {
                        let a0 = x[row * d + p]
                        let b = xt + p * n + columnStart
                        for j in 0..<width { g0[j] += a0 * b[j] }
                    }
                    row += 1
                }
            }
        }
    }

    /// Copies every value computed above the strips' diagonal blocks to its mirror position.
    private static func mirrorUpperTriangle(_ g: inout [Double], n: Int) {
        g.withUnsafeMutableBufferPointer { buffer in
            let values = buffer.baseAddress!
            for i in 0..<n {
                let stripStart = (i / stripRows) * stripRows
                for j in 0..<stripStart { values[i * n + j] = values[j * n + i] }
            }
        }
    }
}
