import CBLAS

/// Matrix products through OpenBLAS `cblas_sgemm`.
extension Tensor {
    /// `self @ other` over the last two axes, with optional transposes; leading axes are batch
    /// axes (equal on both sides, or `other` two-dimensional and shared by every batch).
    public func matmul(_ other: Tensor, transposeSelf: Bool = false, transposeOther: Bool = false) -> Tensor {
        precondition(rank >= 2 && other.rank >= 2, "matmul needs rank ≥ 2, got \(shape) and \(other.shape)")
        let (m, k) = transposeSelf ? (shape[rank - 1], shape[rank - 2]) : (shape[rank - 2], shape[rank - 1])
        let (k2, n) = transposeOther ? (other.shape[other.rank - 1], other.shape[other.rank - 2])
                                     : (other.shape[other.rank - 2], other.shape[other.rank - 1])
        precondition(k == k2, "matmul inner sizes differ: \(shape) and \(other.shape)")
        let batchShape = Array(shape.dropLast(2))
        let batch = Shape.count(batchShape)
        let sharedOther = other.rank == 2
        precondition(sharedOther || Array(other.shape.dropLast(2)) == batchShape,
                     "matmul batch axes differ: \(shape) and \(other.shape)")
        let out = Tensor(uninitialized: batchShape + [m, n])
        let a = data, b = other.data, c = out.data
        let strideB = sharedOther ? 0 : k * n
        if sharedOther && !transposeSelf {
            // One GEMM over all batch rows at once.
            GEMM.run(transposeA: false, transposeB: transposeOther, m: batch * m, n: n, k: k,
                     a: a, lda: k, b: b, ldb: transposeOther ? k : n, c: c, ldc: n, beta: 0)
        } else {
            for i in 0..<batch {
                GEMM.run(transposeA: transposeSelf, transposeB: transposeOther, m: m, n: n, k: k,
                         a: a + i * m * k, lda: transposeSelf ? m : k, b: b + i * strideB,
                         ldb: transposeOther ? k : n, c: c + i * m * n, ldc: n, beta: 0)
            }
        }
        return out.recorded(from: [self, other]) { out in
            let g = out.grad!.data
            if self.needsGrad {
                // dA = dC · Bᵀ (or B · dCᵀ when A was transposed), one product per batch slice.
                let (ga, beta) = self.gradBufferForProduct()
                for i in 0..<batch {
                    let gi = g + i * m * n, bi = b + i * strideB, gai = ga + i * m * k
                    if transposeSelf {
                        GEMM.run(transposeA: transposeOther, transposeB: true, m: k, n: m, k: n,
                                 a: bi, lda: transposeOther ? k : n, b: gi, ldb: n, c: gai, ldc: m, beta: beta)
                    } else {
                        GEMM.run(transposeA: false, transposeB: !transposeOther, m: m, n: k, k: n,
                                 a: gi, lda: n, b: bi, ldb: transposeOther ? k : n, c: gai, ldc: k, beta: beta)
                    }
                }
            }
            if other.needsGrad {
                // dB = Aᵀ · dC (or dCᵀ · A when B was transposed); summed over batches if shared.
                let (gb, firstBeta) = other.gradBufferForProduct()
                let rowsA = sharedOther && !transposeSelf ? batch * m : m
                let steps = sharedOther && !transposeSelf ? 1 : batch
                for i in 0..<steps {
                    let ai = a + i * m * k, gi = g + i * m * n, gbi = gb + i * strideB
                    // A shared B's gradient adds up every batch's product after the first.
                    let beta = sharedOther && i > 0 ? 1 : firstBeta
                    if transposeOther {
                        GEMM.run(transposeA: true, transposeB: transposeSelf, m: n, n: k, k: rowsA,
                                 a: gi, lda: n, b: ai, ldb: transposeSelf ? m : k, c: gbi, ldc: k, beta: beta)
                    } else {
                        GEMM.run(transposeA: !transposeSelf, transposeB: false, m: k, n: n, k: rowsA,
                                 a: ai, lda: transposeSelf ? m : k, b: gi, ldb: n, c: gbi, ldc: n, beta: beta)
                    }
                }
            }
        }
    }

