/* simd.h - constants and small helpers shared by the SIMD kernel
 * bodies (kernel_avx2.c, kernel_avx512.c, kernel_neon.c); private to them.
 *
 * exp(-|x|), the core of sigmoid and of the loss, in every body:
 *   |x| is clamped to SM_EXP_CLAMP (exp(-104) ~ 6.8e-46 rounds to 0 in
 *   float, so this changes no result), n = round(-|x| log2 e), and
 *   r = -|x| - n ln2 in two steps (Cody-Waite: ln2 = SM_LN2_HI + SM_LN2_LO,
 *   the high part with few bits so n * SM_LN2_HI is exact), |r| <= ln2/2.
 *   exp(r) is the degree-7 Taylor polynomial (truncation error below
 *   r^8/8! <= 5.2e-9 relative), then scaled by 2^n.
 * log(1 + e) for e = exp(-|x|) in [0, 1] (the softplus part of the loss):
 *   1 + e = 2^k m with m in [sqrt2/2, sqrt2], log m = 2 atanh(s) with
 *   s = (m - 1)/(m + 1), |s| <= 3 - 2 sqrt2 ~ 0.172, by the odd series up to
 *   s^9 (truncation below 2 s^11/11 ~ 7e-10).
 * Measured against double libm (tests/unit/test_kernel.c asserts a margin
 * above these; the scalar reference with expf/log1pf measures the same):
 *   sigmoid: max relative error 1.75e-7 (~1.5 ulp) over [-87, 87], i.e. for
 *   every normal result; below that, subnormal results within one step;
 *   exactly 0 / 1 for huge or infinite |x|.  Asserted: 3e-7 over [-30, 30].
 *   log(1 + exp(-|s|)) part of the loss: max absolute error 6.7e-8 over all
 *   s; the loss max(z, 0) + that part adds only the float rounding of the
 *   sum.  Asserted: 2e-7 for the part, 1e-6 + rounding for the loss. */
#ifndef W2V_KERNEL_SIMD_H
#define W2V_KERNEL_SIMD_H

#include <stdint.h>

#define SM_EXP_CLAMP 104.0f
#define SM_LOG2E 1.44269504088896341f
#define SM_LN2 0.693147180559945309f
#define SM_LN2_HI 0.693145751953125f /* 0x3f317200: 16 significant bits */
#define SM_LN2_LO 1.42860682030941723e-6f
/* Taylor coefficients 1/k! of exp */
#define SM_C2 (1.0f / 2)
#define SM_C3 (1.0f / 6)
#define SM_C4 (1.0f / 24)
#define SM_C5 (1.0f / 120)
#define SM_C6 (1.0f / 720)
#define SM_C7 (1.0f / 5040)
/* 2/(2j+1) of log m = 2 atanh(s) = sum_j 2 s^(2j+1) / (2j+1) */
#define SM_A3 (2.0f / 3)
#define SM_A5 (2.0f / 5)
#define SM_A7 (2.0f / 7)
#define SM_A9 (2.0f / 9)
#define SM_SQRT2_M1 0.414213562373095049f

/* Length of the run of rows starting at out[t0] (at most max, at least 1)
 * in which no pointer repeats, so that all their dot products may be taken
 * before any of them is updated. */
static inline int sm_distinct_run(float *const *out, int t0, int n, int max)
{
    int len = 1;
    for (; len < max && t0 + len < n; len++)
        for (int j = 0; j < len; j++)
            if (out[t0 + len] == out[t0 + j])
                return len;
    return len;
}

/* Rows of B per gemm_nt panel: about 128 KiB of B, a multiple of 4, >= 4. */
static inline int64_t sm_gemm_panel_rows(int64_t d)
{
    int64_t rows = (32768 / (d > 0 ? d : 1)) & ~(int64_t)3;
    return rows < 4 ? 4 : rows;
}

/* A body's register tile: C[0..mr)[0..nr) = A B^T for mr <= its strip
 * height rows of A and nr <= 4 rows of B. */
typedef void (*sm_gemm_tile)(const float *a, int64_t lda, int mr,
                             const float *b, int64_t ldb, int nr, float *c,
                             int64_t ldc, int64_t d);
/* A body's one-row case: c[j] = a . b_j for j < n. */
typedef void (*sm_gemv)(const float *a, const float *b, int64_t ldb, float *c,
                        int64_t n, int64_t d);

