/* kernel_neon.c - the kernel table for AArch64 (Advanced SIMD, which every
 * AArch64 CPU has, so no run-time check is needed).
 *
 * Shapes: a float32x4_t holds 4 floats.  Loops over d run 16 floats at a
 * time in 4 independent accumulators, then 4 at a time; the last d % 4
 * floats are loaded through a zero-padded copy (never past d) and stored by
 * scalar loops.  Nothing assumes alignment.
 *
 *   dot/axpy   [ 4 | 4 | 4 | 4 ] ... [ 4 ] ... [ r<4 ]
 *   ns_step    dots of 4 rows at a time sharing the loads of `in` -> one
 *              float32x4_t of scores (lane t) -> sigmoid + loss for the 4
 *              lanes at once -> one pass over d that updates grad (kept in
 *              a register) and the 4 rows
 *   gemm_nt    4 rows of A x 4 rows of B per tile: 16 accumulators + 4 A
 *              loads + 1 B load = 21 of the 32 vector registers
 * exp and log1p use the method and constants of simd.h, with the same
 * error bounds as the x86 bodies. */
#include "kernel.h"

#include <arm_neon.h>
#include <string.h>

#include "lse.h"
#include "simd.h"

/* The first r < 4 floats at p, zero-padded to a vector. */
static inline float32x4_t load_tail(const float *p, int64_t r)
{
    float buf[4] = {0};
    memcpy(buf, p, (size_t)r * sizeof *p);
    return vld1q_f32(buf);
}

/* {sum(v0), sum(v1), sum(v2), sum(v3)} by pairwise adds. */
static inline float32x4_t hsum4(float32x4_t v0, float32x4_t v1,
                                float32x4_t v2, float32x4_t v3)
{
    return vpaddq_f32(vpaddq_f32(v0, v1), vpaddq_f32(v2, v3));
}

/* Returns sum_i a[i] * b[i], i < d. */
static float neon_dot(const float *a, const float *b, int64_t d)
{
    float32x4_t s0 = vdupq_n_f32(0.0f), s1 = s0, s2 = s0, s3 = s0;
    int64_t i = 0;
    for (; i + 16 <= d; i += 16) {
        s0 = vfmaq_f32(s0, vld1q_f32(a + i), vld1q_f32(b + i));
        s1 = vfmaq_f32(s1, vld1q_f32(a + i + 4), vld1q_f32(b + i + 4));
        s2 = vfmaq_f32(s2, vld1q_f32(a + i + 8), vld1q_f32(b + i + 8));
        s3 = vfmaq_f32(s3, vld1q_f32(a + i + 12), vld1q_f32(b + i + 12));
    }
    for (; i + 4 <= d; i += 4)
        s0 = vfmaq_f32(s0, vld1q_f32(a + i), vld1q_f32(b + i));
    if (i < d)
        s1 = vfmaq_f32(s1, load_tail(a + i, d - i), load_tail(b + i, d - i));
    return vaddvq_f32(vaddq_f32(vaddq_f32(s0, s1), vaddq_f32(s2, s3)));
}

/* y[i] += alpha * x[i], i < d. */
static void neon_axpy(float alpha, const float *x, float *y, int64_t d)
{
    const float32x4_t va = vdupq_n_f32(alpha);
    int64_t i = 0;
    for (; i + 4 <= d; i += 4)
        vst1q_f32(y + i, vfmaq_f32(vld1q_f32(y + i), va, vld1q_f32(x + i)));
    for (; i < d; i++)
        y[i] += alpha * x[i];
}

/* exp(-|x|) per lane (method and error: simd.h).  Huge and infinite
 * |x| give exactly 0; NaN stays NaN (FMIN propagates it). */
