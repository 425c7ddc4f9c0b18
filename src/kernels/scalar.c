/* scalar.c - the portable reference body of the kernel (kernel.h): plain C
 * loops in the obvious order, which every SIMD body is tested against. */
#include "kernel.h"

#include <math.h>

#include "lse.h"

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

static void scalar_gemm_nt_rows(const float *const *a, int m,
                                const float *const *b, int n, float *c,
                                int64_t ldc, int64_t d)
{
    for (int i = 0; i < m; i++)
        for (int j = 0; j < n; j++)
            c[i * ldc + j] = scalar_dot(a[i], b[j], d);
}

static void scalar_axpy_rows(const float *a, const float *const *x, int n,
                             float *y, int64_t d)
{
    for (int64_t k = 0; k < d; k++) {
        float acc = y[k];
        for (int j = 0; j < n; j++)
            acc += a[j] * x[j][k];
        y[k] = acc;
    }
}

static double scalar_ns_batch_grad(float *s, float *g_t, int m, int n,
                                   const int *label, const int *weight,
                                   float lr)
{
    double loss = 0.0;
    for (int j = 0; j < n; j++) {
        float c = weight ? (float)weight[j] : 1.0f;
        for (int i = 0; i < m; i++) {
            int positive = (label ? label[i] : 0) == j;
            float x = positive ? s[j * m + i] : -s[j * m + i], l1pe;
            /* p = sigmoid(x), the probability of the right label */
            float p = sigmoid_and_log1pexp(x, &l1pe);
            float g = lr * (1.0f - p);
            double l = (x < 0.0f ? -(double)x : 0.0) + l1pe;
            if (!positive) {
                g = -g * c;
                l *= c;
            }
            s[j * m + i] = g_t[i * n + j] = g;
            loss += l;
        }
    }
    return loss;
}

static double scalar_log_sum_exp(const float *s, int64_t n)
{
    return lse_log_sum_exp(s, n);
}

const kernel kernel_scalar = {
    .name = "scalar",
    .dot = scalar_dot,
    .axpy = scalar_axpy,
    .sigmoid = scalar_sigmoid,
    .ns_step = scalar_ns_step,
    .gemm_nt = scalar_gemm_nt,
    .gemm_nt_rows = scalar_gemm_nt_rows,
    .axpy_rows = scalar_axpy_rows,
    .ns_batch_grad = scalar_ns_batch_grad,
    .log_sum_exp = scalar_log_sum_exp,
};

double kernel_neg_log_sigmoid(double x)
{
    return (x < 0.0 ? -x : 0.0) + log1p(exp(-fabs(x)));
}

