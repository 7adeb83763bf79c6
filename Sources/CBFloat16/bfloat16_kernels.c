#include "bfloat16_kernels.h"

#include <immintrin.h>
#include <string.h>

static inline float widen_one(uint16_t value) {
    uint32_t bits = (uint32_t)value << 16;
    float result;
    memcpy(&result, &bits, sizeof result);
    return result;
}

// Up to this many x rows share each pass over a weight row (their accumulators stay in registers).
#define ROW_GROUP 4

__attribute__((target("avx512f,avx512bw")))
static void rows_dot_avx512(const float *x, long m, const uint16_t *w, long k, long first, long last,
                            float *y, long ldy) {
    for (long i0 = 0; i0 < m; i0 += ROW_GROUP) {
        long rows = m - i0 < ROW_GROUP ? m - i0 : ROW_GROUP;
        for (long j = first; j < last; j++) {
            const uint16_t *row = w + j * k;
            __m512 sum[ROW_GROUP] = {_mm512_setzero_ps(), _mm512_setzero_ps(), _mm512_setzero_ps(), _mm512_setzero_ps()};
            long kk = 0;
            for (; kk + 16 <= k; kk += 16) {
                __m256i packed = _mm256_loadu_si256((const __m256i *)(row + kk));
                __m512 weights = _mm512_castsi512_ps(_mm512_slli_epi32(_mm512_cvtepu16_epi32(packed), 16));
                for (long r = 0; r < rows; r++)
                    sum[r] = _mm512_fmadd_ps(weights, _mm512_loadu_ps(x + (i0 + r) * k + kk), sum[r]);
            }
            for (long r = 0; r < rows; r++) {
                float total = _mm512_reduce_add_ps(sum[r]);
                for (long t = kk; t < k; t++) total += widen_one(row[t]) * x[(i0 + r) * k + t];
                y[(i0 + r) * ldy + j] += total;
            }
        }
    }
}

__attribute__((target("avx2,fma")))
static void rows_dot_avx2(const float *x, long m, const uint16_t *w, long k, long first, long last,
                          float *y, long ldy) {
    for (long i0 = 0; i0 < m; i0 += ROW_GROUP) {
        long rows = m - i0 < ROW_GROUP ? m - i0 : ROW_GROUP;
        for (long j = first; j < last; j++) {
            const uint16_t *row = w + j * k;
            __m256 sum[ROW_GROUP] = {_mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps()};
            long kk = 0;
            for (; kk + 8 <= k; kk += 8) {
                __m128i packed = _mm_loadu_si128((const __m128i *)(row + kk));
                __m256 weights = _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_cvtepu16_epi32(packed), 16));
                for (long r = 0; r < rows; r++)
                    sum[r] = _mm256_fmadd_ps(weights, _mm256_loadu_ps(x + (i0 + r) * k + kk), sum[r]);
            }
            for (long r = 0; r < rows; r++) {
                __m128 half = _mm_add_ps(_mm256_castps256_ps128(sum[r]), _mm256_extractf128_ps(sum[r], 1));
                half = _mm_add_ps(half, _mm_movehl_ps(half, half));
                half = _mm_add_ss(half, _mm_shuffle_ps(half, half, 1));
                float total = _mm_cvtss_f32(half);
                for (long t = kk; t < k; t++) total += widen_one(row[t]) * x[(i0 + r) * k + t];
                y[(i0 + r) * ldy + j] += total;
            }
        }
    }
}

static void rows_dot_portable(const float *x, long m, const uint16_t *w, long k, long first, long last,
                              float *y, long ldy) {
    for (long i = 0; i < m; i++)
        for (long j = first; j < last; j++) {
            float total = 0;
            for (long t = 0; t < k; t++) total += widen_one(w[j * k + t]) * x[i * k + t];
            y[i * ldy + j] += total;
        }
}

void viral_bf16_rows_dot(const float *x, long m, const uint16_t *w, long k, long first, long last,
                         float *y, long ldy) {
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw"))
        rows_dot_avx512(x, m, w, k, first, last, y, ldy);
    else if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))
        rows_dot_avx2(x, m, w, k, first, last, y, ldy);
    else
        rows_dot_portable(x, m, w, k, first, last, y, ldy);
}

void viral_bf16_widen(const uint16_t *source, float *destination, long count) {
    uint32_t *bits = (uint32_t *)destination;
    for (long i = 0; i < count; i++) bits[i] = (uint32_t)source[i] << 16;
}
