/* kernel_avx512.c - the kernel table for x86-64 CPUs with AVX-512.
 *
 * Compiled with -mavx512f -mavx512dq -mavx512vl -mavx512bw -mfma (the
 * Makefile gives this file its own flags); reached only through
 * kernel_get(), which checks the CPU for all of them first.
 *
 * Shapes: a __m512 holds 16 floats.  Loops over d run 64 floats at a time in
 * 4 independent accumulators, then 16 at a time.  The last d % 16 floats:
 * loads are masked (masked-off lanes are not read, so nothing past d is
 * touched); tails that store are scalar loops, because a masked store does
 * not forward to the next load of the same row (measured: axpy at d = 100
 * on the same row 16 ns with a masked tail, 6 ns with a scalar one).  The
 * sigmoid tail is masked both ways: its output is not re-read at once.
 * Nothing assumes alignment.
 *
 *   dot        [ 16 | 16 | 16 | 16 ] ... [ 16 ] ... [ r<16 masked load ]
 *   axpy       [ 16 | 16 | 16 | 16 ] ... [ 16 ] ... [ r<16 scalar ]
 *   ns_step    dots of the block's rows, 4 at a time sharing the loads of
 *              `in` -> one __m512 of scores (lane t) ->
 *              sigmoid + loss for up to 16 rows at once -> one pass over d
 *              that updates grad (in a register) and every row of the block
 *   gemm_nt    4 rows of A x 4 rows of B per tile: 16 accumulators + 4 A
 *              loads + 1 B load = 21 of the 32 zmm registers; B in L2-sized
 *              panels
 * exp uses the same method and constants as the AVX2 body (simd.h);
 * the final scaling by 2^n is vscalefps, which rounds subnormals once. */
#include "kernel.h"

#include <immintrin.h>

#include "lse.h"
#include "simd.h"

/* Lanes 0..r-1 set, for 0 <= r <= 16. */
static inline __mmask16 tail_mask(int64_t r)
{
    return (__mmask16)((1u << r) - 1u);
}

/* {sum(v0), sum(v1), sum(v2), sum(v3)}: halves added, then horizontal adds. */
static inline __m128 hsum4(__m512 v0, __m512 v1, __m512 v2, __m512 v3)
{
#define HALVES(v) \
    _mm256_add_ps(_mm512_castps512_ps256(v), _mm512_extractf32x8_ps(v, 1))
    __m256 t = _mm256_hadd_ps(_mm256_hadd_ps(HALVES(v0), HALVES(v1)),
                              _mm256_hadd_ps(HALVES(v2), HALVES(v3)));
#undef HALVES
    return _mm_add_ps(_mm256_castps256_ps128(t), _mm256_extractf128_ps(t, 1));
}

/* Returns sum_i a[i] * b[i], i < d. */
static float avx512_dot(const float *a, const float *b, int64_t d)
{
    __m512 s0 = _mm512_setzero_ps(), s1 = s0, s2 = s0, s3 = s0;
    int64_t i = 0;
    for (; i + 64 <= d; i += 64) {
        s0 = _mm512_fmadd_ps(_mm512_loadu_ps(a + i), _mm512_loadu_ps(b + i), s0);
        s1 = _mm512_fmadd_ps(_mm512_loadu_ps(a + i + 16),
                             _mm512_loadu_ps(b + i + 16), s1);
        s2 = _mm512_fmadd_ps(_mm512_loadu_ps(a + i + 32),
                             _mm512_loadu_ps(b + i + 32), s2);
        s3 = _mm512_fmadd_ps(_mm512_loadu_ps(a + i + 48),
                             _mm512_loadu_ps(b + i + 48), s3);
    }
    for (; i + 16 <= d; i += 16)
        s0 = _mm512_fmadd_ps(_mm512_loadu_ps(a + i), _mm512_loadu_ps(b + i), s0);
    if (i < d) {
        __mmask16 m = tail_mask(d - i);
        s1 = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(m, a + i),
                             _mm512_maskz_loadu_ps(m, b + i), s1);
    }
    return _mm512_reduce_add_ps(
        _mm512_add_ps(_mm512_add_ps(s0, s1), _mm512_add_ps(s2, s3)));
}