static inline float32x4_t exp_neg_abs(float32x4_t x)
{
    float32x4_t ax = vminq_f32(vdupq_n_f32(SM_EXP_CLAMP), vabsq_f32(x));
    /* n = round(-|x| / ln 2) in [-150, 0]; r = -|x| - n ln 2, |r| <= ln2/2 */
    float32x4_t n = vrndnq_f32(vmulq_n_f32(ax, -SM_LOG2E));
    float32x4_t r = vfmsq_f32(vnegq_f32(ax), n, vdupq_n_f32(SM_LN2_HI));
    r = vfmsq_f32(r, n, vdupq_n_f32(SM_LN2_LO));
    /* exp(r) by its Taylor polynomial of degree 7 (Horner) */
    float32x4_t p = vdupq_n_f32(SM_C7);
    p = vfmaq_f32(vdupq_n_f32(SM_C6), p, r);
    p = vfmaq_f32(vdupq_n_f32(SM_C5), p, r);
    p = vfmaq_f32(vdupq_n_f32(SM_C4), p, r);
    p = vfmaq_f32(vdupq_n_f32(SM_C3), p, r);
    p = vfmaq_f32(vdupq_n_f32(SM_C2), p, r);
    p = vfmaq_f32(vdupq_n_f32(1.0f), p, r);
    p = vfmaq_f32(vdupq_n_f32(1.0f), p, r);
    /* times 2^n as 2^n1 * 2^n2 (n1 = floor(n/2), both >= -75, so each factor
     * is a normal float) so that subnormal results are rounded only once */
    int32x4_t ni = vcvtq_s32_f32(n);
    int32x4_t n1 = vshrq_n_s32(ni, 1);
    int32x4_t n2 = vsubq_s32(ni, n1);
    const int32x4_t bias = vdupq_n_s32(127);
    float32x4_t f1 = vreinterpretq_f32_s32(vshlq_n_s32(vaddq_s32(n1, bias), 23));
    float32x4_t f2 = vreinterpretq_f32_s32(vshlq_n_s32(vaddq_s32(n2, bias), 23));
    return vmulq_f32(vmulq_f32(p, f1), f2);
}

/* sigmoid(x) per lane from e = exp(-|x|): 1/(1+e) for x >= 0, e/(1+e) for
 * x < 0 (never exp of a positive number, so nothing overflows). */
static inline float32x4_t sigmoid_from(float32x4_t x, float32x4_t e)
{
    const float32x4_t one = vdupq_n_f32(1.0f);
    uint32x4_t pos = vcgeq_f32(x, vdupq_n_f32(0.0f));
    return vdivq_f32(vbslq_f32(pos, one, e), vaddq_f32(one, e));
}

/* log(1 + e) per lane for 0 <= e <= 1 (NaN stays NaN).  1 + e = 2^k m with
 * k = [e > sqrt2 - 1], so f = m - 1 is e or (e - 1)/2, both formed without
 * cancellation; log m = 2 atanh(s), s = f/(2 + f), |s| <= 3 - 2 sqrt2. */
static inline float32x4_t log1p_unit(float32x4_t e)
{
    uint32x4_t big = vcgtq_f32(e, vdupq_n_f32(SM_SQRT2_M1));
    float32x4_t f = vbslq_f32(
        big, vmulq_n_f32(vsubq_f32(e, vdupq_n_f32(1.0f)), 0.5f), e);
    float32x4_t s = vdivq_f32(f, vaddq_f32(vdupq_n_f32(2.0f), f));
    float32x4_t z = vmulq_f32(s, s);
    float32x4_t q = vdupq_n_f32(SM_A9);
    q = vfmaq_f32(vdupq_n_f32(SM_A7), q, z);
    q = vfmaq_f32(vdupq_n_f32(SM_A5), q, z);
    q = vfmaq_f32(vdupq_n_f32(SM_A3), q, z);
    q = vfmaq_f32(vdupq_n_f32(2.0f), q, z);
    float32x4_t k_ln2 = vreinterpretq_f32_u32(
        vandq_u32(big, vreinterpretq_u32_f32(vdupq_n_f32(SM_LN2))));
    return vfmaq_f32(k_ln2, s, q);
}

