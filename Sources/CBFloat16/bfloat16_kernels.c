#include "bfloat16_kernels.h"

#include <immintrin.h>
#include <string.h>

static inline float widen_one(uint16_t value) {
    uint32_t bits = (uint32_t)value << 16;
    float result;
    memcpy(&result, &bits, sizeof result);
    return result;
}

// A block of WEIGHT_ROWS weight rows × up to X_ROWS x rows is summed in registers: every weight
// vector loaded serves X_ROWS products, every x vector WEIGHT_ROWS, and even with one x row there
// are four independent chains of multiply-adds (one chain would be bound by the FMA latency).
#define WEIGHT_ROWS 4
#define X_ROWS 4

static inline float dot_tail(const uint16_t *w, const float *x, long from, long to) {
    float total = 0;
    for (long t = from; t < to; t++) total += widen_one(w[t]) * x[t];
    return total;
}

__attribute__((target("avx512f,avx512bw")))
static inline __m512 widen16(const uint16_t *w) {
    __m256i packed = _mm256_loadu_si256((const __m256i *)w);
    return _mm512_castsi512_ps(_mm512_slli_epi32(_mm512_cvtepu16_epi32(packed), 16));
}

// WEIGHT_ROWS weight rows [j, j + WEIGHT_ROWS) against `rows` x rows. Inlined with `rows` a
// constant, so the accumulators live in registers (a run-time count would keep them in memory).
__attribute__((target("avx512f,avx512bw"), always_inline))
static inline void block_avx512(const float *xs, const long rows, const uint16_t *w0, long k, long body,
                                float *y, long ldy) {
    __m512 sum[X_ROWS][WEIGHT_ROWS];
    for (long r = 0; r < rows; r++)
        for (long c = 0; c < WEIGHT_ROWS; c++) sum[r][c] = _mm512_setzero_ps();
    for (long kk = 0; kk < body; kk += 16) {
        __m512 weights[WEIGHT_ROWS];
        for (long c = 0; c < WEIGHT_ROWS; c++) weights[c] = widen16(w0 + c * k + kk);
        for (long r = 0; r < rows; r++) {
            __m512 input = _mm512_loadu_ps(xs + r * k + kk);
            for (long c = 0; c < WEIGHT_ROWS; c++) sum[r][c] = _mm512_fmadd_ps(weights[c], input, sum[r][c]);
        }
    }
    for (long r = 0; r < rows; r++)
        for (long c = 0; c < WEIGHT_ROWS; c++)
            y[r * ldy + c] += _mm512_reduce_add_ps(sum[r][c]) + dot_tail(w0 + c * k, xs + r * k, body, k);
}

__attribute__((target("avx512f,avx512bw")))
static void rows_dot_avx512(const float *x, long m, const uint16_t *w, long k, long first, long last,
                            float *y, long ldy) {
    const long body = k / 16 * 16;
    for (long i0 = 0; i0 < m; i0 += X_ROWS) {
        const long rows = m - i0 < X_ROWS ? m - i0 : X_ROWS;
        const float *xs = x + i0 * k;
        float *ys = y + i0 * ldy;
        long j = first;
        for (; j + WEIGHT_ROWS <= last; j += WEIGHT_ROWS) {
            switch (rows) {
            case 1: block_avx512(xs, 1, w + j * k, k, body, ys + j, ldy); break;
            case 2: block_avx512(xs, 2, w + j * k, k, body, ys + j, ldy); break;
            case 3: block_avx512(xs, 3, w + j * k, k, body, ys + j, ldy); break;
            default: block_avx512(xs, 4, w + j * k, k, body, ys + j, ldy); break;
            }
        }
        for (; j < last; j++) {
            for (long r = 0; r < rows; r++) {
                __m512 sum = _mm512_setzero_ps();
                for (long kk = 0; kk < body; kk += 16)
                    sum = _mm512_fmadd_ps(widen16(w + j * k + kk), _mm512_loadu_ps(xs + r * k + kk), sum);
                ys[r * ldy + j] += _mm512_reduce_add_ps(sum) + dot_tail(w + j * k, xs + r * k, body, k);
            }
        }
    }
}

__attribute__((target("avx2,fma")))
static inline __m256 widen8(const uint16_t *w) {
    __m128i packed = _mm_loadu_si128((const __m128i *)w);
    return _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_cvtepu16_epi32(packed), 16));
}

__attribute__((target("avx2,fma")))
static inline float sum8(__m256 v) {
    __m128 half = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    half = _mm_add_ps(half, _mm_movehl_ps(half, half));
    half = _mm_add_ss(half, _mm_shuffle_ps(half, half, 1));
    return _mm_cvtss_f32(half);
}

// AVX2 has 16 vector registers: one x row at a time against four weight rows.
__attribute__((target("avx2,fma")))
static void rows_dot_avx2(const float *x, long m, const uint16_t *w, long k, long first, long last,
                          float *y, long ldy) {
    const long body = k / 8 * 8;
    for (long i = 0; i < m; i++) {
        const float *xi = x + i * k;
        long j = first;
        for (; j + WEIGHT_ROWS <= last; j += WEIGHT_ROWS) {
            const uint16_t *w0 = w + j * k;
            __m256 sum[WEIGHT_ROWS] = {_mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps()};
            for (long kk = 0; kk < body; kk += 8) {
                __m256 input = _mm256_loadu_ps(xi + kk);
                for (long c = 0; c < WEIGHT_ROWS; c++) sum[c] = _mm256_fmadd_ps(widen8(w0 + c * k + kk), input, sum[c]);
            }
            for (long c = 0; c < WEIGHT_ROWS; c++)
                y[i * ldy + j + c] += sum8(sum[c]) + dot_tail(w0 + c * k, xi, body, k);
        }
        for (; j < last; j++) {
            __m256 sum = _mm256_setzero_ps();
            for (long kk = 0; kk < body; kk += 8) sum = _mm256_fmadd_ps(widen8(w + j * k + kk), _mm256_loadu_ps(xi + kk), sum);
            y[i * ldy + j] += sum8(sum) + dot_tail(w + j * k, xi, body, k);
        }
    }
}

static void rows_dot_portable(const float *x, long m, const uint16_t *w, long k, long first, long last,
                              float *y, long ldy) {
    for (long i = 0; i < m; i++)
        for (long j = first; j < last; j++) y[i * ldy + j] += dot_tail(w + j * k, x + i * k, 0, k);
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
