/* kernel_avx2.c - the kernel table for x86-64 CPUs with AVX2 and FMA.
 *
 * Compiled with -mavx2 -mfma (the Makefile gives this file its own flags);
 * reached only through kernel_get(), which checks the CPU first.
 *
 * Shapes: a __m256 holds 8 floats.  Loops over d run 32 floats at a time in
 * 4 independent accumulators (to hide the FMA latency), then 8 at a time.
 * The last d % 8 floats: loads go through vmaskmovps, which touches no
 * memory past d (masked-off lanes never fault); tails that store are scalar
 * loops, as vmaskmovps stores are slow on AMD cores and do not forward to
 * the next load of the same row.  No alignment is assumed.
 *
 *   dot        [ 8 | 8 | 8 | 8 ] ... [ 8 ] ... [ r<8 masked load ]
 *   axpy       [ 8 | 8 | 8 | 8 ] ... [ 8 ] ... [ r<8 scalar ]
 *   sigmoid    [ 8 ] ... [ r<8 via a zero-padded buffer ]
 *   ns_step    dots of the block's rows, 4 at a time sharing the loads of
 *              `in` -> one __m256 of scores (lane t) ->
 *              sigmoid + loss for all lanes at once -> one pass over d that
 *              updates grad (kept in a register) and every row of the block
 *   gemm_nt    3 rows of A x 4 rows of B per tile: 12 accumulators + 3 A
 *              loads + 1 B load = 16 ymm registers; B in L2-sized panels */
#include "kernel.h"

#include <immintrin.h>

#include "lse.h"
#include "simd.h"

/* Lanes 0..r-1 set, for 0 <= r <= 8. */
static inline __m256i tail_mask(int64_t r)
{
    return _mm256_cmpgt_epi32(_mm256_set1_epi32((int)r),
                              _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
}

/* Sum of the 8 lanes of v. */
static inline float hsum(__m256 v)
{
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(v),
                          _mm256_extractf128_ps(v, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
}

/* {sum(v0), sum(v1), sum(v2), sum(v3)}: three horizontal adds and one add
 * instead of four separate reductions. */
static inline __m128 hsum4(__m256 v0, __m256 v1, __m256 v2, __m256 v3)
{
    __m256 t = _mm256_hadd_ps(_mm256_hadd_ps(v0, v1), _mm256_hadd_ps(v2, v3));
    return _mm_add_ps(_mm256_castps256_ps128(t), _mm256_extractf128_ps(t, 1));
}

/* Returns sum_i a[i] * b[i], i < d. */
static float avx2_dot(const float *a, const float *b, int64_t d)
{
    __m256 s0 = _mm256_setzero_ps(), s1 = s0, s2 = s0, s3 = s0;
    int64_t i = 0;
    for (; i + 32 <= d; i += 32) {
        s0 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i), s0);
        s1 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i + 8),
                             _mm256_loadu_ps(b + i + 8), s1);
        s2 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i + 16),
                             _mm256_loadu_ps(b + i + 16), s2);
        s3 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i + 24),
                             _mm256_loadu_ps(b + i + 24), s3);
    }
    for (; i + 8 <= d; i += 8)
        s0 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i), s0);
    if (i < d) {
        __m256i m = tail_mask(d - i);
        s1 = _mm256_fmadd_ps(_mm256_maskload_ps(a + i, m),
                             _mm256_maskload_ps(b + i, m), s1);
    }
    return hsum(_mm256_add_ps(_mm256_add_ps(s0, s1), _mm256_add_ps(s2, s3)));
}

/* y[i] += alpha * x[i], i < d. */
static void avx2_axpy(float alpha, const float *x, float *y, int64_t d)
{
    const __m256 va = _mm256_set1_ps(alpha);
    int64_t i = 0;
    for (; i + 32 <= d; i += 32)
        for (int k = 0; k < 32; k += 8)
            _mm256_storeu_ps(y + i + k,
                             _mm256_fmadd_ps(va, _mm256_loadu_ps(x + i + k),
                                             _mm256_loadu_ps(y + i + k)));
    for (; i + 8 <= d; i += 8)
        _mm256_storeu_ps(y + i, _mm256_fmadd_ps(va, _mm256_loadu_ps(x + i),
                                                _mm256_loadu_ps(y + i)));
    for (; i < d; i++)
        y[i] += alpha * x[i];
}

