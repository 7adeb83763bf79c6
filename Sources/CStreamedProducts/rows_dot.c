#include "formats.h"

static inline float dot_tail(const void *w, long row, long ldw, const float *x, long k, long from,
                             const viral_weight_format format) {
    float total = 0;
    for (long t = from; t < k; t++) total += weight_at(w, row * ldw + t, format) * x[t];
    return total;
}

// A block of WEIGHT_ROWS weight rows × up to X_ROWS x rows is summed in registers: every weight
// vector loaded serves X_ROWS products, every x vector WEIGHT_ROWS, and even with one x row there
// are four independent chains of multiply-adds (one chain would be bound by the FMA latency).
// The functions below are inlined with `format` and `rows` constants, so that each combination
// is its own loop with its accumulators in registers.
#define WEIGHT_ROWS 4
#define X_ROWS 4

AVX512 void block_avx512(const float *xs, long ldx, const long rows, const void *w, long ldw, long j, long k, long body,
                         float *y, long ldy, const viral_weight_format format) {
    __m512 sum[X_ROWS][WEIGHT_ROWS];
    for (long r = 0; r < rows; r++)
        for (long c = 0; c < WEIGHT_ROWS; c++) sum[r][c] = _mm512_setzero_ps();
    for (long kk = 0; kk < body; kk += 16) {
        __m512 weights[WEIGHT_ROWS];
        for (long c = 0; c < WEIGHT_ROWS; c++) weights[c] = load16(w, (j + c) * ldw + kk, format);
        for (long r = 0; r < rows; r++) {
            __m512 input = _mm512_loadu_ps(xs + r * ldx + kk);
            for (long c = 0; c < WEIGHT_ROWS; c++) sum[r][c] = _mm512_fmadd_ps(weights[c], input, sum[r][c]);
        }
    }
    for (long r = 0; r < rows; r++)
        for (long c = 0; c < WEIGHT_ROWS; c++)
            y[r * ldy + j + c] += _mm512_reduce_add_ps(sum[r][c]) + dot_tail(w, j + c, ldw, xs + r * ldx, k, body, format);
}

AVX512 void rows_dot_avx512(const float *x, long ldx, long m, const void *w, long ldw, long k, long first, long last,
                            float *y, long ldy, const viral_weight_format format) {
    const long body = k / 16 * 16;
    for (long i0 = 0; i0 < m; i0 += X_ROWS) {
        const long rows = m - i0 < X_ROWS ? m - i0 : X_ROWS;
        const float *xs = x + i0 * ldx;
        float *ys = y + i0 * ldy;
        long j = first;
        for (; j + WEIGHT_ROWS <= last; j += WEIGHT_ROWS) {
            switch (rows) {
            case 1: block_avx512(xs, ldx, 1, w, ldw, j, k, body, ys, ldy, format); break;
            case 2: block_avx512(xs, ldx, 2, w, ldw, j, k, body, ys, ldy, format); break;
            case 3: block_avx512(xs, ldx, 3, w, ldw, j, k, body, ys, ldy, format); break;
            default: block_avx512(xs, ldx, 4, w, ldw, j, k, body, ys, ldy, format); break;
            }
        }
        for (; j < last; j++) {
            for (long r = 0; r < rows; r++) {
                __m512 sum = _mm512_setzero_ps();
                for (long kk = 0; kk < body; kk += 16)
                    sum = _mm512_fmadd_ps(load16(w, j * ldw + kk, format), _mm512_loadu_ps(xs + r * ldx + kk), sum);
                ys[r * ldy + j] += _mm512_reduce_add_ps(sum) + dot_tail(w, j, ldw, xs + r * ldx, k, body, format);
            }
        }
    }
}

// One compiled loop per format (the always-inline functions above take it as a constant).
#define SPECIALISE(name, target_features, body, format)                                               \
    __attribute__((target(target_features))) static void name(                                        \
        const float *x, long ldx, long m, const void *w, long ldw, long k, long first, long last,     \
        float *y, long ldy) {                                                                         \
        body(x, ldx, m, w, ldw, k, first, last, y, ldy, format);                                      \
    }
SPECIALISE(rows_dot_avx512_float32, "avx512f,avx512bw", rows_dot_avx512, VIRAL_FLOAT32)
SPECIALISE(rows_dot_avx512_bfloat16, "avx512f,avx512bw", rows_dot_avx512, VIRAL_BFLOAT16)
SPECIALISE(rows_dot_avx512_float16, "avx512f,avx512bw", rows_dot_avx512, VIRAL_FLOAT16)