/* y[i] += alpha * x[i], i < d. */
static void avx512_axpy(float alpha, const float *x, float *y, int64_t d)
{
    const __m512 va = _mm512_set1_ps(alpha);
    int64_t i = 0;
    for (; i + 64 <= d; i += 64)
        for (int k = 0; k < 64; k += 16)
            _mm512_storeu_ps(y + i + k,
                             _mm512_fmadd_ps(va, _mm512_loadu_ps(x + i + k),
                                             _mm512_loadu_ps(y + i + k)));
    for (; i + 16 <= d; i += 16)
        _mm512_storeu_ps(y + i, _mm512_fmadd_ps(va, _mm512_loadu_ps(x + i),
                                                _mm512_loadu_ps(y + i)));
    for (; i < d; i++)
        y[i] += alpha * x[i];
}

/* exp(-|x|) per lane (method and error: simd.h).  Huge and infinite
 * |x| give exactly 0; NaN stays NaN (min returns its second operand when
 * either is NaN). */
static inline __m512 exp_neg_abs(__m512 x)
{
    __m512 ax = _mm512_min_ps(_mm512_set1_ps(SM_EXP_CLAMP), _mm512_abs_ps(x));
    /* n = round(-|x| / ln 2) in [-150, 0]; r = -|x| - n ln 2, |r| <= ln2/2 */
    __m512 n = _mm512_roundscale_ps(
        _mm512_mul_ps(ax, _mm512_set1_ps(-SM_LOG2E)),
        _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    __m512 r = _mm512_fnmsub_ps(n, _mm512_set1_ps(SM_LN2_HI), ax);
    r = _mm512_fnmadd_ps(n, _mm512_set1_ps(SM_LN2_LO), r);
    /* exp(r) by its Taylor polynomial of degree 7 (Horner) */
    __m512 p = _mm512_set1_ps(SM_C7);
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(SM_C6));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(SM_C5));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(SM_C4));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(SM_C3));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(SM_C2));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.0f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.0f));
    return _mm512_scalef_ps(p, n);
}

/* sigmoid(x) per lane from e = exp(-|x|): 1/(1+e) for x >= 0, e/(1+e) for
 * x < 0 (never exp of a positive number, so nothing overflows). */
static inline __m512 sigmoid_from(__m512 x, __m512 e)
{
    const __m512 one = _mm512_set1_ps(1.0f);
    __mmask16 pos = _mm512_cmp_ps_mask(x, _mm512_setzero_ps(), _CMP_GE_OQ);
    return _mm512_div_ps(_mm512_mask_blend_ps(pos, e, one),
                         _mm512_add_ps(one, e));
}

/* log(1 + e) per lane for 0 <= e <= 1 (NaN stays NaN).  1 + e = 2^k m with
 * k = [e > sqrt2 - 1], so f = m - 1 is e or (e - 1)/2, both formed without
 * cancellation; log m = 2 atanh(s), s = f/(2 + f), |s| <= 3 - 2 sqrt2. */
static inline __m512 log1p_unit(__m512 e)
{
    const __m512 one = _mm512_set1_ps(1.0f);
    __mmask16 big =
        _mm512_cmp_ps_mask(e, _mm512_set1_ps(SM_SQRT2_M1), _CMP_GT_OQ);
    __m512 f = _mm512_mask_blend_ps(
        big, e, _mm512_mul_ps(_mm512_sub_ps(e, one), _mm512_set1_ps(0.5f)));
    __m512 s = _mm512_div_ps(f, _mm512_add_ps(_mm512_set1_ps(2.0f), f));
    __m512 z = _mm512_mul_ps(s, s);
    __m512 q = _mm512_set1_ps(SM_A9);
    q = _mm512_fmadd_ps(q, z, _mm512_set1_ps(SM_A7));
    q = _mm512_fmadd_ps(q, z, _mm512_set1_ps(SM_A5));
    q = _mm512_fmadd_ps(q, z, _mm512_set1_ps(SM_A3));
    q = _mm512_fmadd_ps(q, z, _mm512_set1_ps(2.0f));
    return _mm512_fmadd_ps(s, q,
                           _mm512_maskz_mov_ps(big, _mm512_set1_ps(SM_LN2)));
}