/* The gemm_nt driver of every SIMD body (C = A B^T, kernel.h contract).  B
 * is walked in panels of about 128 KiB (kept in L2) and each strip of
 * `strip` rows of A (in L1) meets every 4-row group of the panel through
 * `tile`; a strip of one row (m = 1: softmax scoring) goes to `gemv`
 * instead of wasting most of a tile.  Inlined into each body, so the calls
 * through tile and gemv are direct. */
static inline void sm_gemm_nt(int strip, sm_gemm_tile tile, sm_gemv gemv,
                              const float *a, int64_t lda, const float *b,
                              int64_t ldb, float *c, int64_t ldc, int64_t m,
                              int64_t n, int64_t d)
{
    int64_t panel = sm_gemm_panel_rows(d);
    for (int64_t j0 = 0; j0 < n; j0 += panel) {
        int64_t j1 = j0 + panel < n ? j0 + panel : n;
        for (int64_t i = 0; i < m; i += strip) {
            int mr = m - i < strip ? (int)(m - i) : strip;
            if (mr == 1) {
                gemv(a + i * lda, b + j0 * ldb, ldb, c + i * ldc + j0,
                     j1 - j0, d);
                continue;
            }
            for (int64_t j = j0; j < j1; j += 4)
                tile(a + i * lda, lda, mr, b + j * ldb, ldb,
                     j1 - j < 4 ? (int)(j1 - j) : 4, c + i * ldc + j, ldc, d);
        }
    }
}

/* A body's block of axpy_rows: y[k..k+R*width) += X^T a over those
 * columns, R registers of y (R = 8, 4 or 1) each with its own chain of
 * fused multiply-adds, so the FMA latency overlaps. */
typedef void (*sm_rows_block)(const float *a, const float *x, int64_t ldx,
                              int n, float *y, int64_t k, int R);

/* The axpy_rows driver of every SIMD body (y += X^T a, kernel.h
 * contract): blocks of 8, 4, then 1 register of `width` floats, then a
 * scalar tail; each element sums its n terms in order j = 0..n-1.  Inlined
 * into each body with its always-inline block, so every R is unrolled. */
static inline __attribute__((always_inline)) void
sm_axpy_rows(sm_rows_block block, int64_t width, const float *a,
             const float *x, int64_t ldx, int n, float *y, int64_t d)
{
    int64_t k = 0;
    for (; k + 8 * width <= d; k += 8 * width)
        block(a, x, ldx, n, y, k, 8);
    for (; k + 4 * width <= d; k += 4 * width)
        block(a, x, ldx, n, y, k, 4);
    for (; k + width <= d; k += width)
        block(a, x, ldx, n, y, k, 1);
    for (; k < d; k++) {
        float acc = y[k];
        for (int j = 0; j < n; j++)
            acc += a[j] * x[j * ldx + k];
        y[k] = acc;
    }
}

#if defined(__x86_64__)
#include <immintrin.h>

/* Stores a register tile's results: lanes 0..nr-1 of r[i] to
 * c + i * ldc for i < mr (nr <= 4). */
static inline void sm_store_tile(const __m128 *r, int mr, int nr, float *c,
                                 int64_t ldc)
{
    for (int i = 0; i < mr; i++) {
        if (nr == 4) {
            _mm_storeu_ps(c + i * ldc, r[i]);
        } else {
            float tmp[4];
            _mm_storeu_ps(tmp, r[i]);
            for (int j = 0; j < nr; j++)
                c[i * ldc + j] = tmp[j];
        }
    }
}

/* A body's four dot products {x . r0, x . r1, x . r2, x . r3}. */
typedef __m128 (*sm_dot4)(const float *x, const float *r0, const float *r1,
                          const float *r2, const float *r3, int64_t d);

/* c[j] = a . b_j for j < n: the one-row case of gemm_nt (scoring one
 * vector against many rows), 4 rows of B per pass over a through the
 * body's dot4 (inlined, so the call is direct). */
static inline void sm_gemv_nt(sm_dot4 dot4, const float *a, const float *b,
                              int64_t ldb, float *c, int64_t n, int64_t d)
{
    int64_t j = 0;
    for (; j + 4 <= n; j += 4)
        _mm_storeu_ps(c + j, dot4(a, b + j * ldb, b + (j + 1) * ldb,
                                  b + (j + 2) * ldb, b + (j + 3) * ldb, d));
    if (j < n) {
        float tmp[4];
        const float *bj = b + j * ldb;
        _mm_storeu_ps(tmp, dot4(a, bj, bj + (n - j > 1 ? ldb : 0),
                                bj + (n - j > 2 ? 2 * ldb : 0), bj, d));
        for (int64_t k = j; k < n; k++)
            c[k] = tmp[k - j];
    }
}
#endif

#endif
