/* test_kernel.c - every kernel body against the scalar reference, the
 * accuracy of sigmoid and of the loss against double libm, and the run-time
 * selection of bodies. */
#include "harness.h"

#include <float.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "kernel.h"

/* tails of many lengths below a register and, past the blocks of 8
 * registers, every count of whole registers (0 to 7) of the 4-, 8- and
 * 16-float bodies */
static const int64_t dims[] = {1,  2,  3,   7,   8,   15,  16,  17,  22, 31, 32,
                               40, 48, 64, 80, 100, 112, 120, 128, 300, 301};
#define N_DIMS ((int)(sizeof dims / sizeof dims[0]))
#define MAX_D 301

/* splitmix64: a small deterministic generator for test data. */
static uint64_t rng_state = 0x9e3779b97f4a7c15u;

static uint64_t rng_next(void)
{
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

/* Uniform in [-scale, scale). */
static float rng_float(float scale)
{
    return scale * (float)((double)(rng_next() >> 11) * 0x1p-52 - 1.0);
}

static void fill(float *x, int64_t n, float scale)
{
    for (int64_t i = 0; i < n; i++)
        x[i] = rng_float(scale);
}

/* What each per-ISA body needs from the CPU, for the reason of a skip. */
static const struct {
    const char *body, *needs;
} body_needs[] = {
    {"avx2", "AVX2 and FMA"},
    {"avx512", "AVX-512 F/DQ/VL/BW"},
    {"neon", "Advanced SIMD"},
};

/* The named body when it is compiled in and this CPU runs it, else NULL
 * with *why saying which of the two is missing (naming the instructions the
 * CPU lacks). */
static const kernel *runnable(const char *name, const char **why)
{
    static char lacks[64];
    int n;
    const kernel *const *all = kernel_all(&n);
    for (int i = 0; i < n; i++) {
        if (strcmp(all[i]->name, name) != 0)
            continue;
        if (kernel_runs_with(all[i], kernel_cpu_features()))
            return all[i];
        const char *needs = "its instructions";
        for (size_t b = 0; b < sizeof body_needs / sizeof body_needs[0]; b++)
            if (strcmp(body_needs[b].body, name) == 0)
                needs = body_needs[b].needs;
        snprintf(lacks, sizeof lacks, "this CPU lacks %s", needs);
        *why = lacks;
        return NULL;
    }
    *why = "not built for this architecture";
    return NULL;
}

/* |got - want| <= 1e-5 * (scale + |want|): relative to the magnitudes that
 * went into the value, not just to the value (sums may cancel). */
static int near(double got, double want, double scale)
{
    return fabs(got - want) <= 1e-5 * (scale + fabs(want));
}

static void check_dot(const kernel *k)
{
    float buf_a[MAX_D + 1], buf_b[MAX_D + 1];
    for (int off = 0; off < 2; off++) {
        for (int di = 0; di < N_DIMS; di++) {
            int64_t d = dims[di];
            float *a = buf_a + off, *b = buf_b + off;
            for (int rep = 0; rep < 4; rep++) {
                float scale = rep == 3 ? 1e15f : 1.0f;
                fill(a, d, scale);
                fill(b, d, 1.0f);
                double mag = 0;
                for (int64_t i = 0; i < d; i++)
                    mag += fabs((double)a[i] * b[i]);
                float got = k->dot(a, b, d), want = kernel_scalar.dot(a, b, d);
                CHECK_MSG(near(got, want, mag), "%s dot d=%ld off=%d: %g vs %g",
                          k->name, (long)d, off, got, want);
            }
        }
    }
}

static void check_axpy(const kernel *k)
{
    float x_buf[MAX_D + 1], y_buf[MAX_D + 1], y_ref[MAX_D];
    for (int off = 0; off < 2; off++) {
        for (int di = 0; di < N_DIMS; di++) {
            int64_t d = dims[di];
            float *x = x_buf + off, *y = y_buf + off;
            float alpha = rng_float(2.0f);
            fill(x, d, di % 2 ? 1e20f : 1.0f);
            fill(y, d, 1.0f);
            y_buf[off ? 0 : d] = 12345.0f; /* the float just outside */
            memcpy(y_ref, y, (size_t)d * sizeof *y);
            kernel_scalar.axpy(alpha, x, y_ref, d);
            k->axpy(alpha, x, y, d);
            for (int64_t i = 0; i < d; i++)
                CHECK_MSG(near(y[i], y_ref[i], fabs(alpha * x[i])),
                          "%s axpy d=%ld i=%ld: %g vs %g", k->name, (long)d,
                          (long)i, y[i], y_ref[i]);
            CHECK(y_buf[off ? 0 : d] == 12345.0f);
        }
    }
}

/* Sigmoid of x in double, the yardstick. */
static double sigmoid_d(double x)
{
    return x >= 0 ? 1.0 / (1.0 + exp(-x)) : exp(x) / (1.0 + exp(x));
}

/* Relative error of a float sigmoid value; for results below FLT_MIN (x
 * below about -87) an absolute error of one subnormal step is allowed. */
static double sigmoid_err(float got, double x)
{
    double want = sigmoid_d(x);
    if (want < FLT_MIN)
        return fabs(got - want) <= 0x1p-149 ? 0.0 : 1.0;
    return fabs(got - want) / want;
}

static void check_sigmoid(const kernel *k)
{
    float x_buf[MAX_D + 1], y_buf[MAX_D + 2];
    for (int off = 0; off < 2; off++) {
        for (int di = 0; di < N_DIMS; di++) {
            int64_t d = dims[di];
            float *x = x_buf + off, *y = y_buf + off;
            fill(x, d, di % 3 == 0 ? 120.0f : 20.0f);
            y[d] = 7.0f;
            k->sigmoid(x, y, d);
            for (int64_t i = 0; i < d; i++)
                CHECK_MSG(sigmoid_err(y[i], x[i]) <= 1e-6,
                          "%s sigmoid(%.9g) = %.9g", k->name, x[i], y[i]);
            CHECK(y[d] == 7.0f);
        }
    }
}

/* Runs ns_step of body k and of the scalar reference on copies of the same
 * rows; out_idx[t] picks one of the distinct rows, so repeated indices are a
 * noise word drawn twice. */
static void check_ns_case(const kernel *k, int64_t d, int off, int n,
                          const int *out_idx, float lr, float scale)
{
    enum { MAX_ROWS = 20 };
    static float rows_k[MAX_ROWS][MAX_D + 1], rows_s[MAX_ROWS][MAX_D + 1];
    float in_buf[MAX_D + 1], grad_k[MAX_D + 1], grad_s[MAX_D + 1];
    float *out_k[MAX_ROWS], *out_s[MAX_ROWS];
    float *in = in_buf + off;
    fill(in, d, scale);
    fill(grad_s, d, 1.0f);
    memcpy(grad_k + off, grad_s, (size_t)d * sizeof(float));
    for (int r = 0; r < MAX_ROWS; r++) {
        fill(rows_s[r], d, 1.0f);
        memcpy(rows_k[r] + off, rows_s[r], (size_t)d * sizeof(float));
    }
    for (int t = 0; t < n; t++) {
        out_k[t] = rows_k[out_idx[t]] + off;
        out_s[t] = rows_s[out_idx[t]];
    }
    float lk = k->ns_step(in, out_k, n, d, lr, grad_k + off);
    float ls = kernel_scalar.ns_step(in, out_s, n, d, lr, grad_s);
    double mag = n * (double)scale * d; /* bound on every |s| */
    CHECK_MSG(isfinite(lk) && near(lk, ls, mag), "%s ns_step d=%ld n=%d "
              "loss %.9g vs %.9g", k->name, (long)d, n, lk, ls);
    /* updated entries are sums of products of magnitude <= ~n lr scale */
    double upd = 1.0 + n * fabs(lr) * scale;
    int bad = 0;
    for (int r = 0; r < MAX_ROWS; r++)
        for (int64_t i = 0; i < d; i++)
            bad += !near(rows_k[r][off + i], rows_s[r][i], upd);
    for (int64_t i = 0; i < d; i++)
        bad += !near(grad_k[off + i], grad_s[i], upd);
    CHECK_MSG(bad == 0, "%s ns_step d=%ld off=%d n=%d: %d entries differ",
              k->name, (long)d, off, n, bad);
}

static void check_ns_step(const kernel *k)
{
    static const int plain[] = {0, 1, 2, 3, 4, 5};
    static const int dup[] = {0, 1, 2, 3, 2, 5};     /* noise drawn twice */
    static const int dup_next[] = {0, 1, 1, 1, 4};   /* back to back */
    static const int dup_target[] = {3, 1, 3, 2};    /* target as noise */
    static const int many[] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10,
                               11, 12, 13, 14, 15, 16, 17, 18, 19};
    static const int many_dup[] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10,
                                   11, 12, 13, 14, 15, 16, 17, 18, 3};
    for (int off = 0; off < 2; off++) {
        for (int di = 0; di < N_DIMS; di++) {
            int64_t d = dims[di];
            check_ns_case(k, d, off, 6, plain, 0.025f, 1.0f);
            check_ns_case(k, d, off, 1, plain, 0.025f, 1.0f);
            /* a large rate makes the second use of a repeated row see a
             * very different dot product: a body that took all dots first
             * would fail here */
            check_ns_case(k, d, off, 6, dup, 0.5f, 1.0f);
            check_ns_case(k, d, off, 5, dup_next, 0.5f, 1.0f);
            check_ns_case(k, d, off, 4, dup_target, 0.5f, 1.0f);
            check_ns_case(k, d, off, 20, many, 0.025f, 1.0f);
            check_ns_case(k, d, off, 20, many_dup, 0.5f, 1.0f);
            /* saturated scores: huge inputs, loss stays finite */
            check_ns_case(k, d, off, 6, plain, 0.025f, 1e6f);
        }
    }
}