// AVX2 has 16 vector registers: one x row at a time against four weight rows.
AVX2 void rows_dot_avx2(const float *x, long ldx, long m, const void *w, long ldw, long k, long first, long last,
                        float *y, long ldy, const viral_weight_format format) {
    const long body = k / 8 * 8;
    for (long i = 0; i < m; i++) {
        const float *xi = x + i * ldx;
        long j = first;
        for (; j + WEIGHT_ROWS <= last; j += WEIGHT_ROWS) {
            __m256 sum[WEIGHT_ROWS] = {_mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps()};
            for (long kk = 0; kk < body; kk += 8) {
                __m256 input = _mm256_loadu_ps(xi + kk);
                for (long c = 0; c < WEIGHT_ROWS; c++)
                    sum[c] = _mm256_fmadd_ps(load8(w, (j + c) * ldw + kk, format), input, sum[c]);
            }
            for (long c = 0; c < WEIGHT_ROWS; c++)
                y[i * ldy + j + c] += sum8(sum[c]) + dot_tail(w, j + c, ldw, xi, k, body, format);
        }
        for (; j < last; j++) {
            __m256 sum = _mm256_setzero_ps();
            for (long kk = 0; kk < body; kk += 8)
                sum = _mm256_fmadd_ps(load8(w, j * ldw + kk, format), _mm256_loadu_ps(xi + kk), sum);
            y[i * ldy + j] += sum8(sum) + dot_tail(w, j, ldw, xi, k, body, format);
        }
    }
}

SPECIALISE(rows_dot_avx2_float32, "avx2,fma,f16c", rows_dot_avx2, VIRAL_FLOAT32)
SPECIALISE(rows_dot_avx2_bfloat16, "avx2,fma,f16c", rows_dot_avx2, VIRAL_BFLOAT16)
SPECIALISE(rows_dot_avx2_float16, "avx2,fma,f16c", rows_dot_avx2, VIRAL_FLOAT16)

static void rows_dot_portable(const float *x, long ldx, long m, const void *w, long ldw, long k, long first, long last,
                              float *y, long ldy, viral_weight_format format) {
    for (long i = 0; i < m; i++)
        for (long j = first; j < last; j++) y[i * ldy + j] += dot_tail(w, j, ldw, x + i * ldx, k, 0, format);
}

int viral_rows_dot_with(viral_instruction_set set, viral_weight_format format, const float *x, long ldx, long m,
                        const void *w, long ldw, long k, long first, long last, float *y, long ldy) {
    typedef void (*kernel)(const float *, long, long, const void *, long, long, long, long, float *, long);
    switch (set) {
    case VIRAL_AVX512: {
        if (!__builtin_cpu_supports("avx512f") || !__builtin_cpu_supports("avx512bw")) return 0;
        kernel kernels[] = {rows_dot_avx512_float32, rows_dot_avx512_bfloat16, rows_dot_avx512_float16};
        kernels[format](x, ldx, m, w, ldw, k, first, last, y, ldy);
        return 1;
    }
    case VIRAL_AVX2: {
        if (!__builtin_cpu_supports("avx2") || !__builtin_cpu_supports("fma") || !__builtin_cpu_supports("f16c")) return 0;
        kernel kernels[] = {rows_dot_avx2_float32, rows_dot_avx2_bfloat16, rows_dot_avx2_float16};
        kernels[format](x, ldx, m, w, ldw, k, first, last, y, ldy);
        return 1;
    }
    default:
        rows_dot_portable(x, ldx, m, w, ldw, k, first, last, y, ldy, format);
        return 1;
    }
}

void viral_rows_dot(viral_weight_format format, const float *x, long ldx, long m, const void *w, long ldw, long k,
                    long first, long last, float *y, long ldy) {
    if (viral_rows_dot_with(VIRAL_AVX512, format, x, ldx, m, w, ldw, k, first, last, y, ldy)) return;
    if (viral_rows_dot_with(VIRAL_AVX2, format, x, ldx, m, w, ldw, k, first, last, y, ldy)) return;
    viral_rows_dot_with(VIRAL_PORTABLE, format, x, ldx, m, w, ldw, k, first, last, y, ldy);
}

