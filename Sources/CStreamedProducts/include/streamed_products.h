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
///   y[i·ldy + j] += Σₖ x[i·k + kk] · w[j·k + kk]     (k = the row length of x and w).
/// Made for token-by-token decoding, which is bound by the speed weights come from memory: every
/// weight row is read once per four x rows. Uses AVX-512 or AVX2 (+F16C) when the CPU has them.
void viral_rows_dot(viral_weight_format format, const float *x, long m, const void *w, long k,
                    long first, long last, float *y, long ldy);

/// The instruction sets `viral_rows_dot` chooses from, best first.
typedef enum { VIRAL_AVX512 = 0, VIRAL_AVX2 = 1, VIRAL_PORTABLE = 2 } viral_instruction_set;

/// `viral_rows_dot` with the kernel of one instruction set (for tests of each); returns 0, doing
/// nothing, when the CPU lacks that set.
int viral_rows_dot_with(viral_instruction_set set, viral_weight_format format, const float *x, long m,
                        const void *w, long k, long first, long last, float *y, long ldy);

/// Widens `count` 16-bit values to float (exact).
void viral_widen(viral_weight_format format, const uint16_t *source, float *destination, long count);

#endif