static void check_gemm_case(const kernel *k, int64_t m, int64_t n, int64_t d,
                            int off)
{
    int64_t lda = d + 3, ldb = d + 5, ldc = n + 2;
    float *a = malloc(sizeof(float) * (size_t)(m * lda + 1));
    float *b = malloc(sizeof(float) * (size_t)(n * ldb + 1));
    float *c = malloc(sizeof(float) * (size_t)(m * ldc + 1));
    float *c_ref = malloc(sizeof(float) * (size_t)(m * ldc));
    REQUIRE(a && b && c && c_ref);
    fill(a, m * lda + 1, 1.0f);
    fill(b, n * ldb + 1, 1.0f);
    for (int64_t i = 0; i < m * ldc; i++)
        c[off + i] = c_ref[i] = -99.0f; /* the gaps between rows stay */
    kernel_scalar.gemm_nt(a + off, lda, b + off, ldb, c_ref, ldc, m, n, d);
    k->gemm_nt(a + off, lda, b + off, ldb, c + off, ldc, m, n, d);
    int bad = 0;
    for (int64_t i = 0; i < m * ldc; i++)
        bad += !near(c[off + i], c_ref[i], (double)d);
    CHECK_MSG(bad == 0, "%s gemm_nt m=%ld n=%ld d=%ld: %d entries differ",
              k->name, (long)m, (long)n, (long)d, bad);
    free(a), free(b), free(c), free(c_ref);
}

