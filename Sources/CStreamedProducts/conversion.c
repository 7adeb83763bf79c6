#include "formats.h"

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

void viral_narrow(viral_weight_format format, const float *source, uint16_t *destination, long count) {
    if (format == VIRAL_BFLOAT16) {
        for (long i = 0; i < count; i++) destination[i] = bfloat16_nearest(source[i]);
        return;
    }
    // The compiler's half type rounds to nearest, ties to even (F16C's vcvtps2ph when available).
    for (long i = 0; i < count; i++) {
        _Float16 half = (_Float16)source[i];
        memcpy(destination + i, &half, sizeof half);
    }
}
