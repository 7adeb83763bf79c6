#include "streamed_products.h"

#include <immintrin.h>
#include <string.h>

static inline float float_from_bits(uint32_t bits) {
    float result;
    memcpy(&result, &bits, sizeof result);
    return result;
}

/// IEEE binary16 to float, subnormals, infinities and NaNs included.
static inline float widen_float16(uint16_t h) {
    uint32_t sign = (uint32_t)(h & 0x8000) << 16, exponent = (h >> 10) & 0x1f, mantissa = h & 0x3ff;
    if (exponent == 0x1f) return float_from_bits(sign | 0x7f800000 | (mantissa << 13));
    if (exponent != 0) return float_from_bits(sign | ((exponent + 112) << 23) | (mantissa << 13));
    // Zero or subnormal: mantissa · 2⁻²⁴, exact in float.
    float magnitude = (float)mantissa * 0x1p-24f;
    return sign ? -magnitude : magnitude;
}

/// Element `index` of weights stored as `format`, as a float.
static inline float weight_at(const void *w, long index, const viral_weight_format format) {
    switch (format) {
    case VIRAL_FLOAT32: return ((const float *)w)[index];
    case VIRAL_BFLOAT16: return float_from_bits((uint32_t)((const uint16_t *)w)[index] << 16);
    default: return widen_float16(((const uint16_t *)w)[index]);
    }
}

static inline float dot_tail(const void *w, long row, const float *x, long k, long from, const viral_weight_format format) {
    float total = 0;
    for (long t = from; t < k; t++) total += weight_at(w, row * k + t, format) * x[t];
    return total;
}

// A block of WEIGHT_ROWS weight rows × up to X_ROWS x rows is summed in registers: every weight
// vector loaded serves X_ROWS products, every x vector WEIGHT_ROWS, and even with one x row there
// are four independent chains of multiply-adds (one chain would be bound by the FMA latency).
// The functions below are inlined with `format` and `rows` constants, so that each combination
// is its own loop with its accumulators in registers.
#define WEIGHT_ROWS 4
#define X_ROWS 4
#define AVX512 __attribute__((target("avx512f,avx512bw"), always_inline)) static inline
#define AVX2 __attribute__((target("avx2,fma,f16c"), always_inline)) static inline

/// Sixteen weights from element `index` on, as floats.
AVX512 __m512 load16(const void *w, long index, const viral_weight_format format) {
    if (format == VIRAL_FLOAT32) return _mm512_loadu_ps((const float *)w + index);
    __m256i packed = _mm256_loadu_si256((const __m256i *)((const uint16_t *)w + index));
    if (format == VIRAL_FLOAT16) return _mm512_cvtph_ps(packed);
    return _mm512_castsi512_ps(_mm512_slli_epi32(_mm512_cvtepu16_epi32(packed), 16));
}

AVX512 void block_avx512(const float *xs, const long rows, const void *w, long j, long k, long body,
                         float *y, long ldy, const viral_weight_format format) {
    __m512 sum[X_ROWS][WEIGHT_ROWS];
    for (long r = 0; r < rows; r++)
        for (long c = 0; c < WEIGHT_ROWS; c++) sum[r][c] = _mm512_setzero_ps();
    for (long kk = 0; kk < body; kk += 16) {
        __m512 weights[WEIGHT_ROWS];
        for (long c = 0; c < WEIGHT_ROWS; c++) weights[c] = load16(w, (j + c) * k + kk, format);
        for (long r = 0; r < rows; r++) {
            __m512 input = _mm512_loadu_ps(xs + r * k + kk);
            for (long c = 0; c < WEIGHT_ROWS; c++) sum[r][c] = _mm512_fmadd_ps(weights[c], input, sum[r][c]);
        }
    }
    for (long r = 0; r < rows; r++)
        for (long c = 0; c < WEIGHT_ROWS; c++)
            y[r * ldy + j + c] += _mm512_reduce_add_ps(sum[r][c]) + dot_tail(w, j + c, xs + r * k, k, body, format);
}

