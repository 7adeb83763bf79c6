#ifndef GEMM_REFERENCE_H
#define GEMM_REFERENCE_H

/// Times `repeats` calls of cblas_sgemm (row-major, C = A·B) from C on m×k by k×n matrices, with
/// OpenBLAS's own `threads` threads, and returns the best seconds per call: the baseline that
/// `viral bench ops` compares Swift against. Leaves OpenBLAS single-threaded afterwards.
double gemm_reference_seconds(int m, int n, int k, int transpose_b, int repeats, int threads);

#endif