/* gemm_nt_rows of rows picked out of a and b in a scattered order (a row
 * may repeat), against gemm_nt of the same rows gathered by the scalar
 * body. */
static void check_gemm_rows_case(const kernel *k, int m, int n, int64_t d,
                                 int off)
{
    enum { SRC = 16 };
    int64_t ld = d + 3;
    float *a = malloc(sizeof(float) * (size_t)(SRC * ld + 1));
    float *b = malloc(sizeof(float) * (size_t)(SRC * ld + 1));
    float *ga = malloc(sizeof(float) * (size_t)(m * d + 1));
    float *gb = malloc(sizeof(float) * (size_t)(n * d + 1));
    float *c = malloc(sizeof(float) * (size_t)(m * (n + 1)));
    float *c_ref = malloc(sizeof(float) * (size_t)(m * (n + 1)));
    const float *ar[16], *br[16];
    REQUIRE(a && b && ga && gb && c && c_ref && m <= 16 && n <= 16);
    fill(a, SRC * ld + 1, 1.0f);
    fill(b, SRC * ld + 1, 1.0f);
    for (int i = 0; i < m; i++) {
        ar[i] = a + off + (7 * i + 3) % SRC * ld;
        memcpy(ga + i * d, ar[i], sizeof(float) * (size_t)d);
    }
    for (int j = 0; j < n; j++) {
        br[j] = b + off + (5 * j + 1) % SRC * ld;
        memcpy(gb + j * d, br[j], sizeof(float) * (size_t)d);
    }
    for (int i = 0; i < m * (n + 1); i++)
        c[i] = c_ref[i] = -99.0f; /* the column past n stays */
    kernel_scalar.gemm_nt(ga, d, gb, d, c_ref, n + 1, m, n, d);
    k->gemm_nt_rows(ar, m, br, n, c, n + 1, d);
    int bad = 0;
    for (int i = 0; i < m * (n + 1); i++)
        bad += !near(c[i], c_ref[i], (double)d);
    CHECK_MSG(bad == 0, "%s gemm_nt_rows m=%d n=%d d=%ld: %d entries differ",
              k->name, m, n, (long)d, bad);
    free(a), free(b), free(ga), free(gb), free(c), free(c_ref);
}

