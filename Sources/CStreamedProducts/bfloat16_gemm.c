#include "bfloat16_gemm.h"
#include "formats.h"

#include <stdlib.h>

// A GEMM in the GotoBLAS pattern with AVX512-BF16 dot products. `vdpbf16ps` adds to each of 16
// float lanes the products of one pair of bfloat16 values: lane j of b's vector holds column j's
// elements k and k + 1, and a's pair (k, k + 1) is broadcast to every lane. So b is packed into
// panels of NR columns × KC depth, laid out pair by pair ("VNNI" order), each of which sits in L1
// while MR rows of a stream past; MR × NR sums stay in 24 of the 32 vector registers. PANELS
// panels of columns are packed at a time and MC rows of a run against them, so that this block
// of c (MC × PANELS·NR floats) and of a (MC × KC) stay in L2 through the whole depth.
#define MR 12
#define NR 32
#define KC 256
#define PANELS 4
#define MC 240

#define BF16 __attribute__((target("avx512f,avx512bw,avx512bf16"), always_inline)) static inline

int viral_bfloat16_gemm_available(void) {
    return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw")
        && __builtin_cpu_supports("avx512bf16");
}

long viral_bfloat16_packed_width(long k) { return (k + 1) / 2 * 2; }

void viral_bfloat16_pack_rows(const float *a, long lda, long m, long k, uint16_t *packed) {
    const long width = viral_bfloat16_packed_width(k);
    for (long i = 0; i < m; i++) {
        for (long t = 0; t < k; t++) packed[i * width + t] = bfloat16_nearest(a[i * lda + t]);
        if (width > k) packed[i * width + k] = 0;
    }
}

/// Columns j0 ..< j0 + columns (≤ NR) of b, depth p0 ..< p0 + depth, into `panel`: for each pair
/// of depths, NR columns × 2 values; missing columns and an odd last depth are zeros. A pair is
/// moved as one 32-bit word, b's rows read in order.
static void pack_panel(const uint16_t *b, long ldb, long j0, long columns, long p0, long depth, uint16_t *panel) {
    const long pairs = (depth + 1) / 2, whole = depth / 2;
    uint32_t *words = (uint32_t *)panel;
    for (long j = 0; j < NR; j++) {
        if (j >= columns) {
            for (long q = 0; q < pairs; q++) words[q * NR + j] = 0;
            continue;
        }
        const uint16_t *source = b + (j0 + j) * ldb + p0;
        for (long q = 0; q < whole; q++) memcpy(words + q * NR + j, source + 2 * q, sizeof(uint32_t));
        if (whole < pairs) words[whole * NR + j] = source[2 * whole];  // the odd last depth, paired with 0
    }
}

/// c[rows, columns] += a[rows, 2·pairs] (row stride lda, in elements) · panel, for constant `rows`.
BF16 void kernel(const uint16_t *a, long lda, const long rows, const uint16_t *panel, long pairs, float *c, long ldc,
                 long columns) {
    __m512 sum[MR][2];
    for (long r = 0; r < rows; r++) sum[r][0] = sum[r][1] = _mm512_setzero_ps();
    for (long q = 0; q < pairs; q++) {
        const __m512bh low = (__m512bh)_mm512_loadu_si512(panel + q * NR * 2);
        const __m512bh high = (__m512bh)_mm512_loadu_si512(panel + q * NR * 2 + 32);
        for (long r = 0; r < rows; r++) {
            uint32_t pair;
            memcpy(&pair, a + r * lda + 2 * q, sizeof pair);
            const __m512bh broadcast = (__m512bh)_mm512_set1_epi32((int)pair);
            sum[r][0] = _mm512_dpbf16_ps(sum[r][0], broadcast, low);
            sum[r][1] = _mm512_dpbf16_ps(sum[r][1], broadcast, high);
        }
    }
    const __mmask16 first = columns >= 16 ? 0xffff : (__mmask16)((1u << columns) - 1);
    const __mmask16 second = columns >= 32 ? 0xffff : columns <= 16 ? 0 : (__mmask16)((1u << (columns - 16)) - 1);
    for (long r = 0; r < rows; r++) {
        float *row = c + r * ldc;
        _mm512_mask_storeu_ps(row, first, _mm512_add_ps(_mm512_maskz_loadu_ps(first, row), sum[r][0]));
        _mm512_mask_storeu_ps(row + 16, second, _mm512_add_ps(_mm512_maskz_loadu_ps(second, row + 16), sum[r][1]));
    }
}

/// All rows of a against one panel, MR at a time (the tail with its own constant row count).
__attribute__((target("avx512f,avx512bw,avx512bf16")))
static void panel_product(const uint16_t *a, long lda, long m, const uint16_t *panel, long pairs, float *c, long ldc,
                          long columns) {
    long i = 0;
    for (; i + MR <= m; i += MR) kernel(a + i * lda, lda, MR, panel, pairs, c + i * ldc, ldc, columns);
    const uint16_t *rest = a + i * lda;
    float *out = c + i * ldc;
    switch (m - i) {
    case 0: break;
#define TAIL(n) case n: kernel(rest, lda, n, panel, pairs, out, ldc, columns); break;
    TAIL(1) TAIL(2) TAIL(3) TAIL(4) TAIL(5) TAIL(6) TAIL(7) TAIL(8) TAIL(9) TAIL(10) TAIL(11)
#undef TAIL
    }
}

void viral_bfloat16_gemm(const uint16_t *a, long m, long k, const uint16_t *b, long ldb, long first, long last,
                         float *c, long ldc) {
    if (!viral_bfloat16_gemm_available() || m <= 0 || last <= first) return;
    const long lda = viral_bfloat16_packed_width(k), panelSize = KC * NR;
    uint16_t *panels = aligned_alloc(64, (size_t)PANELS * panelSize * sizeof(uint16_t));
    if (!panels) abort();
    for (long block = first; block < last; block += PANELS * NR) {
        const long blockEnd = last - block < PANELS * NR ? last : block + PANELS * NR;
        for (long p0 = 0; p0 < k; p0 += KC) {
            const long depth = k - p0 < KC ? k - p0 : KC;
            for (long j0 = block, panel = 0; j0 < blockEnd; j0 += NR, panel++)
                pack_panel(b, ldb, j0, blockEnd - j0 < NR ? blockEnd - j0 : NR, p0, depth, panels + panel * panelSize);
            for (long i0 = 0; i0 < m; i0 += MC) {
                const long rows = m - i0 < MC ? m - i0 : MC;
                for (long j0 = block, panel = 0; j0 < blockEnd; j0 += NR, panel++)
                    panel_product(a + i0 * lda + p0, lda, rows, panels + panel * panelSize, (depth + 1) / 2,
                                  c + i0 * ldc + j0, ldc, blockEnd - j0 < NR ? blockEnd - j0 : NR);
            }
        }
    }
    free(panels);
}