/* exp(-|x|) per lane; see simd.h for the method and its error.
 * |x| is clamped at 104, where the result has already rounded to 0, so huge
 * and infinite inputs give exactly 0; NaN stays NaN (min returns its second
 * operand when either is NaN). */
static inline __m256 exp_neg_abs(__m256 x)
{
    __m256 ax = _mm256_min_ps(_mm256_set1_ps(SM_EXP_CLAMP),
                              _mm256_andnot_ps(_mm256_set1_ps(-0.0f), x));
    /* n = round(-|x| / ln 2) in [-150, 0]; r = -|x| - n ln 2, |r| <= ln2/2 */
    __m256 n = _mm256_round_ps(_mm256_mul_ps(ax, _mm256_set1_ps(-SM_LOG2E)),
                               _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    __m256 r = _mm256_fnmsub_ps(n, _mm256_set1_ps(SM_LN2_HI), ax);
    r = _mm256_fnmadd_ps(n, _mm256_set1_ps(SM_LN2_LO), r);
    /* exp(r) by its Taylor polynomial of degree 7 (Horner) */
    __m256 p = _mm256_set1_ps(SM_C7);
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(SM_C6));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(SM_C5));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(SM_C4));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(SM_C3));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(SM_C2));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(1.0f));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(1.0f));
    /* times 2^n as 2^n1 * 2^n2 (n1 = floor(n/2), both >= -75, so each factor
     * is a normal float) so that subnormal results are rounded only once */
    __m256i ni = _mm256_cvtps_epi32(n);
    __m256i n1 = _mm256_srai_epi32(ni, 1);
    __m256i n2 = _mm256_sub_epi32(ni, n1);
    const __m256i bias = _mm256_set1_epi32(127);
    __m256 f1 = _mm256_castsi256_ps(
        _mm256_slli_epi32(_mm256_add_epi32(n1, bias), 23));
    __m256 f2 = _mm256_castsi256_ps(
        _mm256_slli_epi32(_mm256_add_epi32(n2, bias), 23));
    return _mm256_mul_ps(_mm256_mul_ps(p, f1), f2);
}

/* sigmoid(x) per lane from e = exp(-|x|): 1/(1+e) for x >= 0, e/(1+e) for
 * x < 0 (never exp of a positive number, so nothing overflows). */
static inline __m256 sigmoid_from(__m256 x, __m256 e)
{
    const __m256 one = _mm256_set1_ps(1.0f);
    __m256 pos = _mm256_cmp_ps(x, _mm256_setzero_ps(), _CMP_GE_OQ);
    return _mm256_div_ps(_mm256_blendv_ps(e, one, pos), _mm256_add_ps(one, e));
}

/* log(1 + e) per lane for 0 <= e <= 1 (NaN stays NaN).  1 + e = 2^k m with
 * k = [e > sqrt2 - 1], so f = m - 1 is e or (e - 1)/2, both formed without
 * cancellation; log m = 2 atanh(s), s = f/(2 + f), |s| <= 3 - 2 sqrt2. */
static inline __m256 log1p_unit(__m256 e)
{
    const __m256 one = _mm256_set1_ps(1.0f);
    __m256 big = _mm256_cmp_ps(e, _mm256_set1_ps(SM_SQRT2_M1), _CMP_GT_OQ);
    __m256 f = _mm256_blendv_ps(
        e, _mm256_mul_ps(_mm256_sub_ps(e, one), _mm256_set1_ps(0.5f)), big);
    __m256 s = _mm256_div_ps(f, _mm256_add_ps(_mm256_set1_ps(2.0f), f));
    __m256 z = _mm256_mul_ps(s, s);
    __m256 q = _mm256_set1_ps(SM_A9);
    q = _mm256_fmadd_ps(q, z, _mm256_set1_ps(SM_A7));
    q = _mm256_fmadd_ps(q, z, _mm256_set1_ps(SM_A5));
    q = _mm256_fmadd_ps(q, z, _mm256_set1_ps(SM_A3));
    q = _mm256_fmadd_ps(q, z, _mm256_set1_ps(2.0f));
    return _mm256_fmadd_ps(s, q,
                           _mm256_and_ps(big, _mm256_set1_ps(SM_LN2)));
}