static void check_gemm(const kernel *k)
{
    static const int64_t mn[] = {1, 2, 3, 4, 5, 7, 9, 13};
    for (int off = 0; off < 2; off++)
        for (int di = 0; di < N_DIMS; di++)
            for (int i = 0; i < 8; i++)
                check_gemm_case(k, mn[i], mn[(i * 3 + di) % 8], dims[di],
                                off);
    for (int off = 0; off < 2; off++)
        for (int di = 0; di < N_DIMS; di++)
            for (int i = 0; i < 8; i++)
                check_gemm_rows_case(k, (int)mn[i], (int)mn[(i * 5 + di) % 8],
                                     dims[di], off);
    /* several B panels, odd sizes; one row (softmax scoring) */
    check_gemm_case(k, 11, 1337, 100, 1);
    check_gemm_case(k, 1, 1337, 100, 0);
    check_gemm_case(k, 1, 5, 3, 1);
    check_gemm_case(k, 6, 301, 301, 0);
}

/* Max relative error of k->sigmoid over [-30, 30] in steps of 1e-4 (every
 * result is a normal float there), against double. */
static double sigmoid_max_err(const kernel *k)
{
    enum { N = 600001 };
    float *x = malloc(N * sizeof *x), *y = malloc(N * sizeof *y);
    REQUIRE(x && y);
    for (int i = 0; i < N; i++)
        x[i] = (float)(-30.0 + i * 1e-4);
    k->sigmoid(x, y, N);
    double worst = 0;
    for (int i = 0; i < N; i++) {
        double e = fabs(y[i] - sigmoid_d(x[i])) / sigmoid_d(x[i]);
        worst = e > worst ? e : worst;
    }
    free(x), free(y);
    return worst;
}

/* The max error of sigmoid is stated in simd.h; this keeps it true. */
static void check_sigmoid_accuracy(const kernel *k)
{
    double worst = sigmoid_max_err(k);
    CHECK_MSG(worst <= 3e-7, "%s sigmoid max relative error %.3g over "
              "[-30, 30]", k->name, worst);
    /* saturation: exact 0 and 1, never NaN */
    float x[6] = {1e30f, -1e30f, INFINITY, -INFINITY, 1e4f, -1e4f}, y[6];
    k->sigmoid(x, y, 6);
    CHECK(y[0] == 1.0f && y[2] == 1.0f && y[4] == 1.0f);
    CHECK(y[1] == 0.0f && y[3] == 0.0f && y[5] == 0.0f);
    /* far tail: subnormal results, correctly rounded to a step */
    for (float v = -80.0f; v > -110.0f; v -= 0.37f) {
        k->sigmoid(&v, y, 1);
        CHECK_MSG(sigmoid_err(y[0], v) <= 1e-6, "%s sigmoid(%g) = %g",
                  k->name, v, y[0]);
    }
}

