#ifndef VIRAL_STREAMED_PRODUCTS_H
#define VIRAL_STREAMED_PRODUCTS_H

#include <stdint.h>

/// How weights are stored.
typedef enum {
    VIRAL_FLOAT32 = 0,
    /// bfloat16: the upper 16 bits of an IEEE float.
    VIRAL_BFLOAT16 = 1,
    /// IEEE half precision (binary16).
    VIRAL_FLOAT16 = 2,
} viral_weight_format;

/// Products of a few input rows with weight rows streamed from memory once, 16-bit weights
/// widened exactly to float in registers, sums in float: for every x row i in 0..<m and weight
/// row j in first..<last,
///   y[i·ldy + j] += Σ_{kk<k} x[i·ldx + kk] · w[j·ldw + kk]
/// (ldx, ldw: elements between consecutive rows). Made for token-by-token decoding, which is bound
/// by the speed weights (or cached keys) come from memory: every weight row is read once per four
/// x rows. Uses AVX-512 or AVX2 (+F16C) when the CPU has them.
void viral_rows_dot(viral_weight_format format, const float *x, long ldx, long m, const void *w, long ldw, long k,
                    long first, long last, float *y, long ldy);

/// Weighted sums of a few rows of `v` (attention's probabilities times cached values), 16-bit
/// values widened exactly, sums in float: for every output row i in 0..<m and column c in 0..<width,
///   out[i·ldo + c] = Σ_{j<n} p[i·ldp + j] · v[j·ldv + c]      (out is overwritten).
/// Every row of v is read once per four output rows.
void viral_rows_combine(viral_weight_format format, const float *p, long ldp, long m, const void *v, long ldv, long n,
                        long width, float *out, long ldo);

/// The instruction sets `viral_rows_dot` chooses from, best first.
typedef enum { VIRAL_AVX512 = 0, VIRAL_AVX2 = 1, VIRAL_PORTABLE = 2 } viral_instruction_set;

/// `viral_rows_dot` and `viral_rows_combine` with the kernel of one instruction set (for tests of
/// each); they return 0, doing nothing, when the CPU lacks that set.
int viral_rows_dot_with(viral_instruction_set set, viral_weight_format format, const float *x, long ldx, long m,
                        const void *w, long ldw, long k, long first, long last, float *y, long ldy);
int viral_rows_combine_with(viral_instruction_set set, viral_weight_format format, const float *p, long ldp, long m,
                            const void *v, long ldv, long n, long width, float *out, long ldo);

/// Widens `count` 16-bit values to float (exact).
void viral_widen(viral_weight_format format, const uint16_t *source, float *destination, long count);

/// Rounds `count` floats to the nearest 16-bit value, ties to even, as PyTorch does (`format`
/// must be VIRAL_BFLOAT16 or VIRAL_FLOAT16).
void viral_narrow(viral_weight_format format, const float *source, uint16_t *destination, long count);

#endif