/* y[i] = sigmoid(x[i]), i < n. */
static void neon_sigmoid(const float *x, float *y, int64_t n)
{
    int64_t i = 0;
    for (; i + 4 <= n; i += 4) {
        float32x4_t v = vld1q_f32(x + i);
        vst1q_f32(y + i, sigmoid_from(v, exp_neg_abs(v)));
    }
    if (i < n) {
        float buf[4];
        float32x4_t v = load_tail(x + i, n - i);
        vst1q_f32(buf, sigmoid_from(v, exp_neg_abs(v)));
        memcpy(y + i, buf, (size_t)(n - i) * sizeof *y);
    }
}

/* {x . r0, x . r1, x . r2, x . r3}, loading x once for all four rows. */
static inline float32x4_t dot4(const float *x, const float *r0,
                               const float *r1, const float *r2,
                               const float *r3, int64_t d)
{
    float32x4_t s0 = vdupq_n_f32(0.0f), s1 = s0, s2 = s0, s3 = s0;
    int64_t i = 0;
    for (; i + 4 <= d; i += 4) {
        float32x4_t v = vld1q_f32(x + i);
        s0 = vfmaq_f32(s0, v, vld1q_f32(r0 + i));
        s1 = vfmaq_f32(s1, v, vld1q_f32(r1 + i));
        s2 = vfmaq_f32(s2, v, vld1q_f32(r2 + i));
        s3 = vfmaq_f32(s3, v, vld1q_f32(r3 + i));
    }
    if (i < d) {
        float32x4_t v = load_tail(x + i, d - i);
        s0 = vfmaq_f32(s0, v, load_tail(r0 + i, d - i));
        s1 = vfmaq_f32(s1, v, load_tail(r1 + i, d - i));
        s2 = vfmaq_f32(s2, v, load_tail(r2 + i, d - i));
        s3 = vfmaq_f32(s3, v, load_tail(r3 + i, d - i));
    }
    return hsum4(s0, s1, s2, s3);
}

/* dot4 of `in` with the first nr <= 4 of rows[] (missing rows repeat
 * rows[0]; their lanes are to be ignored). */
static inline float32x4_t dot4_rows(const float *in, float *const *rows,
                                    int nr, int64_t d)
{
    return dot4(in, rows[0], rows[nr > 1 ? 1 : 0], rows[nr > 2 ? 2 : 0],
                rows[nr > 3 ? 3 : 0], d);
}

/* For t < nb: grad += g[t] * rows[t]; rows[t] += g[t] * in, in one pass over
 * d with grad held in a register.  The rows must be distinct (and disjoint
 * from in and grad), so updating them side by side keeps the per-element
 * order of the scalar reference. */
static void ns_update(const float *in, float *const *rows, const float *g,
                      int nb, int64_t d, float *grad)
{
    int64_t i = 0;
    for (; i + 4 <= d; i += 4) {
        float32x4_t x = vld1q_f32(in + i), acc = vld1q_f32(grad + i);
        for (int t = 0; t < nb; t++) {
            float32x4_t o = vld1q_f32(rows[t] + i);
            acc = vfmaq_n_f32(acc, o, g[t]);
            vst1q_f32(rows[t] + i, vfmaq_n_f32(o, x, g[t]));
        }
        vst1q_f32(grad + i, acc);
    }
    for (; i < d; i++) {
        float x = in[i], acc = grad[i];
        for (int t = 0; t < nb; t++) {
            float o = rows[t][i];
            acc += g[t] * o;
            rows[t][i] = o + g[t] * x;
        }
        grad[i] = acc;
    }
}

/* The fused negative-sampling step of the kernel.h contract.  Rows are taken
 * in blocks of up to 4 with no repeated pointer inside a block: all dots of
 * a block are computed first (each row's dot then already sees the updates
 * of earlier blocks, and no row of the block is updated before its own dot),
 * scored in one register (lane t = row t of the block), then updated in
 * order. */
