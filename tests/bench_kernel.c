/* bench_kernel.c - micro-benchmark of every kernel body this CPU runs:
 * ns per call of dot, axpy and sigmoid (d = 100) and of ns_step (d = 100,
 * n = 6: one target and five noise rows), of axpy_rows (6 rows of one
 * padded row length, as in the batched step) and of ns_batch_grad (the
 * batched step's gradients: 48 inputs x 6 outputs, the size of a group of 8
 * combined windows), and GFLOP/s of gemm_nt at the
 * shape of batched analogy scoring (queries x 30000 words x 100 dims) and
 * with one row (softmax scoring: 1 x 30000 x 100).
 * Rows stay in cache: this measures the arithmetic, not the memory system.
 * Built and run by `make bench-kernel`; not part of the unit tests. */
#include <stdio.h>
#include <stdlib.h>

#include "kernel.h"

#define D 100
#define NS_ROWS 6
#define GRAD_INPUTS 48

static volatile float sink;

/* Fills x with deterministic values in [-0.5, 0.5). */
static void fill(float *x, int64_t n, unsigned seed)
{
    for (int64_t i = 0; i < n; i++) {
        seed = seed * 1664525u + 1013904223u;
        x[i] = (float)(seed >> 8) / 16777216.0f - 0.5f;
    }
}

/* Seconds per call of `body`: reps is doubled until a round takes 50 ms,
 * then the fastest of 5 rounds counts (the machine may be shared). */
#define TIME_PER_CALL(secs, body)                                         \
    do {                                                                  \
        long reps_ = 1000;                                                \
        double best_ = 1e30;                                              \
        for (int round_ = 0; round_ < 5;) {                               \
            double t0_ = w2v_now();                                       \
            for (long r_ = 0; r_ < reps_; r_++) {                         \
                body;                                                     \
            }                                                             \
            double dt_ = w2v_now() - t0_;                                 \
            if (dt_ < 0.05) {                                             \
                reps_ *= 2;                                               \
                continue;                                                 \
            }                                                             \
            best_ = dt_ / (double)reps_ < best_ ? dt_ / (double)reps_     \
                                                 : best_;                 \
            round_++;                                                     \
        }                                                                 \
        (secs) = best_;                                                   \
    } while (0)

/* Benchmarks body k and prints one line. */
static int bench(const kernel *k, int64_t gm, int64_t gn)
{
    w2v_err err;
    int64_t stride = w2v_row_stride(D);
    float *rows = w2v_alloc_aligned(sizeof(float) * (size_t)(NS_ROWS + 2) *
                                        (size_t)stride, &err);
    float *a = w2v_alloc_aligned(sizeof(float) * (size_t)(gm * stride), &err);
    float *b = w2v_alloc_aligned(sizeof(float) * (size_t)(gn * stride), &err);
    float *c = w2v_alloc_aligned(sizeof(float) * (size_t)(gm * gn), &err);
    if (!rows || !a || !b || !c) {
        fprintf(stderr, "bench_kernel: out of memory\n");
        free(rows), free(a), free(b), free(c);
        return -1;
    }
    fill(rows, (NS_ROWS + 2) * stride, 1);
    fill(a, gm * stride, 2);
    fill(b, gn * stride, 3);
    float *x = rows + NS_ROWS * stride, *y = rows + (NS_ROWS + 1) * stride;
    float *out[NS_ROWS], grad[D] = {0};
    for (int t = 0; t < NS_ROWS; t++)
        out[t] = rows + t * stride;

    double t_dot, t_axpy, t_sig, t_ns, t_rows, t_grad, t_gemm, t_gemv;
    float acc = 0;
    TIME_PER_CALL(t_dot, acc += k->dot(x, y, D));
    TIME_PER_CALL(t_axpy, k->axpy(1e-7f, x, y, D));
    float sig_in[D], sig_out[D];
    fill(sig_in, D, 4);
    TIME_PER_CALL(t_sig, k->sigmoid(sig_in, sig_out, D));
    TIME_PER_CALL(t_ns, acc += k->ns_step(x, out, NS_ROWS, D, 0.0f, grad));
    const float coef[NS_ROWS] = {1e-7f, -1e-7f, 2e-7f, -2e-7f, 3e-7f, -3e-7f};
    const float *const *out_rows = (const float *const *)out;
    TIME_PER_CALL(t_rows, k->axpy_rows(coef, out_rows, NS_ROWS, y, stride));
    /* the scores are overwritten by gradients each call: the arithmetic
     * does not depend on the values */
    float scores[GRAD_INPUTS * NS_ROWS], grads[GRAD_INPUTS * NS_ROWS];
    fill(scores, GRAD_INPUTS * NS_ROWS, 5);
    TIME_PER_CALL(t_grad, acc += (float)k->ns_batch_grad(
                              scores, grads, GRAD_INPUTS, NS_ROWS, NULL,
                              NULL, 0.025f));
    /* gemm_nt: the fastest of a few full passes (~1.5e9 flops each) */
    t_gemm = 1e30;
    for (int pass = 0; pass < 5; pass++) {
        double t0 = w2v_now();
        k->gemm_nt(a, stride, b, stride, c, gn, gm, gn, D);
        double dt = w2v_now() - t0;
        t_gemm = dt < t_gemm ? dt : t_gemm;
    }
    /* one row against all words: the softmax scoring shape */
    TIME_PER_CALL(t_gemv, k->gemm_nt(a, stride, b, stride, c, gn, 1, gn, D));
    sink = acc + c[gm * gn - 1];

    printf("%-7s %6.1f %6.1f %8.1f %8.1f %9.1f %10.1f %8.1f %8.1f\n",
           k->name, t_dot * 1e9, t_axpy * 1e9, t_sig * 1e9, t_ns * 1e9,
           t_rows * 1e9, t_grad * 1e9,
           2.0 * (double)gm * (double)gn * D / t_gemm * 1e-9,
           2.0 * (double)gn * D / t_gemv * 1e-9);
    free(rows), free(a), free(b), free(c);
    return 0;
}

int main(int argc, char **argv)
{
    int64_t gm = argc > 1 ? atoll(argv[1]) : 256; /* queries */
    int64_t gn = argc > 2 ? atoll(argv[2]) : 30000; /* words */
    if (gm < 1 || gn < 1) {
        fprintf(stderr, "usage: bench_kernel [QUERIES [WORDS]]\n");
        return 2;
    }
    printf("d=%d; ns per call of dot, axpy, sigmoid (%d values), ns_step "
           "(%d rows), axpy_rows (%d rows x %lld), ns_batch_grad (%d x %d);"
           "\nGFLOP/s of gemm_nt %lld x %lld x %d and of gemm_nt 1 x %lld x "
           "%d (one row)\n", D, D, NS_ROWS, NS_ROWS,
           (long long)w2v_row_stride(D), GRAD_INPUTS, NS_ROWS, (long long)gm,
           (long long)gn, D, (long long)gn, D);
    printf("%-7s %6s %6s %8s %8s %9s %10s %8s %8s\n", "body", "dot", "axpy",
           "sigmoid", "ns_step", "axpy_rows", "batch_grad", "gemm", "gemv");
    int n;
    const kernel *const *all = kernel_all(&n);
    for (int i = 0; i < n; i++) {
        if (!kernel_runs_with(all[i], kernel_cpu_features())) {
            printf("%-7s skipped: this CPU lacks it\n", all[i]->name);
            continue;
        }
        if (bench(all[i], gm, gn) != 0)
            return 1;
    }
    return 0;
}