/* The loss of one target row with score s is -log sigmoid(s): taking d = 1
 * and the row {1} makes the score exactly s. */
static void check_loss_accuracy(const kernel *k)
{
    double worst = 0, worst_part = 0;
    for (int i = -300000; i <= 300000; i += 7) {
        float s = (float)(i * 1e-4), one = 1.0f, grad = 0.0f;
        float *row = &one;
        float l = k->ns_step(&s, &row, 1, 1, 0.0f, &grad);
        double want = kernel_neg_log_sigmoid(s);
        /* float rounding of the result itself, then 1e-6 absolute */
        double e = fabs(l - want) - want * FLT_EPSILON;
        worst = e > worst ? e : worst;
        /* for s >= 0 the loss is just the log(1 + exp(-|s|)) part */
        if (s >= 0 && fabs(l - want) > worst_part)
            worst_part = fabs(l - want);
    }
    CHECK_MSG(worst <= 1e-6, "%s loss error %.3g beyond 1e-6 absolute",
              k->name, worst);
    CHECK_MSG(worst_part <= 2e-7, "%s log1p part error %.3g", k->name,
              worst_part);
    /* huge scores: the loss is |s| or 0, never Inf/NaN for finite s */
    float in[2] = {1e30f, -1e30f}, one[2] = {1.0f, 1.0f}, grad = 0.0f;
    float *rows[2] = {&one[0], &one[1]};
    CHECK(k->ns_step(&in[0], rows, 1, 1, 0.0f, &grad) == 0.0f);
    CHECK(k->ns_step(&in[1], rows, 1, 1, 0.0f, &grad) == 1e30f);
    CHECK(k->ns_step(&in[1], rows, 2, 1, 0.0f, &grad) == 1e30f);
}

/* y += X^T a for n rows, every d, unaligned x and y, rows further apart than
 * d (a padded stride) and given in reverse order, against the scalar body. */
static void check_axpy_rows(const kernel *k)
{
    enum { ROWS = 9 };
    static float x_buf[ROWS * (MAX_D + 8) + 1];
    float y_buf[MAX_D + 2], y_ref[MAX_D + 1], a[ROWS];
    const float *rows[ROWS];
    for (int off = 0; off < 2; off++)
        for (int di = 0; di < N_DIMS; di++) {
            int64_t d = dims[di], ldx = d + 5;
            int n = 1 + di % ROWS;
            float *x = x_buf + off, *y = y_buf + off;
            fill(a, n, 1.0f);
            fill(x, n * ldx, di % 3 ? 1.0f : 1e10f);
            fill(y, d, 1.0f);
            y[d] = 12345.0f; /* the float just past y */
            memcpy(y_ref, y, (size_t)d * sizeof *y);
            for (int j = 0; j < n; j++)
                rows[j] = x + (n - 1 - j) * ldx;
            kernel_scalar.axpy_rows(a, rows, n, y_ref, d);
            k->axpy_rows(a, rows, n, y, d);
            for (int64_t i = 0; i < d; i++) {
                double mag = fabs(y_ref[i]);
                for (int j = 0; j < n; j++)
                    mag += fabs((double)a[j] * rows[j][i]);
                CHECK_MSG(near(y[i], y_ref[i], mag),
                          "%s axpy_rows d=%ld n=%d i=%ld: %g vs %g", k->name,
                          (long)d, n, (long)i, y[i], y_ref[i]);
            }
            CHECK(y[d] == 12345.0f);
        }
    /* scalar reference against the definition */
    float one_a[2] = {2.0f, -1.0f}, one_x[6] = {1, 2, 9, 3, 4, 9}, one_y[2] = {1, 1};
    const float *one_rows[2] = {one_x, one_x + 3};
    kernel_scalar.axpy_rows(one_a, one_rows, 2, one_y, 2);
    CHECK(one_y[0] == 1 + 2 * 1 - 3 && one_y[1] == 1 + 2 * 2 - 4);
}