static float neon_ns_step(const float *in, float *const *out, int n,
                          int64_t d, float lr, float *grad)
{
    static const uint32_t lane[4] = {0, 1, 2, 3};
    float loss = 0.0f;
    for (int t0 = 0; t0 < n;) {
        int nb = sm_distinct_run(out, t0, n, 4);
        uint32x4_t valid = vcltq_u32(vld1q_u32(lane), vdupq_n_u32((uint32_t)nb));
        float32x4_t vs = vreinterpretq_f32_u32(vandq_u32(
            valid, vreinterpretq_u32_f32(dot4_rows(in, out + t0, nb, d))));
        float32x4_t e = exp_neg_abs(vs);
        /* lane 0 of the first block is the target (label 1) */
        int first = t0 == 0;
        const float lab[4] = {first ? 1.0f : 0.0f, 0, 0, 0};
        const float flip[4] = {first ? -0.0f : 0.0f, 0, 0, 0};
        float32x4_t label = vld1q_f32(lab);
        /* loss: softplus(z) = max(z, 0) + log(1 + exp(-|z|)), z = -s for the
         * target and s for noise (|z| = |s|, so e serves both) */
        float32x4_t z = vreinterpretq_f32_u32(veorq_u32(
            vreinterpretq_u32_f32(vs), vreinterpretq_u32_f32(vld1q_f32(flip))));
        float32x4_t l = vaddq_f32(vmaxq_f32(z, vdupq_n_f32(0.0f)),
                                  log1p_unit(e));
        loss += vaddvq_f32(vreinterpretq_f32_u32(
            vandq_u32(valid, vreinterpretq_u32_f32(l))));
        float g[4];
        vst1q_f32(g, vmulq_n_f32(vsubq_f32(label, sigmoid_from(vs, e)), lr));
        ns_update(in, out + t0, g, nb, d, grad);
        t0 += nb;
    }
    return loss;
}

/* One tile of C = A B^T: c[i * ldc + j] = a_i . b_j for i < mr <= 4,
 * j < nr <= 4.  Missing rows are read as copies of the first row (their sums
 * are computed and dropped), so every tile runs the same 16-FMA body. */
static void gemm_tile_4x4(const float *a, int64_t lda, int mr,
                          const float *b, int64_t ldb, int nr, float *c,
                          int64_t ldc, int64_t d)
{
    const float *ar[4], *br[4];
    for (int i = 0; i < 4; i++) {
        ar[i] = a + (i < mr ? i * lda : 0);
        br[i] = b + (i < nr ? i * ldb : 0);
    }
    float32x4_t c00 = vdupq_n_f32(0.0f), c01 = c00, c02 = c00, c03 = c00;
    float32x4_t c10 = c00, c11 = c00, c12 = c00, c13 = c00;
    float32x4_t c20 = c00, c21 = c00, c22 = c00, c23 = c00;
    float32x4_t c30 = c00, c31 = c00, c32 = c00, c33 = c00;
#define TILE_STEP(LOAD)                                                    \
    do {                                                                   \
        float32x4_t x0 = LOAD(ar[0]), x1 = LOAD(ar[1]), x2 = LOAD(ar[2]),  \
                    x3 = LOAD(ar[3]), y;                                   \
        y = LOAD(br[0]);                                                   \
        c00 = vfmaq_f32(c00, x0, y);                                       \
        c10 = vfmaq_f32(c10, x1, y);                                       \
        c20 = vfmaq_f32(c20, x2, y);                                       \
        c30 = vfmaq_f32(c30, x3, y);                                       \
        y = LOAD(br[1]);                                                   \
        c01 = vfmaq_f32(c01, x0, y);                                       \
        c11 = vfmaq_f32(c11, x1, y);                                       \
        c21 = vfmaq_f32(c21, x2, y);                                       \
        c31 = vfmaq_f32(c31, x3, y);                                       \
        y = LOAD(br[2]);                                                   \
        c02 = vfmaq_f32(c02, x0, y);                                       \
        c12 = vfmaq_f32(c12, x1, y);                                       \
        c22 = vfmaq_f32(c22, x2, y);                                       \
        c32 = vfmaq_f32(c32, x3, y);                                       \
        y = LOAD(br[3]);                                                   \
        c03 = vfmaq_f32(c03, x0, y);                                       \
        c13 = vfmaq_f32(c13, x1, y);                                       \
        c23 = vfmaq_f32(c23, x2, y);                                       \
        c33 = vfmaq_f32(c33, x3, y);                                       \
    } while (0)
    int64_t k = 0;
#define LOAD_FULL(p) vld1q_f32((p) + k)
    for (; k + 4 <= d; k += 4)
        TILE_STEP(LOAD_FULL);
#define LOAD_TAIL(p) load_tail((p) + k, d - k)
    if (k < d)
        TILE_STEP(LOAD_TAIL);
#undef LOAD_TAIL
#undef LOAD_FULL
#undef TILE_STEP
    float32x4_t r[4] = {hsum4(c00, c01, c02, c03), hsum4(c10, c11, c12, c13),
                        hsum4(c20, c21, c22, c23), hsum4(c30, c31, c32, c33)};
    for (int i = 0; i < mr; i++) {
        float tmp[4];
        vst1q_f32(tmp, r[i]);
        memcpy(c + i * ldc, tmp, (size_t)nr * sizeof *c);
    }
}

