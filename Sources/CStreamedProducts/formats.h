#ifndef VIRAL_FORMATS_H
#define VIRAL_FORMATS_H

// Reading and rounding the weight formats, shared by the kernels of this target (not part of its
// interface).

#include "streamed_products.h"

#include <immintrin.h>
#include <string.h>

#define AVX512 __attribute__((target("avx512f,avx512bw"), always_inline)) static inline
#define AVX2 __attribute__((target("avx2,fma,f16c"), always_inline)) static inline

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

/// The bfloat16 nearest to `value`, ties to even, as PyTorch rounds (every NaN becomes 0x7FC0).
static inline uint16_t bfloat16_nearest(float value) {
    if (value != value) return 0x7fc0;
    uint32_t bits;
    memcpy(&bits, &value, sizeof bits);
    return (uint16_t)((bits + 0x7fff + ((bits >> 16) & 1)) >> 16);
}

/// Element `index` of weights stored as `format`, as a float.
static inline float weight_at(const void *w, long index, const viral_weight_format format) {
    switch (format) {
    case VIRAL_FLOAT32: return ((const float *)w)[index];
    case VIRAL_BFLOAT16: return float_from_bits((uint32_t)((const uint16_t *)w)[index] << 16);
    default: return widen_float16(((const uint16_t *)w)[index]);
    }
}

/// Sixteen weights from element `index` on, as floats.
AVX512 __m512 load16(const void *w, long index, const viral_weight_format format) {
    if (format == VIRAL_FLOAT32) return _mm512_loadu_ps((const float *)w + index);
    __m256i packed = _mm256_loadu_si256((const __m256i *)((const uint16_t *)w + index));
    if (format == VIRAL_FLOAT16) return _mm512_cvtph_ps(packed);
    return _mm512_castsi512_ps(_mm512_slli_epi32(_mm512_cvtepu16_epi32(packed), 16));
}

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

#endif
