#ifndef VIRAL_BFLOAT16_GEMM_H
#define VIRAL_BFLOAT16_GEMM_H

#include <stdint.h>

/// Whether the CPU has the AVX512-BF16 dot products `viral_bfloat16_gemm` needs.
int viral_bfloat16_gemm_available(void);

/// Rounds the rows of `a` [m, k] (row stride lda) to bfloat16, ties to even, into `packed`
/// [m, viral_bfloat16_packed_width(k)], zero-padded: the left operand of `viral_bfloat16_gemm`.
void viral_bfloat16_pack_rows(const float *a, long lda, long m, long k, uint16_t *packed);

/// The row length of `viral_bfloat16_pack_rows`' output: k rounded up to even.
long viral_bfloat16_packed_width(long k);

/// Columns first..<last of c[m, n] (row stride ldc) += a · bᵀ, for `a` from
/// `viral_bfloat16_pack_rows` and bfloat16 `b` [n, k] (row stride ldb): products of bfloat16
/// pairs summed in float with AVX512-BF16's `vdpbf16ps`. Threads give each call its own
/// columns. Does nothing unless `viral_bfloat16_gemm_available()`.
void viral_bfloat16_gemm(const uint16_t *a, long m, long k, const uint16_t *b, long ldb, long first, long last,
                         float *c, long ldc);

#endif
