#include "gemm_reference.h"

#include <cblas.h>
#include <stdlib.h>
#include <time.h>

static double now_seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

double gemm_reference_seconds(int m, int n, int k, int transpose_b, int repeats, int threads) {
    openblas_set_num_threads(threads);
    float *a = malloc(sizeof(float) * (size_t)m * k);
    float *b = malloc(sizeof(float) * (size_t)k * n);
    float *c = malloc(sizeof(float) * (size_t)m * n);
    for (long i = 0; i < (long)m * k; i++) a[i] = (float)((i * 7919) % 1000) / 1000.0f - 0.5f;
    for (long i = 0; i < (long)k * n; i++) b[i] = (float)((i * 104729) % 1000) / 1000.0f - 0.5f;
    double best = 1e30;
    for (int r = 0; r < repeats + 1; r++) {
        double start = now_seconds();
        cblas_sgemm(CblasRowMajor, CblasNoTrans, transpose_b ? CblasTrans : CblasNoTrans, m, n, k, 1.0f,
                    a, k, b, transpose_b ? k : n, 0.0f, c, n);
        double elapsed = now_seconds() - start;
        if (r > 0 && elapsed < best) best = elapsed;  // the first call warms up
    }
    free(a);
    free(b);
    free(c);
    openblas_set_num_threads(1);  /* the Tensor module's setting (see Parallel.swift) */
    return best;
}
