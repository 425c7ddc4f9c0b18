/* kernel.h - the numeric kernel: everything training and queries spend their
 * time in, behind one table of function pointers.
 *
 * Bodies: "scalar" (portable C, the reference every other body is tested
 * against) and per-ISA bodies compiled in their own files with their own -m
 * flags.  kernel_get() picks one at run time.  All vectors are float arrays of
 * length d; no alignment is required, rows from the model are 64-byte aligned
 * and padded, which the fast bodies may exploit only through unaligned loads. */
#ifndef W2V_KERNEL_H
#define W2V_KERNEL_H

#include <stdint.h>

#include "w2v.h"

typedef struct kernel {
    const char *name;

    /* Returns sum_i a[i] * b[i], i < d. */
    float (*dot)(const float *a, const float *b, int64_t d);

    /* y[i] += alpha * x[i], i < d. */
    void (*axpy)(float alpha, const float *x, float *y, int64_t d);

    /* y[i] = 1 / (1 + exp(-x[i])), i < n; exact to ~1 ulp-level float error,
     * saturating cleanly (no NaN) for huge |x|. */
    void (*sigmoid)(const float *x, float *y, int64_t n);

    /* One negative-sampling update of input row `in` (length d) against n
     * output rows out[0..n-1]; out[0] is the observed target (label 1), the
     * others are noise words (label 0).  For each t in order:
     *     s = in . out[t];  g = lr * (label_t - sigmoid(s));
     *     grad += g * out[t];  out[t] += g * in;
     * `in` itself is not modified (the caller adds grad when it chooses).
     * Returns the loss sum_t -log sigmoid(+-s) (natural log) of this step,
     * evaluated before the update. */
    float (*ns_step)(const float *in, float *const *out, int n, int64_t d,
                     float lr, float *grad);

    /* c[i * ldc + j] = a_i . b_j for i < m, j < n, where row a_i starts at
     * a + i * lda and row b_j at b + j * ldb (each d floats): C = A B^T.
     * The building block of batched scoring (queries, softmax, batching). */
    void (*gemm_nt)(const float *a, int64_t lda, const float *b, int64_t ldb,
                    float *c, int64_t ldc, int64_t m, int64_t n, int64_t d);

    /* c[i * ldc + j] = a[i] . b[j] for i < m, j < n (each row d floats):
     * gemm_nt with rows given by address, so the batched step scores the
     * model's rows where they are instead of gathering copies. */
    void (*gemm_nt_rows)(const float *const *a, int m, const float *const *b,
                         int n, float *c, int64_t ldc, int64_t d);

    /* y[k] += sum_j a[j] * x[j][k] for k < d, j < n (in that order for
     * each k): y += X^T a, the n rows x[j] weighted by a, in one pass over
     * y.  y must overlap no x[j].  The update of the batched step. */
    void (*axpy_rows)(const float *a, const float *const *x, int n, float *y,
                      int64_t d);

    /* The gradients of a batched negative-sampling step (batch.h) from its
     * scores: on entry s[j * m + i] = in_i . out_j for j < n outputs and
     * i < m inputs.  Input i predicts output label[i] (label 1) against
     * every other output (label 0), a noise output j counting weight[j]
     * times (label NULL: every label is output 0; weight NULL: every count
     * is 1).  Replaces each s[j * m + i] by g = c lr (l - sigmoid(s)), l
     * its label and c its count (1 for the label's own output), and writes
     * the same g to g_t[i * n + j].  Returns the step's loss: the sum over
     * (i, j) of c (-log sigmoid(s)) for the label, c (-log sigmoid(-s))
     * for noise, in double. */
    double (*ns_batch_grad)(float *s, float *g_t, int m, int n,
                            const int *label, const int *weight, float lr);

    /* log sum_j exp(s[j]) for j < n (n >= 1), in double: the largest s[j]
     * is subtracted first and every exp is within a few ulp (a term under
     * e^-708 times the largest counts as e^-708 of it).  The normalizer of
     * the exact softmax (eval loglik).  One C body (src/kernels/lse.h),
     * vectorized at each body's width. */
    double (*log_sum_exp)(const float *s, int64_t n);
} kernel;

/* The portable reference body (always available). */
extern const kernel kernel_scalar;

/* Per-ISA bodies, each defined only in builds for its architecture
 * (x86_64: avx2, avx512; aarch64: neon).  Same semantics as kernel_scalar up
 * to float rounding (other summation order, fused multiply-adds); their
 * sigmoid is within 1.75e-7 relative of the exact value and the softplus
 * part of the loss within 6.7e-8 absolute (src/kernels/simd.h).  ns_step
 * requires two out rows to be either the same pointer (a noise word drawn
 * twice: handled exactly) or non-overlapping, and `in` and grad to overlap
 * no out row and not each other, as in training. */
#if defined(__x86_64__)
extern const kernel kernel_avx2;   /* AVX2 + FMA, 8 floats per register */
extern const kernel kernel_avx512; /* AVX-512 F/DQ/VL/BW, 16 per register */
#elif defined(__aarch64__)
extern const kernel kernel_neon;   /* Advanced SIMD, 4 floats per register */
#endif

/* CPU features that select a body (bit flags). */
enum {
    KERNEL_CPU_AVX2 = 1,   /* AVX2 and FMA, usable by the OS */
    KERNEL_CPU_AVX512 = 2, /* AVX-512 F, DQ, VL and BW, usable by the OS */
    KERNEL_CPU_NEON = 4,   /* Advanced SIMD: every AArch64 CPU */
};

/* The features of the running CPU (0 on architectures without a body). */
unsigned kernel_cpu_features(void);

/* Every body compiled into this binary, best last; *n gets the count.
 * The first is always &kernel_scalar. */
const kernel *const *kernel_all(int *n);

/* 1 when body k can run with the given features (kernel_cpu_features() for
 * this CPU), else 0. */
int kernel_runs_with(const kernel *k, unsigned features);

/* kernel_get() with the CPU features given instead of detected: the same
 * names, the same errors.  Lets tests pretend to be a smaller CPU. */
const kernel *kernel_select(const char *name, unsigned features,
                            w2v_err *err);

/* Picks a body by name: "auto" (best the CPU supports), "scalar", "avx2",
 * "avx512", "neon"; NULL or "" mean "auto".  Fails with a message when the
 * name is unknown or the CPU (or this build) lacks the instructions. */
const kernel *kernel_get(const char *name, w2v_err *err);

/* Numerically stable -log(sigmoid(x)) = log(1 + exp(-x)) in double. */
double kernel_neg_log_sigmoid(double x);

#endif