/* One ns_batch_grad case of m inputs and n outputs against the double
 * definition: scores uniform in [-scale, scale), each input's label drawn
 * (or NULL: output 0), each output's count drawn from 1..3 (or NULL: 1).
 * The arrays are exactly as long as the contract says, plus one float
 * past each that must stay. */
static void check_batch_grad_case(const kernel *k, int m, int n, float scale,
                                  int labelled, int counted)
{
    const float lr = 0.3f;
    float *s = malloc(sizeof(float) * (size_t)(m * n + 1));
    float *g_t = malloc(sizeof(float) * (size_t)(m * n + 1));
    float *s0 = malloc(sizeof(float) * (size_t)(m * n));
    int *label = malloc(sizeof(int) * (size_t)m);
    int *weight = malloc(sizeof(int) * (size_t)n);
    REQUIRE(s && g_t && s0 && label && weight);
    fill(s0, m * n, scale);
    memcpy(s, s0, sizeof(float) * (size_t)(m * n));
    s[m * n] = g_t[m * n] = 777.0f;
    for (int i = 0; i < m; i++)
        label[i] = labelled ? (int)(rng_next() % (uint64_t)n) : 0;
    for (int j = 0; j < n; j++)
        weight[j] = counted ? 1 + (int)(rng_next() % 3) : 1;
    double loss = k->ns_batch_grad(s, g_t, m, n, labelled ? label : NULL,
                                   counted ? weight : NULL, lr);
    double loss_ref = 0.0, terms = 0.0;
    int bad = 0, mismatched = 0;
    for (int j = 0; j < n; j++)
        for (int i = 0; i < m; i++) {
            double x = s0[j * m + i];
            int positive = label[i] == j;
            double c = positive ? 1.0 : weight[j];
            double g = c * lr * ((positive ? 1.0 : 0.0) - sigmoid_d(x));
            loss_ref += c * kernel_neg_log_sigmoid(positive ? x : -x);
            terms += c;
            bad += !(fabs(s[j * m + i] - g) <= 1e-6 * c * lr);
            mismatched += s[j * m + i] != g_t[i * n + j];
        }
    CHECK_MSG(bad == 0 && mismatched == 0, "%s ns_batch_grad m=%d n=%d "
              "scale %g: %d gradients off, %d differ from g_t", k->name, m,
              n, scale, bad, mismatched);
    CHECK_MSG(fabs(loss - loss_ref) <= 1e-6 * (terms + loss_ref),
              "%s ns_batch_grad m=%d n=%d scale %g: loss %.9g vs %.9g",
              k->name, m, n, scale, loss, loss_ref);
    CHECK(s[m * n] == 777.0f && g_t[m * n] == 777.0f);
    free(s), free(g_t), free(s0), free(label), free(weight);
}

/* Every tail length of every body's width (m = 1..17), then several
 * registers and a tail, labels and counts or not, from mild to saturated
 * scores (the loss then is |s| per wrong term). */
static void check_ns_batch_grad(const kernel *k)
{
    static const int more[] = {31, 33, 80};
    static const int ns[] = {1, 2, 6, 13};
    static const float scales[] = {1.0f, 12.0f, 1e3f};
    for (int a = 0; a < 17 + 3; a++)
        for (int b = 0; b < 4; b++)
            for (int c = 0; c < 3; c++)
                for (int flags = 0; flags < 4; flags++)
                    check_batch_grad_case(k, a < 17 ? a + 1 : more[a - 17],
                                          ns[b], scales[c], flags & 1,
                                          flags >> 1);
}

/* Each test runs on one body, or is skipped when the body is not built in or
 * this CPU lacks its instructions, saying which. */