AVX512 void rows_dot_avx512(const float *x, long m, const void *w, long k, long first, long last,
                            float *y, long ldy, const viral_weight_format format) {
    const long body = k / 16 * 16;
    for (long i0 = 0; i0 < m; i0 += X_ROWS) {
        const long rows = m - i0 < X_ROWS ? m - i0 : X_ROWS;
        const float *xs = x + i0 * k;
        float *ys = y + i0 * ldy;
        long j = first;
        for (; j + WEIGHT_ROWS <= last; j += WEIGHT_ROWS) {
            switch (rows) {
            case 1: block_avx512(xs, 1, w, j, k, body, ys, ldy, format); break;
            case 2: block_avx512(xs, 2, w, j, k, body, ys, ldy, format); break;
            case 3: block_avx512(xs, 3, w, j, k, body, ys, ldy, format); break;
            default: block_avx512(xs, 4, w, j, k, body, ys, ldy, format); break;
            }
        }
        for (; j < last; j++) {
            for (long r = 0; r < rows; r++) {
                __m512 sum = _mm512_setzero_ps();
                for (long kk = 0; kk < body; kk += 16)
                    sum = _mm512_fmadd_ps(load16(w, j * k + kk, format), _mm512_loadu_ps(xs + r * k + kk), sum);
                ys[r * ldy + j] += _mm512_reduce_add_ps(sum) + dot_tail(w, j, xs + r * k, k, body, format);
            }
        }
    }
}

// One compiled loop per format (the always-inline functions above take it as a constant).
#define SPECIALISE(name, target_features, body, format)                                           \
    __attribute__((target(target_features))) static void name(                                    \
        const float *x, long m, const void *w, long k, long first, long last, float *y, long ldy) { \
        body(x, m, w, k, first, last, y, ldy, format);                                            \
    }
SPECIALISE(rows_dot_avx512_float32, "avx512f,avx512bw", rows_dot_avx512, VIRAL_FLOAT32)
SPECIALISE(rows_dot_avx512_bfloat16, "avx512f,avx512bw", rows_dot_avx512, VIRAL_BFLOAT16)
SPECIALISE(rows_dot_avx512_float16, "avx512f,avx512bw", rows_dot_avx512, VIRAL_FLOAT16)

/// Eight weights from element `index` on, as floats.
AVX2 __m256 load8(const void *w, long index, const viral_weight_format format) {
    if (format == VIRAL_FLOAT32) return _mm256_loadu_ps((const float *)w + index);
    __m128i packed = _mm_loadu_si128((const __m128i *)((const uint16_t *)w + index));
    if (format == VIRAL_FLOAT16) return _mm256_cvtph_ps(packed);
    return _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_cvtepu16_epi32(packed), 16));
}

AVX2 float sum8(__m256 v) {
    __m128 half = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    half = _mm_add_ps(half, _mm_movehl_ps(half, half));
    half = _mm_add_ss(half, _mm_shuffle_ps(half, half, 1));
    return _mm_cvtss_f32(half);
}

// AVX2 has 16 vector registers: one x row at a time against four weight rows.
AVX2 void rows_dot_avx2(const float *x, long m, const void *w, long k, long first, long last,
                        float *y, long ldy, const viral_weight_format format) {
    const long body = k / 8 * 8;
    for (long i = 0; i < m; i++) {
        const float *xi = x + i * k;
        long j = first;
        for (; j + WEIGHT_ROWS <= last; j += WEIGHT_ROWS) {
            __m256 sum[WEIGHT_ROWS] = {_mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps()};
            for (long kk = 0; kk < body; kk += 8) {
                __m256 input = _mm256_loadu_ps(xi + kk);
                for (long c = 0; c < WEIGHT_ROWS; c++)
                    sum[c] = _mm256_fmadd_ps(load8(w, (j + c) * k + kk, format), input, sum[c]);
            }
            for (long c = 0; c < WEIGHT_ROWS; c++)
                y[i * ldy + j + c] += sum8(sum[c]) + dot_tail(w, j + c, xi, k, body, format);
        }
        for (; j < last; j++) {
            __m256 sum = _mm256_setzero_ps();
            for (long kk = 0; kk < body; kk += 8)
                sum = _mm256_fmadd_ps(load8(w, j * k + kk, format), _mm256_loadu_ps(xi + kk), sum);
            y[i * ldy + j] += sum8(sum) + dot_tail(w, j, xi, k, body, format);
        }
    }
}