    /// A linear layer: `self @ weightᵀ + bias`, with `weight` of shape [out, in] (PyTorch layout)
    /// and `self` of shape [..., in].
    public func linear(_ weight: Tensor, bias: Tensor? = nil) -> Tensor {
        if weight.isHalfPrecision { return linearHalfPrecision(weight, bias: bias) }
        let inFeatures = shape[rank - 1], outFeatures = weight.shape[0]
        precondition(weight.shape == [outFeatures, inFeatures], "linear weight \(weight.shape) for input \(shape)")
        let rows = count / max(inFeatures, 1)
        let out = Tensor(uninitialized: Array(shape.dropLast()) + [outFeatures])
        let x = data, w = weight.data, y = out.data
        if rows <= Self.streamingRows {
            out.fill(rows: rows, width: outFeatures, bias: bias)
            Self.streamedProduct(x, rows: rows, weights: weight.storage, inFeatures: inFeatures, outFeatures: outFeatures, into: y)
        } else {
            if bias != nil { out.fill(rows: rows, width: outFeatures, bias: bias) }
            GEMM.run(transposeA: false, transposeB: true, m: rows, n: outFeatures, k: inFeatures,
                     a: x, lda: inFeatures, b: w, ldb: inFeatures, c: y, ldc: outFeatures, beta: bias == nil ? 0 : 1)
        }
        let inputs = bias.map { [self, weight, $0] } ?? [self, weight]
        return out.recorded(from: inputs) { out in
            let g = out.grad!.data
            if self.needsGrad {
                let (gx, beta) = self.gradBufferForProduct()
                GEMM.run(transposeA: false, transposeB: false, m: rows, n: inFeatures, k: outFeatures,
                         a: g, lda: outFeatures, b: w, ldb: inFeatures, c: gx, ldc: inFeatures, beta: beta)
            }
            if weight.needsGrad {
                let (gw, beta) = weight.gradBufferForProduct()
                GEMM.run(transposeA: true, transposeB: false, m: outFeatures, n: inFeatures, k: rows,
                         a: g, lda: outFeatures, b: x, ldb: inFeatures, c: gw, ldc: inFeatures, beta: beta)
            }
            if let bias, bias.needsGrad {
                let gb = bias.gradBuffer()
                Parallel.forEachColumnBlock(outFeatures, rows: rows) { columns in
                    for r in 0..<rows {
                        let gr = g + r * outFeatures
                        for j in columns { gb[j] += gr[j] }
                    }
                }
            }
        }
    }
}

/// `cblas_sgemm` (row-major): C = alpha·A·B + beta·C with optional transposes. OpenBLAS runs
/// single-threaded (see `Parallel`); products worth it are split here into row or column blocks
/// of C, one per thread.
public enum GEMM {
    /// Products below this many multiply-adds run on the calling thread: waking a second thread
    /// costs about as much as a product of this size.
    static let minimumParallelWork = 1 << 20

    /// - Parameter threads: how many threads may share the product (1 inside an already
    ///   parallel loop).
    @inline(__always)
    public static func run(transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
                           a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                           c: UnsafeMutablePointer<Float>, ldc: Int, beta: Float, alpha: Float = 1,
                           threads: Int = Parallel.threads) {
        guard m > 0, n > 0 else { return }
        if k == 0 {
            if beta == 0 { for i in 0..<m { (c + i * ldc).update(repeating: 0, count: n) } }
            return
        }
        let parts = min(threads, m * n * k / minimumParallelWork, max(m, n) / 16)
        guard parts > 1 else {
            single(transposeA, transposeB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
            return
        }
        // Blocks of C rows (A rows) when C is tall, else of C columns (B columns); a multiple of 16
        // so that every block keeps whole register tiles of the kernel.
        let splitRows = m >= n
        let extent = splitRows ? m : n
        let block = (extent / parts + 15) / 16 * 16
        Parallel.run(parts) { part in
            let start = part * block, end = part == parts - 1 ? extent : min(extent, start + block)
            guard start < end else { return }
            if splitRows {
                single(transposeA, transposeB, end - start, n, k, alpha, a + (transposeA ? start : start * lda), lda,
                       b, ldb, beta, c + start * ldc, ldc)
            } else {
                single(transposeA, transposeB, m, end - start, k, alpha, a, lda,
                       b + (transposeB ? start * ldb : start), ldb, beta, c + start, ldc)
            }
        }
    }

    @inline(__always)
    private static func single(_ transposeA: Bool, _ transposeB: Bool, _ m: Int, _ n: Int, _ k: Int, _ alpha: Float,
                               _ a: UnsafePointer<Float>, _ lda: Int, _ b: UnsafePointer<Float>, _ ldb: Int,
                               _ beta: Float, _ c: UnsafeMutablePointer<Float>, _ ldc: Int) {
        _ = Parallel.threads  // makes sure OpenBLAS has been set single-threaded
        cblas_sgemm(CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
                    Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }
}
