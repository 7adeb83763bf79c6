#ifndef VIRAL_BFLOAT16_KERNELS_H
#define VIRAL_BFLOAT16_KERNELS_H

#include <stdint.h>

/// Products with BF16 weight rows, widened exactly to float in registers and accumulated in float:
/// for every x row i in 0..<m and weight row j in first..<last,
///   y[i·ldy + j] += Σₖ x[i·k + kk] · w[j·k + kk]     (k = the row length of x and w).
/// Made for few x rows (token-by-token decoding): every weight row is read from memory once.
/// Uses AVX-512 or AVX2 when the CPU has them.
void viral_bf16_rows_dot(const float *x, long m, const uint16_t *w, long k, long first, long last,
                         float *y, long ldy);

/// Widens `count` BF16 values to float (exact).
void viral_bf16_widen(const uint16_t *source, float *destination, long count);

#endif