/* y[i] = sigmoid(x[i]), i < n. */
static void avx512_sigmoid(const float *x, float *y, int64_t n)
{
    int64_t i = 0;
    for (; i + 16 <= n; i += 16) {
        __m512 v = _mm512_loadu_ps(x + i);
        _mm512_storeu_ps(y + i, sigmoid_from(v, exp_neg_abs(v)));
    }
    if (i < n) {
        __mmask16 m = tail_mask(n - i);
        __m512 v = _mm512_maskz_loadu_ps(m, x + i);
        _mm512_mask_storeu_ps(y + i, m, sigmoid_from(v, exp_neg_abs(v)));
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
    for (; i + 16 <= d; i += 16) {
        __m512 x = _mm512_loadu_ps(in + i), acc = _mm512_loadu_ps(grad + i);
        for (int t = 0; t < nb; t++) {
            __m512 gt = _mm512_set1_ps(g[t]);
            __m512 o = _mm512_loadu_ps(rows[t] + i);
            acc = _mm512_fmadd_ps(gt, o, acc);
            _mm512_storeu_ps(rows[t] + i, _mm512_fmadd_ps(gt, x, o));
        }
        _mm512_storeu_ps(grad + i, acc);
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
    __m512 s0 = _mm512_setzero_ps(), s1 = s0, s2 = s0, s3 = s0;
    for (int64_t i = 0; i < d; i += 16) {
        __mmask16 m = d - i >= 16 ? (__mmask16)0xffff : tail_mask(d - i);
        __m512 v = _mm512_maskz_loadu_ps(m, x + i);
        s0 = _mm512_fmadd_ps(v, _mm512_maskz_loadu_ps(m, r0 + i), s0);
        s1 = _mm512_fmadd_ps(v, _mm512_maskz_loadu_ps(m, r1 + i), s1);
        s2 = _mm512_fmadd_ps(v, _mm512_maskz_loadu_ps(m, r2 + i), s2);
        s3 = _mm512_fmadd_ps(v, _mm512_maskz_loadu_ps(m, r3 + i), s3);
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
 * in blocks of up to 16 with no repeated pointer inside a block: all dots of
 * a block are computed first (each row's dot then already sees the updates
 * of earlier blocks, and no row of the block is updated before its own dot),
 * scored in one register (lane t = row t of the block), then updated in
 * order. */
static float avx512_ns_step(const float *in, float *const *out, int n,
                            int64_t d, float lr, float *grad)
{
    float loss = 0.0f;
    for (int t0 = 0; t0 < n;) {
        int nb = sm_distinct_run(out, t0, n, 16);
        float *const *rows = out + t0;
        __m512 vs = _mm512_castps128_ps512(dot4_rows(in, rows, nb < 4 ? nb : 4, d));
        if (nb > 4)
            vs = _mm512_insertf32x4(vs, dot4_rows(in, rows + 4, nb - 4, d), 1);
        if (nb > 8)
            vs = _mm512_insertf32x4(vs, dot4_rows(in, rows + 8, nb - 8, d), 2);
        if (nb > 12)
            vs = _mm512_insertf32x4(vs, dot4_rows(in, rows + 12, nb - 12, d), 3);
        __mmask16 valid = tail_mask(nb);
        vs = _mm512_maskz_mov_ps(valid, vs);
        __m512 e = exp_neg_abs(vs);
        /* lane 0 of the first block is the target (label 1) */
        __mmask16 target = t0 == 0 ? (__mmask16)1 : (__mmask16)0;
        __m512 label = _mm512_maskz_mov_ps(target, _mm512_set1_ps(1.0f));
        /* loss: softplus(z) = max(z, 0) + log(1 + exp(-|z|)), z = -s for the
         * target and s for noise (|z| = |s|, so e serves both) */
        __m512 z = _mm512_mask_xor_ps(vs, target, vs, _mm512_set1_ps(-0.0f));
        __m512 l = _mm512_add_ps(_mm512_max_ps(z, _mm512_setzero_ps()),
                                 log1p_unit(e));
        loss += _mm512_mask_reduce_add_ps(valid, l);
        float g[16];
        _mm512_storeu_ps(g, _mm512_mul_ps(_mm512_set1_ps(lr),
                                          _mm512_sub_ps(label,
                                                        sigmoid_from(vs, e))));
        ns_update(in, rows, g, nb, d, grad);
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
    const float *a0 = a, *a1 = a + (mr > 1 ? lda : 0),
                *a2 = a + (mr > 2 ? 2 * lda : 0),
                *a3 = a + (mr > 3 ? 3 * lda : 0);
    const float *b0 = b, *b1 = b + (nr > 1 ? ldb : 0),
                *b2 = b + (nr > 2 ? 2 * ldb : 0),
                *b3 = b + (nr > 3 ? 3 * ldb : 0);
    __m512 c00 = _mm512_setzero_ps(), c01 = c00, c02 = c00, c03 = c00;
    __m512 c10 = c00, c11 = c00, c12 = c00, c13 = c00;
    __m512 c20 = c00, c21 = c00, c22 = c00, c23 = c00;
    __m512 c30 = c00, c31 = c00, c32 = c00, c33 = c00;
    for (int64_t k = 0; k < d; k += 16) {
        __mmask16 m = d - k >= 16 ? (__mmask16)0xffff : tail_mask(d - k);
        __m512 x0 = _mm512_maskz_loadu_ps(m, a0 + k);
        __m512 x1 = _mm512_maskz_loadu_ps(m, a1 + k);
        __m512 x2 = _mm512_maskz_loadu_ps(m, a2 + k);
        __m512 x3 = _mm512_maskz_loadu_ps(m, a3 + k);
        __m512 y = _mm512_maskz_loadu_ps(m, b0 + k);
        c00 = _mm512_fmadd_ps(x0, y, c00);
        c10 = _mm512_fmadd_ps(x1, y, c10);
        c20 = _mm512_fmadd_ps(x2, y, c20);
        c30 = _mm512_fmadd_ps(x3, y, c30);
        y = _mm512_maskz_loadu_ps(m, b1 + k);
        c01 = _mm512_fmadd_ps(x0, y, c01);
        c11 = _mm512_fmadd_ps(x1, y, c11);
        c21 = _mm512_fmadd_ps(x2, y, c21);
        c31 = _mm512_fmadd_ps(x3, y, c31);
        y = _mm512_maskz_loadu_ps(m, b2 + k);
        c02 = _mm512_fmadd_ps(x0, y, c02);
        c12 = _mm512_fmadd_ps(x1, y, c12);
        c22 = _mm512_fmadd_ps(x2, y, c22);
        c32 = _mm512_fmadd_ps(x3, y, c32);
        y = _mm512_maskz_loadu_ps(m, b3 + k);
        c03 = _mm512_fmadd_ps(x0, y, c03);
        c13 = _mm512_fmadd_ps(x1, y, c13);
        c23 = _mm512_fmadd_ps(x2, y, c23);
        c33 = _mm512_fmadd_ps(x3, y, c33);
    }
    __m128 r[4] = {hsum4(c00, c01, c02, c03), hsum4(c10, c11, c12, c13),
                   hsum4(c20, c21, c22, c23), hsum4(c30, c31, c32, c33)};
    sm_store_tile(r, mr, nr, c, ldc);
}

/* The one-row case of gemm_nt (see sm_gemv_nt). */
static void gemv_nt(const float *a, const float *b, int64_t ldb, float *c,
                    int64_t n, int64_t d)
{
    sm_gemv_nt(dot4, a, b, ldb, c, n, d);
}

/* C = A B^T as in the kernel.h contract: strips of 4 rows of A (see
 * sm_gemm_nt). */
static void avx512_gemm_nt(const float *a, int64_t lda, const float *b,
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
    __m512 acc[8];
#pragma GCC unroll 8
    for (int r = 0; r < R; r++)
        acc[r] = _mm512_loadu_ps(y + k + 16 * r);
    for (int j = 0; j < n; j++) {
        const __m512 aj = _mm512_set1_ps(a[j]);
        const float *xj = x + j * ldx + k;
#pragma GCC unroll 8
        for (int r = 0; r < R; r++)
            acc[r] = _mm512_fmadd_ps(aj, _mm512_loadu_ps(xj + 16 * r), acc[r]);
    }
#pragma GCC unroll 8
    for (int r = 0; r < R; r++)
        _mm512_storeu_ps(y + k + 16 * r, acc[r]);
}

/* y += X^T a (sm_axpy_rows). */
static void avx512_axpy_rows(const float *a, const float *x, int64_t ldx,
                             int n, float *y, int64_t d)
{
    sm_axpy_rows(axpy_rows_block, 16, a, x, ldx, n, y, d);
}

static double avx512_log_sum_exp(const float *s, int64_t n)
{
    return lse_log_sum_exp(s, n);
}

const kernel kernel_avx512 = {
    .name = "avx512",
    .dot = avx512_dot,
    .axpy = avx512_axpy,
    .sigmoid = avx512_sigmoid,
    .ns_step = avx512_ns_step,
    .gemm_nt = avx512_gemm_nt,
    .axpy_rows = avx512_axpy_rows,
    .log_sum_exp = avx512_log_sum_exp,
};
