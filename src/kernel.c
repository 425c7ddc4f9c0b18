/* kernel.c - the scalar reference kernel and the run-time body selection. */
#include "kernel.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static float scalar_dot(const float *a, const float *b, int64_t d)
{
    float s = 0.0f;
    for (int64_t i = 0; i < d; i++)
        s += a[i] * b[i];
    return s;
}

static void scalar_axpy(float alpha, const float *x, float *y, int64_t d)
{
    for (int64_t i = 0; i < d; i++)
        y[i] += alpha * x[i];
}

/* sigmoid(x) and log(1 + exp(-|x|)) from one exp. */
static inline float sigmoid_and_log1pexp(float x, float *l1pe)
{
    float e = expf(-fabsf(x));
    *l1pe = log1pf(e);
    return x >= 0.0f ? 1.0f / (1.0f + e) : e / (1.0f + e);
}

static void scalar_sigmoid(const float *x, float *y, int64_t n)
{
    float unused;
    for (int64_t i = 0; i < n; i++)
        y[i] = sigmoid_and_log1pexp(x[i], &unused);
}

static float scalar_ns_step(const float *in, float *const *out, int n,
                            int64_t d, float lr, float *grad)
{
    float loss = 0.0f;
    for (int t = 0; t < n; t++) {
        float *row = out[t];
        float s = scalar_dot(in, row, d), l1pe;
        float sig = sigmoid_and_log1pexp(s, &l1pe);
        float label = t == 0 ? 1.0f : 0.0f;
        /* -log sigmoid(s) for the target, -log sigmoid(-s) for noise */
        float z = t == 0 ? -s : s;
        loss += (z > 0.0f ? z : 0.0f) + l1pe;
        float g = lr * (label - sig);
        scalar_axpy(g, row, grad, d);
        scalar_axpy(g, in, row, d);
    }
    return loss;
}

static void scalar_gemm_nt(const float *a, int64_t lda, const float *b,
                           int64_t ldb, float *c, int64_t ldc, int64_t m,
                           int64_t n, int64_t d)
{
    for (int64_t i = 0; i < m; i++)
        for (int64_t j = 0; j < n; j++)
            c[i * ldc + j] = scalar_dot(a + i * lda, b + j * ldb, d);
}

static void scalar_axpy_rows(const float *a, const float *x, int64_t ldx,
                             int n, float *y, int64_t d)
{
    for (int64_t k = 0; k < d; k++) {
        float acc = y[k];
        for (int j = 0; j < n; j++)
            acc += a[j] * x[j * ldx + k];
        y[k] = acc;
    }
}

const kernel kernel_scalar = {
    .name = "scalar",
    .dot = scalar_dot,
    .axpy = scalar_axpy,
    .sigmoid = scalar_sigmoid,
    .ns_step = scalar_ns_step,
    .gemm_nt = scalar_gemm_nt,
    .axpy_rows = scalar_axpy_rows,
};

double kernel_neg_log_sigmoid(double x)
{
    return (x < 0.0 ? -x : 0.0) + log1p(exp(-fabs(x)));
}

/* Bodies compiled in, best last, and the features each needs. */
#if defined(__x86_64__)
static const kernel *const bodies[] = {&kernel_scalar, &kernel_avx2,
                                       &kernel_avx512};
static const unsigned needs[] = {0, KERNEL_CPU_AVX2, KERNEL_CPU_AVX512};
#elif defined(__aarch64__)
static const kernel *const bodies[] = {&kernel_scalar, &kernel_neon};
static const unsigned needs[] = {0, KERNEL_CPU_NEON};
#else
static const kernel *const bodies[] = {&kernel_scalar};
static const unsigned needs[] = {0};
#endif
#define N_BODIES ((int)(sizeof bodies / sizeof bodies[0]))

unsigned kernel_cpu_features(void)
{
    unsigned f = 0;
#if defined(__x86_64__)
    /* __builtin_cpu_supports also checks that the OS saves the registers.
     * The AVX-512 file is compiled with -mavx512f/dq/vl/bw, so the compiler
     * may use any of them there: all four are required. */
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))
        f |= KERNEL_CPU_AVX2;
    if ((f & KERNEL_CPU_AVX2) && __builtin_cpu_supports("avx512f") &&
        __builtin_cpu_supports("avx512dq") &&
        __builtin_cpu_supports("avx512vl") &&
        __builtin_cpu_supports("avx512bw"))
        f |= KERNEL_CPU_AVX512;
#elif defined(__aarch64__)
    f |= KERNEL_CPU_NEON;
#endif
    return f;
}

const kernel *const *kernel_all(int *n)
{
    *n = N_BODIES;
    return bodies;
}

int kernel_runs_with(const kernel *k, unsigned features)
{
    for (int i = 0; i < N_BODIES; i++)
        if (bodies[i] == k)
            return (needs[i] & ~features) == 0;
    return 0;
}

const kernel *kernel_select(const char *name, unsigned features,
                            w2v_err *err)
{
    if (!name)
        name = getenv("W2V_KERNEL");
    if (!name || !*name || strcmp(name, "auto") == 0) {
        for (int i = N_BODIES - 1; i > 0; i--)
            if ((needs[i] & ~features) == 0)
                return bodies[i];
        return &kernel_scalar;
    }
    for (int i = 0; i < N_BODIES; i++) {
        if (strcmp(name, bodies[i]->name) != 0)
            continue;
        if ((needs[i] & ~features) != 0) {
            w2v_fail(err, "kernel '%s' needs %s, which this CPU lacks "
                     "(auto picks the best it has)", name,
                     needs[i] == KERNEL_CPU_AVX2     ? "AVX2 and FMA"
                     : needs[i] == KERNEL_CPU_AVX512 ? "AVX-512 F, DQ, VL and BW"
                                                     : "Advanced SIMD");
            return NULL;
        }
        return bodies[i];
    }
    if (strcmp(name, "avx2") == 0 || strcmp(name, "avx512") == 0 ||
        strcmp(name, "neon") == 0) {
        w2v_fail(err, "kernel '%s' is not built into this binary "
                 "(it is for %s only)", name,
                 name[0] == 'n' ? "AArch64" : "x86-64");
        return NULL;
    }
    w2v_fail(err, "unknown kernel '%s' (expected auto, scalar, avx2, avx512 "
             "or neon)", name);
    return NULL;
}

const kernel *kernel_get(const char *name, w2v_err *err)
{
    return kernel_select(name, kernel_cpu_features(), err);
}