/* c[j] = a . b_j for j < n: the one-row case of gemm_nt (scoring one
 * vector against many rows), 4 rows of B per pass over a. */
static void gemv_nt(const float *a, const float *b, int64_t ldb, float *c,
                    int64_t n, int64_t d)
{
    int64_t j = 0;
    for (; j + 4 <= n; j += 4)
        vst1q_f32(c + j, dot4(a, b + j * ldb, b + (j + 1) * ldb,
                              b + (j + 2) * ldb, b + (j + 3) * ldb, d));
    if (j < n) {
        float tmp[4];
        const float *bj = b + j * ldb;
        vst1q_f32(tmp, dot4(a, bj, bj + (n - j > 1 ? ldb : 0),
                            bj + (n - j > 2 ? 2 * ldb : 0), bj, d));
        memcpy(c + j, tmp, (size_t)(n - j) * sizeof *c);
    }
}

/* C = A B^T as in the kernel.h contract: strips of 4 rows of A (see
 * sm_gemm_nt). */
static void neon_gemm_nt(const float *a, int64_t lda, const float *b,
                         int64_t ldb, float *c, int64_t ldc, int64_t m,
                         int64_t n, int64_t d)
{
    sm_gemm_nt(4, gemm_tile_4x4, gemv_nt, a, lda, b, ldb, c, ldc, m, n, d);
}

/* The axpy_rows block (sm_rows_block): R registers of y, R FMA chains. */
static inline __attribute__((always_inline)) void
axpy_rows_block(const float *a, const float *x, int64_t ldx, int n, float *y,
                int64_t k, int R)
{
    float32x4_t acc[8];
#pragma GCC unroll 8
    for (int r = 0; r < R; r++)
        acc[r] = vld1q_f32(y + k + 4 * r);
    for (int j = 0; j < n; j++) {
        const float *xj = x + j * ldx + k;
#pragma GCC unroll 8
        for (int r = 0; r < R; r++)
            acc[r] = vfmaq_n_f32(acc[r], vld1q_f32(xj + 4 * r), a[j]);
    }
#pragma GCC unroll 8
    for (int r = 0; r < R; r++)
        vst1q_f32(y + k + 4 * r, acc[r]);
}

/* y += X^T a (sm_axpy_rows). */
static void neon_axpy_rows(const float *a, const float *x, int64_t ldx, int n,
                           float *y, int64_t d)
{
    sm_axpy_rows(axpy_rows_block, 4, a, x, ldx, n, y, d);
}

static double neon_log_sum_exp(const float *s, int64_t n)
{
    return lse_log_sum_exp(s, n);
}

const kernel kernel_neon = {
    .name = "neon",
    .dot = neon_dot,
    .axpy = neon_axpy,
    .sigmoid = neon_sigmoid,
    .ns_step = neon_ns_step,
    .gemm_nt = neon_gemm_nt,
    .axpy_rows = neon_axpy_rows,
    .log_sum_exp = neon_log_sum_exp,
};
