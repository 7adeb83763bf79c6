#include "formats.h"

// Weighted sums of streamed rows (attention's probabilities times the cached values): up to
// COMBINE_ROWS output rows × CHUNK columns are summed in registers while the rows of v stream
// past once, each loaded vector serving every output row. As in rows_dot.c, the block functions
// are inlined with constant `rows`, `vectors` and `format`, so each combination keeps its
// accumulators in registers.
#define COMBINE_ROWS 4

static void combine_columns_portable(const float *p, long ldp, long m, const void *v, long ldv, long n,
                                     long from, long to, float *out, long ldo, viral_weight_format format) {
    for (long i = 0; i < m; i++)
        for (long c = from; c < to; c++) {
            float total = 0;
            for (long j = 0; j < n; j++) total += p[i * ldp + j] * weight_at(v, j * ldv + c, format);
            out[i * ldo + c] = total;
        }
}

/// Columns c0 ..< c0 + 16·vectors of `rows` output rows.
AVX512 void combine_block_avx512(const float *p, long ldp, const long rows, const void *v, long ldv, long n, long c0,
                                 const long vectors, float *out, long ldo, const viral_weight_format format) {
    __m512 sum[COMBINE_ROWS][4];
    for (long r = 0; r < rows; r++)
        for (long q = 0; q < vectors; q++) sum[r][q] = _mm512_setzero_ps();
    for (long j = 0; j < n; j++) {
        __m512 values[4];
        for (long q = 0; q < vectors; q++) values[q] = load16(v, j * ldv + c0 + 16 * q, format);
        for (long r = 0; r < rows; r++) {
            __m512 weight = _mm512_set1_ps(p[r * ldp + j]);
            for (long q = 0; q < vectors; q++) sum[r][q] = _mm512_fmadd_ps(values[q], weight, sum[r][q]);
        }
    }
    for (long r = 0; r < rows; r++)
        for (long q = 0; q < vectors; q++) _mm512_storeu_ps(out + r * ldo + c0 + 16 * q, sum[r][q]);
}

AVX512 void combine_rows_avx512(const float *p, long ldp, const long rows, const void *v, long ldv, long n, long width,
                                float *out, long ldo, const viral_weight_format format) {
    long c0 = 0;
    for (; c0 + 64 <= width; c0 += 64) combine_block_avx512(p, ldp, rows, v, ldv, n, c0, 4, out, ldo, format);
    for (; c0 + 16 <= width; c0 += 16) combine_block_avx512(p, ldp, rows, v, ldv, n, c0, 1, out, ldo, format);
    combine_columns_portable(p, ldp, rows, v, ldv, n, c0, width, out, ldo, format);
}

AVX512 void combine_avx512(const float *p, long ldp, long m, const void *v, long ldv, long n, long width,
                           float *out, long ldo, const viral_weight_format format) {
    for (long i0 = 0; i0 < m; i0 += COMBINE_ROWS) {
        const float *ps = p + i0 * ldp;
        float *os = out + i0 * ldo;
        switch (m - i0 < COMBINE_ROWS ? m - i0 : COMBINE_ROWS) {
        case 1: combine_rows_avx512(ps, ldp, 1, v, ldv, n, width, os, ldo, format); break;
        case 2: combine_rows_avx512(ps, ldp, 2, v, ldv, n, width, os, ldo, format); break;
        case 3: combine_rows_avx512(ps, ldp, 3, v, ldv, n, width, os, ldo, format); break;
        default: combine_rows_avx512(ps, ldp, 4, v, ldv, n, width, os, ldo, format); break;
        }
    }
}

/// Columns c0 ..< c0 + 32 of one output row (AVX2 has 16 vector registers).
AVX2 void combine_block_avx2(const float *p, const void *v, long ldv, long n, long c0, float *out,
                             const viral_weight_format format) {
    __m256 sum[4] = {_mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps()};
    for (long j = 0; j < n; j++) {
        __m256 weight = _mm256_set1_ps(p[j]);
        for (long q = 0; q < 4; q++) sum[q] = _mm256_fmadd_ps(load8(v, j * ldv + c0 + 8 * q, format), weight, sum[q]);
    }
    for (long q = 0; q < 4; q++) _mm256_storeu_ps(out + c0 + 8 * q, sum[q]);
}

AVX2 void combine_avx2(const float *p, long ldp, long m, const void *v, long ldv, long n, long width,
                       float *out, long ldo, const viral_weight_format format) {
    for (long i = 0; i < m; i++) {
        long c0 = 0;
        for (; c0 + 32 <= width; c0 += 32) combine_block_avx2(p + i * ldp, v, ldv, n, c0, out + i * ldo, format);
        combine_columns_portable(p + i * ldp, ldp, 1, v, ldv, n, c0, width, out + i * ldo, ldo, format);
    }
}

#define SPECIALISE(name, target_features, body, format)                                                  \
    __attribute__((target(target_features))) static void name(                                           \
        const float *p, long ldp, long m, const void *v, long ldv, long n, long width, float *out, long ldo) { \
        body(p, ldp, m, v, ldv, n, width, out, ldo, format);                                             \
    }
SPECIALISE(combine_avx512_float32, "avx512f,avx512bw", combine_avx512, VIRAL_FLOAT32)
SPECIALISE(combine_avx512_bfloat16, "avx512f,avx512bw", combine_avx512, VIRAL_BFLOAT16)
SPECIALISE(combine_avx512_float16, "avx512f,avx512bw", combine_avx512, VIRAL_FLOAT16)
SPECIALISE(combine_avx2_float32, "avx2,fma,f16c", combine_avx2, VIRAL_FLOAT32)
SPECIALISE(combine_avx2_bfloat16, "avx2,fma,f16c", combine_avx2, VIRAL_BFLOAT16)
SPECIALISE(combine_avx2_float16, "avx2,fma,f16c", combine_avx2, VIRAL_FLOAT16)

int viral_rows_combine_with(viral_instruction_set set, viral_weight_format format, const float *p, long ldp, long m,
                            const void *v, long ldv, long n, long width, float *out, long ldo) {
    typedef void (*kernel)(const float *, long, long, const void *, long, long, long, float *, long);
    switch (set) {
    case VIRAL_AVX512: {
        if (!__builtin_cpu_supports("avx512f") || !__builtin_cpu_supports("avx512bw")) return 0;
        kernel kernels[] = {combine_avx512_float32, combine_avx512_bfloat16, combine_avx512_float16};
        kernels[format](p, ldp, m, v, ldv, n, width, out, ldo);
        return 1;
    }
    case VIRAL_AVX2: {
        if (!__builtin_cpu_supports("avx2") || !__builtin_cpu_supports("fma") || !__builtin_cpu_supports("f16c")) return 0;
        kernel kernels[] = {combine_avx2_float32, combine_avx2_bfloat16, combine_avx2_float16};
        kernels[format](p, ldp, m, v, ldv, n, width, out, ldo);
        return 1;
    }
    default:
        combine_columns_portable(p, ldp, m, v, ldv, n, 0, width, out, ldo, format);
        return 1;
    }
}

void viral_rows_combine(viral_weight_format format, const float *p, long ldp, long m, const void *v, long ldv, long n,
                        long width, float *out, long ldo) {
    if (viral_rows_combine_with(VIRAL_AVX512, format, p, ldp, m, v, ldv, n, width, out, ldo)) return;
    if (viral_rows_combine_with(VIRAL_AVX2, format, p, ldp, m, v, ldv, n, width, out, ldo)) return;
    viral_rows_combine_with(VIRAL_PORTABLE, format, p, ldp, m, v, ldv, n, width, out, ldo);
}
