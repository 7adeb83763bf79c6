#ifndef VIRAL_HALF_PRECISION_KERNELS_H
#define VIRAL_HALF_PRECISION_KERNELS_H

#include <stdint.h>

/// How 16-bit weights encode a float.
typedef enum {
    /// bfloat16: the upper 16 bits of an IEEE float.
    VIRAL_BFLOAT16 = 0,
    /// IEEE half precision (binary16).
    VIRAL_FLOAT16 = 1,
} viral_half_format;

/// Products with 16-bit weight rows, widened exactly to float in registers and accumulated in
/// float: for every x row i in 0..<m and weight row j in first..<last,
///   y[i·ldy + j] += Σₖ x[i·k + kk] · w[j·k + kk]     (k = the row length of x and w).
/// Made for few x rows (token-by-token decoding): every weight row is read from memory once per
/// four x rows. Uses AVX-512 or AVX2 (+F16C) when the CPU has them.
void viral_half_rows_dot(viral_half_format format, const float *x, long m, const uint16_t *w, long k,
                         long first, long last, float *y, long ldy);

/// Widens `count` 16-bit values to float (exact).
void viral_half_widen(viral_half_format format, const uint16_t *source, float *destination, long count);

#endif