SPECIALISE(rows_dot_avx2_float32, "avx2,fma,f16c", rows_dot_avx2, VIRAL_FLOAT32)
SPECIALISE(rows_dot_avx2_bfloat16, "avx2,fma,f16c", rows_dot_avx2, VIRAL_BFLOAT16)
SPECIALISE(rows_dot_avx2_float16, "avx2,fma,f16c", rows_dot_avx2, VIRAL_FLOAT16)

static void rows_dot_portable(const float *x, long m, const void *w, long k, long first, long last,
                              float *y, long ldy, viral_weight_format format) {
    for (long i = 0; i < m; i++)
        for (long j = first; j < last; j++) y[i * ldy + j] += dot_tail(w, j, x + i * k, k, 0, format);
}

int viral_rows_dot_with(viral_instruction_set set, viral_weight_format format, const float *x, long m,
                        const void *w, long k, long first, long last, float *y, long ldy) {
    typedef void (*kernel)(const float *, long, const void *, long, long, long, float *, long);
    switch (set) {
    case VIRAL_AVX512: {
        if (!__builtin_cpu_supports("avx512f") || !__builtin_cpu_supports("avx512bw")) return 0;
        kernel kernels[] = {rows_dot_avx512_float32, rows_dot_avx512_bfloat16, rows_dot_avx512_float16};
        kernels[format](x, m, w, k, first, last, y, ldy);
        return 1;
    }
    case VIRAL_AVX2: {
        if (!__builtin_cpu_supports("avx2") || !__builtin_cpu_supports("fma") || !__builtin_cpu_supports("f16c")) return 0;
        kernel kernels[] = {rows_dot_avx2_float32, rows_dot_avx2_bfloat16, rows_dot_avx2_float16};
        kernels[format](x, m, w, k, first, last, y, ldy);
        return 1;
    }
    default:
        rows_dot_portable(x, m, w, k, first, last, y, ldy, format);
        return 1;
    }
}

void viral_rows_dot(viral_weight_format format, const float *x, long m, const void *w, long k,
                    long first, long last, float *y, long ldy) {
    if (viral_rows_dot_with(VIRAL_AVX512, format, x, m, w, k, first, last, y, ldy)) return;
    if (viral_rows_dot_with(VIRAL_AVX2, format, x, m, w, k, first, last, y, ldy)) return;
    viral_rows_dot_with(VIRAL_PORTABLE, format, x, m, w, k, first, last, y, ldy);
}

__attribute__((target("avx2,f16c")))
static long widen_float16_f16c(const uint16_t *source, float *destination, long count) {
    long i = 0;
    for (; i + 8 <= count; i += 8)
        _mm256_storeu_ps(destination + i, _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(source + i))));
    return i;
}

void viral_widen(viral_weight_format format, const uint16_t *source, float *destination, long count) {
    if (format == VIRAL_BFLOAT16) {
        uint32_t *bits = (uint32_t *)destination;
        for (long i = 0; i < count; i++) bits[i] = (uint32_t)source[i] << 16;
        return;
    }
    long done = __builtin_cpu_supports("f16c") && __builtin_cpu_supports("avx2")
        ? widen_float16_f16c(source, destination, count) : 0;
    for (long i = done; i < count; i++) destination[i] = widen_float16(source[i]);
}