#define BODY_TEST(body, what)                                             \
    TEST(kernel_##what##_##body)                                          \
    {                                                                     \
        const char *why = "";                                             \
        const kernel *k = runnable(#body, &why);                          \
        if (!k)                                                           \
            SKIP("%s", why);                                              \
        check_##what(k);                                                  \
    }
#define BODY_TESTS(body)                                                  \
    BODY_TEST(body, dot)                                                  \
    BODY_TEST(body, axpy)                                                 \
    BODY_TEST(body, axpy_rows)                                            \
    BODY_TEST(body, ns_batch_grad)                                        \
    BODY_TEST(body, sigmoid)                                              \
    BODY_TEST(body, ns_step)                                              \
    BODY_TEST(body, gemm)                                                 \
    BODY_TEST(body, sigmoid_accuracy)                                     \
    BODY_TEST(body, loss_accuracy)

BODY_TESTS(scalar)
BODY_TESTS(avx2)
BODY_TESTS(avx512)
BODY_TESTS(neon)

TEST(kernel_get_rejects_unknown_names)
{
    w2v_err err = {{0}};
    CHECK(kernel_get("bogus", &err) == NULL);
    CHECK(strstr(err.msg, "bogus") != NULL);
    CHECK(kernel_get("", &err) != NULL); /* empty means auto */
}

TEST(kernel_get_names_and_auto)
{
    w2v_err err = {{0}};
    const kernel *best = kernel_get("auto", &err);
    CHECK(best != NULL && kernel_runs_with(best, kernel_cpu_features()));
    /* auto is the last compiled-in body this CPU runs */
    int n;
    const kernel *const *all = kernel_all(&n);
    CHECK(n >= 1 && all[0] == &kernel_scalar);
    for (int i = n - 1; i >= 0; i--)
        if (kernel_runs_with(all[i], kernel_cpu_features())) {
            CHECK(best == all[i]);
            break;
        }
    for (int i = 0; i < n; i++)
        if (kernel_runs_with(all[i], kernel_cpu_features()))
            CHECK(kernel_get(all[i]->name, &err) == all[i]);
}

TEST(kernel_forcing_unsupported_body_fails)
{
    w2v_err err = {{0}};
    /* pretend to be a CPU without any vector extension */
    CHECK(kernel_select("auto", 0, &err) == &kernel_scalar);
    CHECK(kernel_select("scalar", 0, &err) == &kernel_scalar);
    CHECK(kernel_select("avx2", 0, &err) == NULL);
    CHECK(strstr(err.msg, "avx2") != NULL);
    err.msg[0] = 0;
    CHECK(kernel_select("avx512", KERNEL_CPU_AVX2, &err) == NULL);
    CHECK(strstr(err.msg, "avx512") != NULL);
    err.msg[0] = 0;
    CHECK(kernel_select("neon", 0, &err) == NULL);
    CHECK(strstr(err.msg, "neon") != NULL);
#if defined(__x86_64__)
    CHECK(kernel_select("auto", KERNEL_CPU_AVX2, &err) == &kernel_avx2);
    CHECK(kernel_select("auto", KERNEL_CPU_AVX2 | KERNEL_CPU_AVX512, &err) ==
          &kernel_avx512);
#elif defined(__aarch64__)
    CHECK(kernel_select("auto", KERNEL_CPU_NEON, &err) == &kernel_neon);
#endif
    /* and on the real CPU: a body it cannot run is refused by name */
    int n;
    const kernel *const *all = kernel_all(&n);
    for (int i = 0; i < n; i++)
        if (!kernel_runs_with(all[i], kernel_cpu_features()))
            CHECK(kernel_get(all[i]->name, &err) == NULL);
}

TEST(kernel_env_variable_is_honoured)
{
    const char *saved = getenv("W2V_KERNEL");
    char *copy = saved ? strdup(saved) : NULL;
    REQUIRE(!saved || copy);
    w2v_err err = {{0}};
    setenv("W2V_KERNEL", "scalar", 1);
    CHECK(cli_kernel(NULL, &err) == &kernel_scalar);
    CHECK(cli_kernel("auto", &err) == kernel_select("auto",
                                                   kernel_cpu_features(),
                                                   &err));
    setenv("W2V_KERNEL", "nonsense", 1);
    CHECK(cli_kernel(NULL, &err) == NULL);
    CHECK(strstr(err.msg, "nonsense") != NULL);
    if (copy)
        setenv("W2V_KERNEL", copy, 1);
    else
        unsetenv("W2V_KERNEL");
    free(copy);
}