/* y[i] = sigmoid(x[i]), i < n. */
static void avx2_sigmoid(const float *x, float *y, int64_t n)
{
    int64_t i = 0;
    for (; i + 8 <= n; i += 8) {
        __m256 v = _mm256_loadu_ps(x + i);
        _mm256_storeu_ps(y + i, sigmoid_from(v, exp_neg_abs(v)));
    }
    if (i < n) {
        float buf[8] = {0};
        for (int64_t j = i; j < n; j++)
            buf[j - i] = x[j];
        __m256 v = _mm256_loadu_ps(buf);
        _mm256_storeu_ps(buf, sigmoid_from(v, exp_neg_abs(v)));
        for (int64_t j = i; j < n; j++)
            y[j] = buf[j - i];
    }
}

/* For t < nb: grad += g[t] * rows[t]; rows[t] += g[t] * in, in one pass over
 * d with grad held in a register.  The rows must be distinct (and disjoint
 * from in and grad), so updating them side by side keeps the per-element
 * order of the scalar reference. */
static void ns_update(const float *in, float *const *rows, const float *g,
                      int nb, int64_t d, float *grad)
{
    int64_t i = 0;
    for (; i + 8 <= d; i += 8) {
        __m256 x = _mm256_loadu_ps(in + i), acc = _mm256_loadu_ps(grad + i);
        for (int t = 0; t < nb; t++) {
            __m256 gt = _mm256_set1_ps(g[t]);
            __m256 o = _mm256_loadu_ps(rows[t] + i);
            acc = _mm256_fmadd_ps(gt, o, acc);
            _mm256_storeu_ps(rows[t] + i, _mm256_fmadd_ps(gt, x, o));
        }
        _mm256_storeu_ps(grad + i, acc);
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

/* {x . r0, x . r1, x . r2, x . r3}, loading x once for all four rows. */
static inline __m128 dot4(const float *x, const float *r0, const float *r1,
                          const float *r2, const float *r3, int64_t d)
{
    __m256 s0 = _mm256_setzero_ps(), s1 = s0, s2 = s0, s3 = s0;
    int64_t i = 0;
    for (; i + 8 <= d; i += 8) {
        __m256 v = _mm256_loadu_ps(x + i);
        s0 = _mm256_fmadd_ps(v, _mm256_loadu_ps(r0 + i), s0);
        s1 = _mm256_fmadd_ps(v, _mm256_loadu_ps(r1 + i), s1);
        s2 = _mm256_fmadd_ps(v, _mm256_loadu_ps(r2 + i), s2);
        s3 = _mm256_fmadd_ps(v, _mm256_loadu_ps(r3 + i), s3);
    }
    if (i < d) {
        __m256i m = tail_mask(d - i);
        __m256 v = _mm256_maskload_ps(x + i, m);
        s0 = _mm256_fmadd_ps(v, _mm256_maskload_ps(r0 + i, m), s0);
        s1 = _mm256_fmadd_ps(v, _mm256_maskload_ps(r1 + i, m), s1);
        s2 = _mm256_fmadd_ps(v, _mm256_maskload_ps(r2 + i, m), s2);
        s3 = _mm256_fmadd_ps(v, _mm256_maskload_ps(r3 + i, m), s3);
    }
    return hsum4(s0, s1, s2, s3);
}

/* dot4 of `in` with the first nr <= 4 of rows[] (missing rows repeat
 * rows[0]; their lanes are to be ignored). */
static inline __m128 dot4_rows(const float *in, float *const *rows, int nr,
                               int64_t d)
{
    return dot4(in, rows[0], rows[nr > 1 ? 1 : 0], rows[nr > 2 ? 2 : 0],
                rows[nr > 3 ? 3 : 0], d);
}

/* The fused negative-sampling step of the kernel.h contract.  Rows are taken
 * in blocks of up to 8 with no repeated pointer inside a block: all dots of
 * a block are computed first (each row's dot then already sees the updates
 * of earlier blocks, and no row of the block is updated before its own dot),
 * scored in one register (lane t = row t of the block), then updated in
 * order. */
static float avx2_ns_step(const float *in, float *const *out, int n,
                          int64_t d, float lr, float *grad)
{
    float loss = 0.0f;
    for (int t0 = 0; t0 < n;) {
        int nb = sm_distinct_run(out, t0, n, 8);
        __m128 lo = dot4_rows(in, out + t0, nb < 4 ? nb : 4, d);
        __m128 hi = nb > 4 ? dot4_rows(in, out + t0 + 4, nb - 4, d)
                           : _mm_setzero_ps();
        __m256 valid = _mm256_castsi256_ps(tail_mask(nb));
        __m256 vs = _mm256_and_ps(valid, _mm256_set_m128(hi, lo));
        __m256 e = exp_neg_abs(vs);
        /* lane 0 of the first block is the target (label 1) */
        int first = t0 == 0;
        __m256 label = _mm256_setr_ps(first ? 1.0f : 0.0f, 0, 0, 0, 0, 0, 0, 0);
        /* loss: softplus(z) = max(z, 0) + log(1 + exp(-|z|)), z = -s for the
         * target and s for noise (|z| = |s|, so e serves both) */
        __m256 z = _mm256_xor_ps(
            vs, _mm256_setr_ps(first ? -0.0f : 0.0f, 0, 0, 0, 0, 0, 0, 0));
        __m256 l = _mm256_add_ps(_mm256_max_ps(z, _mm256_setzero_ps()),
                                 log1p_unit(e));
        loss += hsum(_mm256_and_ps(valid, l));
        float g[8];
        _mm256_storeu_ps(g, _mm256_mul_ps(_mm256_set1_ps(lr),
                                          _mm256_sub_ps(label,
                                                        sigmoid_from(vs, e))));
        ns_update(in, out + t0, g, nb, d, grad);
        t0 += nb;
    }
    return loss;
}

/* One tile of C = A B^T: c[i * ldc + j] = a_i . b_j for i < mr <= 3,
 * j < nr <= 4.  Missing rows are read as copies of the first row (their sums
 * are computed and dropped), so every tile runs the same 12-FMA body. */
static void gemm_tile_3x4(const float *a, int64_t lda, int mr,
                          const float *b, int64_t ldb, int nr, float *c,
                          int64_t ldc, int64_t d)
{
    const float *a0 = a, *a1 = a + (mr > 1 ? lda : 0),
                *a2 = a + (mr > 2 ? 2 * lda : 0);
    const float *b0 = b, *b1 = b + (nr > 1 ? ldb : 0),
                *b2 = b + (nr > 2 ? 2 * ldb : 0),
                *b3 = b + (nr > 3 ? 3 * ldb : 0);
    __m256 c00 = _mm256_setzero_ps(), c01 = c00, c02 = c00, c03 = c00;
    __m256 c10 = c00, c11 = c00, c12 = c00, c13 = c00;
    __m256 c20 = c00, c21 = c00, c22 = c00, c23 = c00;
#define TILE_STEP(LOAD)                                                    \
    do {                                                                   \
        __m256 x0 = LOAD(a0), x1 = LOAD(a1), x2 = LOAD(a2), y;             \
        y = LOAD(b0);                                                      \
        c00 = _mm256_fmadd_ps(x0, y, c00);                                 \
        c10 = _mm256_fmadd_ps(x1, y, c10);                                 \
        c20 = _mm256_fmadd_ps(x2, y, c20);                                 \
        y = LOAD(b1);                                                      \
        c01 = _mm256_fmadd_ps(x0, y, c01);                                 \
        c11 = _mm256_fmadd_ps(x1, y, c11);                                 \
        c21 = _mm256_fmadd_ps(x2, y, c21);                                 \
        y = LOAD(b2);                                                      \
        c02 = _mm256_fmadd_ps(x0, y, c02);                                 \
        c12 = _mm256_fmadd_ps(x1, y, c12);                                 \
        c22 = _mm256_fmadd_ps(x2, y, c22);                                 \
        y = LOAD(b3);                                                      \
        c03 = _mm256_fmadd_ps(x0, y, c03);                                 \
        c13 = _mm256_fmadd_ps(x1, y, c13);                                 \
        c23 = _mm256_fmadd_ps(x2, y, c23);                                 \
    } while (0)
    int64_t k = 0;
#define LOAD_FULL(p) _mm256_loadu_ps((p) + k)
    for (; k + 8 <= d; k += 8)
        TILE_STEP(LOAD_FULL);
    if (k < d) {
        __m256i m = tail_mask(d - k);
#define LOAD_TAIL(p) _mm256_maskload_ps((p) + k, m)
        TILE_STEP(LOAD_TAIL);
    }
#undef LOAD_TAIL
#undef LOAD_FULL
#undef TILE_STEP
    __m128 r[3] = {hsum4(c00, c01, c02, c03), hsum4(c10, c11, c12, c13),
                   hsum4(c20, c21, c22, c23)};
    sm_store_tile(r, mr, nr, c, ldc);
}

/* The one-row case of gemm_nt (see sm_gemv_nt). */
static void gemv_nt(const float *a, const float *b, int64_t ldb, float *c,
                    int64_t n, int64_t d)
{
    sm_gemv_nt(dot4, a, b, ldb, c, n, d);
}

/* C = A B^T as in the kernel.h contract: strips of 3 rows of A (see
 * sm_gemm_nt). */
static void avx2_gemm_nt(const float *a, int64_t lda, const float *b,
                         int64_t ldb, float *c, int64_t ldc, int64_t m,
                         int64_t n, int64_t d)
{
    sm_gemm_nt(3, gemm_tile_3x4, gemv_nt, a, lda, b, ldb, c, ldc, m, n, d);
}

/* The axpy_rows block (sm_rows_block): R registers of y, R FMA chains. */
static inline __attribute__((always_inline)) void
axpy_rows_block(const float *a, const float *x, int64_t ldx, int n, float *y,
                int64_t k, int R)
{
    __m256 acc[8];
#pragma GCC unroll 8
    for (int r = 0; r < R; r++)
        acc[r] = _mm256_loadu_ps(y + k + 8 * r);
    for (int j = 0; j < n; j++) {
        const __m256 aj = _mm256_set1_ps(a[j]);
        const float *xj = x + j * ldx + k;
#pragma GCC unroll 8
        for (int r = 0; r < R; r++)
            acc[r] = _mm256_fmadd_ps(aj, _mm256_loadu_ps(xj + 8 * r), acc[r]);
    }
#pragma GCC unroll 8
    for (int r = 0; r < R; r++)
        _mm256_storeu_ps(y + k + 8 * r, acc[r]);
}

/* y += X^T a (sm_axpy_rows). */
static void avx2_axpy_rows(const float *a, const float *x, int64_t ldx, int n,
                           float *y, int64_t d)
{
    sm_axpy_rows(axpy_rows_block, 8, a, x, ldx, n, y, d);
}

static double avx2_log_sum_exp(const float *s, int64_t n)
{
    return lse_log_sum_exp(s, n);
}

const kernel kernel_avx2 = {
    .name = "avx2",
    .dot = avx2_dot,
    .axpy = avx2_axpy,
    .sigmoid = avx2_sigmoid,
    .ns_step = avx2_ns_step,
    .gemm_nt = avx2_gemm_nt,
    .axpy_rows = avx2_axpy_rows,
    .log_sum_exp = avx2_log_sum_exp,
};
