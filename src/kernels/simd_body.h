/* simd_body.h - the SIMD kernel body, written once over a thin vector layer
 * that each ISA file (kernel_avx2.c, kernel_avx512.c, kernel_neon.c)
 * defines before including this header; private to them.
 *
 * The vector layer.  Lanes are floats, VLEN of them per VEC; "mask" is a
 * per-lane predicate of type VMASK.  Each name is a macro or a static inline
 * function of the including file:
 *   VEC, VLEN           the register type and its lane count (4, 8 or 16)
 *   VMASK, VEC4         a mask; four floats (a 128-bit register)
 *   TILE_ROWS           rows of A per gemm_nt tile (each meets 4 rows of B)
 *   vzero() vset1(s)    every lane 0 / s
 *   vload(p)            VLEN floats from p, unaligned
 *   vstore(p, v)        VLEN floats to p, unaligned
 *   vload_part(p, r)    the r floats at p (0 < r < VLEN), zeros above;
 *                       touches no memory past p + r
 *   vstore_part(p, r, v)  lanes 0..r-1 of v to p; nothing past p + r
 *   vadd vsub vmul vdiv (a, b)   lane-wise a op b
 *   vmin vmax (a, b)    as the ISA's instruction (NaN: see exp_neg_abs)
 *   vfmadd(a, b, c)     a b + c       } each rounded once
 *   vfnmadd(a, b, c)    c - a b       }
 *   vfnmsub(a, b, c)    -(a b) - c    }
 *   vabs(v)             |v| (clears the sign bit)
 *   vround(v)           to the nearest integer, ties to even
 *   vxor(a, b)          bitwise exclusive or
 *   vcmp_ge vcmp_gt (a, b)  the mask of a >= b / a > b (false for NaN)
 *   vmask_first(r)      the mask of lanes 0..r-1, 0 <= r <= VLEN
 *   vmatch_i32(p, r, j) the mask of lanes t < r whose int p[t] == j, for
 *                       0 < r <= VLEN; touches no memory past p + r
 *   vselect(m, a, b)    a where m is set, else b
 *   vkeep(m, v)         v where m is set, else 0
 *   vhsum(v)            the sum of the lanes, as a float
 *   vhsum4(v0, v1, v2, v3)  the VEC4 {vhsum(v0), .., vhsum(v3)} (each sum
 *                       in the ISA's own order of adds)
 *   vzero4() vstore4(p, q)  a VEC4 of zeros / its 4 floats to p
 *   vcombine4(q)        the VEC whose lanes 4j..4j+3 are q[j], j < VLEN/4
 * and, for the scaling by 2^n that ends exp, either
 *   vscalef(p, n)       p 2^n, rounded once (AVX-512)
 * or the 32-bit integer lanes it is built from otherwise:
 *   VECI                the integer register type
 *   vcvt_i32(v)         integral float lanes to int32
 *   vsub_i32(a, b)      a - b;  vhalf_i32(k): floor(k / 2)
 *   vpow2_i32(k)        the float 2^k, for -126 <= k <= 127
 *
 * Every body has the same shapes, in units of VLEN (the ISA files draw them
 * with their numbers): dot and axpy run 4 VLEN floats at a time (dot in 4
 * independent accumulators, to hide the FMA latency), then VLEN at a time;
 * the other loops over d take VLEN at a time, their independent chains being
 * the 4 rows of dot4, the accumulators of a gemm tile, the rows of an
 * ns_step block or the registers of an axpy_rows block.  The last d % VLEN
 * floats are loaded by vload_part; tails that store are scalar loops (a
 * partial store does not forward to the next load of the same row), except
 * sigmoid's (vstore_part), whose output is not re-read at once.
 *
 * This header defines the static functions of a kernel table (kernel.h) and
 * SIMD_KERNEL(label), the initializer of the including file's table. */
#ifndef W2V_SIMD_BODY_H
#define W2V_SIMD_BODY_H

#include <stdint.h>

#include "kernel.h"
#include "lse.h"
#include "simd.h"

/* Returns sum_i a[i] * b[i], i < d. */
static float simd_dot(const float *a, const float *b, int64_t d)
{
    VEC s0 = vzero(), s1 = s0, s2 = s0, s3 = s0;
    int64_t i = 0;
    for (; i + 4 * VLEN <= d; i += 4 * VLEN) {
        s0 = vfmadd(vload(a + i), vload(b + i), s0);
        s1 = vfmadd(vload(a + i + VLEN), vload(b + i + VLEN), s1);
        s2 = vfmadd(vload(a + i + 2 * VLEN), vload(b + i + 2 * VLEN), s2);
        s3 = vfmadd(vload(a + i + 3 * VLEN), vload(b + i + 3 * VLEN), s3);
    }
    for (; i + VLEN <= d; i += VLEN)
        s0 = vfmadd(vload(a + i), vload(b + i), s0);
    if (i < d)
        s1 = vfmadd(vload_part(a + i, d - i), vload_part(b + i, d - i), s1);
    return vhsum(vadd(vadd(s0, s1), vadd(s2, s3)));
}

/* y[i] += alpha * x[i], i < d. */
static void simd_axpy(float alpha, const float *x, float *y, int64_t d)
{
    const VEC va = vset1(alpha);
    int64_t i = 0;
    for (; i + 4 * VLEN <= d; i += 4 * VLEN)
        for (int k = 0; k < 4 * VLEN; k += VLEN)
            vstore(y + i + k,
                   vfmadd(va, vload(x + i + k), vload(y + i + k)));
    for (; i + VLEN <= d; i += VLEN)
        vstore(y + i, vfmadd(va, vload(x + i), vload(y + i)));
    for (; i < d; i++)
        y[i] += alpha * x[i];
}

/* p 2^n per lane for integral n in [-150, 0], subnormal results rounded
 * only once. */
static inline VEC scale_pow2(VEC p, VEC n)
{
#ifdef vscalef
    return vscalef(p, n);
#else
    /* 2^n1 2^n2 with n1 = floor(n/2): both >= -75, so each factor is a
     * normal float and only the second product rounds */
    VECI ni = vcvt_i32(n), n1 = vhalf_i32(ni);
    return vmul(vmul(p, vpow2_i32(n1)), vpow2_i32(vsub_i32(ni, n1)));
#endif
}

/* exp(-|x|) per lane; see simd.h for the method and its error.  |x| is
 * clamped at SM_EXP_CLAMP, where the result has already rounded to 0, so
 * huge and infinite inputs give exactly 0; NaN stays NaN (x86 min returns
 * its second operand when either is NaN, AArch64 FMIN returns the NaN). */
static inline VEC exp_neg_abs(VEC x)
{
    VEC ax = vmin(vset1(SM_EXP_CLAMP), vabs(x));
    /* n = round(-|x| / ln 2) in [-150, 0]; r = -|x| - n ln 2, |r| <= ln2/2 */
    VEC n = vround(vmul(ax, vset1(-SM_LOG2E)));
    VEC r = vfnmsub(n, vset1(SM_LN2_HI), ax);
    r = vfnmadd(n, vset1(SM_LN2_LO), r);
    /* exp(r) by its Taylor polynomial of degree 7 (Horner) */
    VEC p = vset1(SM_C7);
    p = vfmadd(p, r, vset1(SM_C6));
    p = vfmadd(p, r, vset1(SM_C5));
    p = vfmadd(p, r, vset1(SM_C4));
    p = vfmadd(p, r, vset1(SM_C3));
    p = vfmadd(p, r, vset1(SM_C2));
    p = vfmadd(p, r, vset1(1.0f));
    p = vfmadd(p, r, vset1(1.0f));
    return scale_pow2(p, n);
}

/* sigmoid(x) per lane from e = exp(-|x|): 1/(1+e) for x >= 0, e/(1+e) for
 * x < 0 (never exp of a positive number, so nothing overflows). */
static inline VEC sigmoid_from(VEC x, VEC e)
{
    const VEC one = vset1(1.0f);
    return vdiv(vselect(vcmp_ge(x, vzero()), one, e), vadd(one, e));
}

/* log(1 + e) per lane for 0 <= e <= 1 (NaN stays NaN).  1 + e = 2^k m with
 * k = [e > sqrt2 - 1], so f = m - 1 is e or (e - 1)/2, both formed without
 * cancellation; log m = 2 atanh(s), s = f/(2 + f), |s| <= 3 - 2 sqrt2. */
static inline VEC log1p_unit(VEC e)
{
    const VEC one = vset1(1.0f);
    VMASK big = vcmp_gt(e, vset1(SM_SQRT2_M1));
    VEC f = vselect(big, vmul(vsub(e, one), vset1(0.5f)), e);
    VEC s = vdiv(f, vadd(vset1(2.0f), f));
    VEC z = vmul(s, s);
    VEC q = vset1(SM_A9);
    q = vfmadd(q, z, vset1(SM_A7));
    q = vfmadd(q, z, vset1(SM_A5));
    q = vfmadd(q, z, vset1(SM_A3));
    q = vfmadd(q, z, vset1(2.0f));
    return vfmadd(s, q, vkeep(big, vset1(SM_LN2)));
}

/* y[i] = sigmoid(x[i]), i < n. */
static void simd_sigmoid(const float *x, float *y, int64_t n)
{
    int64_t i = 0;
    for (; i + VLEN <= n; i += VLEN) {
        VEC v = vload(x + i);
        vstore(y + i, sigmoid_from(v, exp_neg_abs(v)));
    }
    if (i < n) {
        VEC v = vload_part(x + i, n - i);
        vstore_part(y + i, n - i, sigmoid_from(v, exp_neg_abs(v)));
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
    for (; i + VLEN <= d; i += VLEN) {
        VEC x = vload(in + i), acc = vload(grad + i);
        for (int t = 0; t < nb; t++) {
            VEC gt = vset1(g[t]);
            VEC o = vload(rows[t] + i);
            acc = vfmadd(gt, o, acc);
            vstore(rows[t] + i, vfmadd(gt, x, o));
        }
        vstore(grad + i, acc);
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
static inline VEC4 dot4(const float *x, const float *r0, const float *r1,
                        const float *r2, const float *r3, int64_t d)
{
    VEC s0 = vzero(), s1 = s0, s2 = s0, s3 = s0;
    int64_t i = 0;
    for (; i + VLEN <= d; i += VLEN) {
        VEC v = vload(x + i);
        s0 = vfmadd(v, vload(r0 + i), s0);
        s1 = vfmadd(v, vload(r1 + i), s1);
        s2 = vfmadd(v, vload(r2 + i), s2);
        s3 = vfmadd(v, vload(r3 + i), s3);
    }
    if (i < d) {
        int64_t r = d - i;
        VEC v = vload_part(x + i, r);
        s0 = vfmadd(v, vload_part(r0 + i, r), s0);
        s1 = vfmadd(v, vload_part(r1 + i, r), s1);
        s2 = vfmadd(v, vload_part(r2 + i, r), s2);
        s3 = vfmadd(v, vload_part(r3 + i, r), s3);
    }
    return vhsum4(s0, s1, s2, s3);
}

/* dot4 of `in` with the first min(nr, 4) of rows[] (missing rows repeat
 * rows[0]; their lanes are to be ignored). */
static inline VEC4 dot4_rows(const float *in, float *const *rows, int nr,
                             int64_t d)
{
    return dot4(in, rows[0], rows[nr > 1 ? 1 : 0], rows[nr > 2 ? 2 : 0],
                rows[nr > 3 ? 3 : 0], d);
}

/* Lane t of the result is in . rows[t] for t < nb <= VLEN; the other lanes
 * are to be ignored.  Four rows per pass over in. */
static inline VEC block_dots(const float *in, float *const *rows, int nb,
                             int64_t d)
{
    VEC4 q[VLEN / 4];
#pragma GCC unroll 4
    for (int j = 0; j < VLEN / 4; j++)
        q[j] = 4 * j < nb ? dot4_rows(in, rows + 4 * j, nb - 4 * j, d)
                          : vzero4();
    return vcombine4(q);
}

/* The fused negative-sampling step of the kernel.h contract.  Rows are taken
 * in blocks of up to VLEN with no repeated pointer inside a block: all dots
 * of a block are computed first (each row's dot then already sees the
 * updates of earlier blocks, and no row of the block is updated before its
 * own dot), scored in one register (lane t = row t of the block), then
 * updated in order. */
static float simd_ns_step(const float *in, float *const *out, int n,
                          int64_t d, float lr, float *grad)
{
    float loss = 0.0f;
    for (int t0 = 0; t0 < n;) {
        int nb = sm_distinct_run(out, t0, n, VLEN);
        VMASK valid = vmask_first(nb);
        VEC vs = vkeep(valid, block_dots(in, out + t0, nb, d));
        VEC e = exp_neg_abs(vs);
        /* lane 0 of the first block is the target (label 1) */
        VMASK target = vmask_first(t0 == 0);
        VEC label = vkeep(target, vset1(1.0f));
        /* loss: softplus(z) = max(z, 0) + log(1 + exp(-|z|)), z = -s for the
         * target and s for noise (|z| = |s|, so e serves both) */
        VEC z = vxor(vs, vkeep(target, vset1(-0.0f)));
        VEC l = vadd(vmax(z, vzero()), log1p_unit(e));
        loss += vhsum(vkeep(valid, l));
        float g[VLEN];
        vstore(g, vmul(vset1(lr), vsub(label, sigmoid_from(vs, e))));
        ns_update(in, out + t0, g, nb, d, grad);
        t0 += nb;
    }
    return loss;
}

/* The VLEN floats at p + k, or the r = tail floats there when tail > 0. */
static inline __attribute__((always_inline)) VEC
load_step(const float *p, int64_t k, int64_t tail)
{
    return tail > 0 ? vload_part(p + k, tail) : vload(p + k);
}

/* One step of a gemm tile of R rows along d: acc[i][j] += a_i . b_j over
 * the floats at k (VLEN of them, or `tail` when tail > 0). */
static inline __attribute__((always_inline)) void
tile_step(VEC acc[TILE_ROWS][4], const float *const ar[TILE_ROWS],
          const float *const br[4], int64_t k, int64_t tail, int R)
{
    VEC x[TILE_ROWS];
#pragma GCC unroll 4
    for (int i = 0; i < R; i++)
        x[i] = load_step(ar[i], k, tail);
#pragma GCC unroll 4
    for (int j = 0; j < 4; j++) {
        VEC y = load_step(br[j], k, tail);
#pragma GCC unroll 4
        for (int i = 0; i < R; i++)
            acc[i][j] = vfmadd(x[i], y, acc[i][j]);
    }
}

/* Stores a tile's results: lanes 0..nr-1 of r[i] to c + i * ldc, i < mr. */
static inline void store_tile(const VEC4 *r, int mr, int nr, float *c,
                              int64_t ldc)
{
    for (int i = 0; i < mr; i++) {
        if (nr == 4) {
            vstore4(c + i * ldc, r[i]);
        } else {
            float tmp[4];
            vstore4(tmp, r[i]);
            for (int j = 0; j < nr; j++)
                c[i * ldc + j] = tmp[j];
        }
    }
}

/* A tile of R rows of A (R <= TILE_ROWS, a constant once inlined) against
 * 4 of B: c[i * ldc + j] = a[i] . b[j] for i < R, j < nr <= 4.  Missing
 * rows of B are read as copies of the first (their sums are computed and
 * dropped), so every tile of R rows runs 4 R FMAs per step, in R x 4
 * accumulators. */
static inline __attribute__((always_inline)) void
gemm_tile_rows(const float *const *a, const float *const *b, int nr,
               float *c, int64_t ldc, int64_t d, int R)
{
    const float *ar[TILE_ROWS], *br[4];
#pragma GCC unroll 4
    for (int i = 0; i < R; i++)
        ar[i] = a[i];
#pragma GCC unroll 4
    for (int j = 0; j < 4; j++)
        br[j] = b[j < nr ? j : 0];
    VEC acc[TILE_ROWS][4];
#pragma GCC unroll 4
    for (int i = 0; i < R; i++)
#pragma GCC unroll 4
        for (int j = 0; j < 4; j++)
            acc[i][j] = vzero();
    int64_t k = 0;
    for (; k + VLEN <= d; k += VLEN)
        tile_step(acc, ar, br, k, 0, R);
    if (k < d)
        tile_step(acc, ar, br, k, d - k, R);
    VEC4 r[TILE_ROWS];
#pragma GCC unroll 4
    for (int i = 0; i < R; i++)
        r[i] = vhsum4(acc[i][0], acc[i][1], acc[i][2], acc[i][3]);
    store_tile(r, R, nr, c, ldc);
}

/* One tile of C = A B^T: c[i * ldc + j] = a[i] . b[j] for i < mr <=
 * TILE_ROWS, j < nr <= 4, by the tile of exactly mr rows (a short last
 * strip of A computes no rows it does not store). */
static void gemm_tile(const float *const *a, int mr, const float *const *b,
                      int nr, float *c, int64_t ldc, int64_t d)
{
    if (mr == TILE_ROWS)
        gemm_tile_rows(a, b, nr, c, ldc, d, TILE_ROWS);
    else if (mr == 1)
        gemm_tile_rows(a, b, nr, c, ldc, d, 1);
    else if (mr == 2)
        gemm_tile_rows(a, b, nr, c, ldc, d, 2);
    else /* mr == 3 < TILE_ROWS */
        gemm_tile_rows(a, b, nr, c, ldc, d, TILE_ROWS > 3 ? 3 : TILE_ROWS);
}

/* c[j] = a . b_j for j < n: the one-row case of gemm_nt (scoring one
 * vector against many rows), 4 rows of B per pass over a. */
static void gemv_nt(const float *a, const float *b, int64_t ldb, float *c,
                    int64_t n, int64_t d)
{
    int64_t j = 0;
    for (; j + 4 <= n; j += 4)
        vstore4(c + j, dot4(a, b + j * ldb, b + (j + 1) * ldb,
                            b + (j + 2) * ldb, b + (j + 3) * ldb, d));
    if (j < n) {
        float tmp[4];
        const float *bj = b + j * ldb;
        vstore4(tmp, dot4(a, bj, bj + (n - j > 1 ? ldb : 0),
                          bj + (n - j > 2 ? 2 * ldb : 0), bj, d));
        for (int64_t k = j; k < n; k++)
            c[k] = tmp[k - j];
    }
}

/* C = A B^T as in the kernel.h contract.  B is walked in panels of about
 * 128 KiB (kept in L2) and each strip of TILE_ROWS rows of A (in L1) meets
 * every 4-row group of the panel through gemm_tile; a strip of one row
 * (m = 1: softmax scoring) goes to gemv_nt instead of wasting most of a
 * tile. */
static void simd_gemm_nt(const float *a, int64_t lda, const float *b,
                         int64_t ldb, float *c, int64_t ldc, int64_t m,
                         int64_t n, int64_t d)
{
    int64_t panel = sm_gemm_panel_rows(d);
    for (int64_t j0 = 0; j0 < n; j0 += panel) {
        int64_t j1 = j0 + panel < n ? j0 + panel : n;
        for (int64_t i = 0; i < m; i += TILE_ROWS) {
            int mr = m - i < TILE_ROWS ? (int)(m - i) : TILE_ROWS;
            if (mr == 1) {
                gemv_nt(a + i * lda, b + j0 * ldb, ldb, c + i * ldc + j0,
                        j1 - j0, d);
                continue;
            }
            const float *ar[TILE_ROWS];
            for (int r = 0; r < mr; r++)
                ar[r] = a + (i + r) * lda;
            for (int64_t j = j0; j < j1; j += 4) {
                int nr = j1 - j < 4 ? (int)(j1 - j) : 4;
                const float *br[4];
                for (int r = 0; r < nr; r++)
                    br[r] = b + (j + r) * ldb;
                gemm_tile(ar, mr, br, nr, c + i * ldc + j, ldc, d);
            }
        }
    }
}

/* C = A B^T with rows by address (kernel.h contract): every tile of
 * TILE_ROWS rows of A meets every 4 rows of B. */
static void simd_gemm_nt_rows(const float *const *a, int m,
                              const float *const *b, int n, float *c,
                              int64_t ldc, int64_t d)
{
    for (int i = 0; i < m; i += TILE_ROWS) {
        int mr = m - i < TILE_ROWS ? m - i : TILE_ROWS;
        for (int j = 0; j < n; j += 4)
            gemm_tile(a + i, mr, b + j, n - j < 4 ? n - j : 4,
                      c + i * ldc + j, ldc, d);
    }
}

/* y[k..k+R*VLEN) += X^T a over those columns: R registers of y (1 <= R
 * <= 8), each with its own chain of fused multiply-adds, so the FMA
 * latency overlaps.  Always inlined, so every R is unrolled. */
static inline __attribute__((always_inline)) void
axpy_rows_block(const float *a, const float *const *x, int n, float *y,
                int64_t k, int R)
{
    VEC acc[8];
#pragma GCC unroll 8
    for (int r = 0; r < R; r++)
        acc[r] = vload(y + k + VLEN * r);
    for (int j = 0; j < n; j++) {
        const VEC aj = vset1(a[j]);
        const float *xj = x[j] + k;
#pragma GCC unroll 8
        for (int r = 0; r < R; r++)
            acc[r] = vfmadd(aj, vload(xj + VLEN * r), acc[r]);
    }
#pragma GCC unroll 8
    for (int r = 0; r < R; r++)
        vstore(y + k + VLEN * r, acc[r]);
}

/* y += X^T a (kernel.h contract): blocks of 8 registers, then the rest of
 * the whole registers in one block (one pass over the n rows: a model row
 * of up to 8 VLEN floats takes one), then a scalar tail; each element sums
 * its n terms in order j = 0..n-1. */
static void simd_axpy_rows(const float *a, const float *const *x, int n,
                           float *y, int64_t d)
{
    int64_t k = 0;
    for (; k + 8 * VLEN <= d; k += 8 * VLEN)
        axpy_rows_block(a, x, n, y, k, 8);
    switch ((d - k) / VLEN) {
    case 7: axpy_rows_block(a, x, n, y, k, 7); break;
    case 6: axpy_rows_block(a, x, n, y, k, 6); break;
    case 5: axpy_rows_block(a, x, n, y, k, 5); break;
    case 4: axpy_rows_block(a, x, n, y, k, 4); break;
    case 3: axpy_rows_block(a, x, n, y, k, 3); break;
    case 2: axpy_rows_block(a, x, n, y, k, 2); break;
    case 1: axpy_rows_block(a, x, n, y, k, 1); break;
    default: break;
    }
    for (k += (d - k) / VLEN * VLEN; k < d; k++) {
        float acc = y[k];
        for (int j = 0; j < n; j++)
            acc += a[j] * x[j][k];
        y[k] = acc;
    }
}

/* The batched step's gradients (kernel.h contract), row j of s VLEN inputs
 * at a time: x = +-s by the label, p = sigmoid(x) and g = lr (1 - p),
 * negated and counted for noise; the loss -log p = max(-x, 0) +
 * log(1 + exp(-|s|)) from the same exp.  Each row's losses are summed in a
 * register, then in double.  g goes to the row whole and to g_t one float
 * at a time (the tail of the row too: both are read back at once). */
static double simd_ns_batch_grad(float *s, float *g_t, int m, int n,
                                 const int *label, const int *weight,
                                 float lr)
{
    static const int zeros[VLEN];
    const VEC one = vset1(1.0f), sign = vset1(-0.0f), rate = vset1(lr);
    double loss = 0.0;
    for (int j = 0; j < n; j++) {
        float *row = s + (int64_t)j * m;
        const VEC count = vset1(weight ? (float)weight[j] : 1.0f);
        VEC sum = vzero();
        for (int i = 0; i < m; i += VLEN) {
            int r = m - i < VLEN ? m - i : VLEN;
            VEC v = r == VLEN ? vload(row + i) : vload_part(row + i, r);
            VMASK positive = vmatch_i32(label ? label + i : zeros, r, j);
            VEC x = vselect(positive, v, vxor(v, sign));
            VEC e = exp_neg_abs(v);
            VEC g = vmul(rate, vsub(one, sigmoid_from(x, e)));
            VEC l = vadd(vmax(vxor(x, sign), vzero()), log1p_unit(e));
            g = vselect(positive, g, vmul(vxor(g, sign), count));
            l = vselect(positive, l, vmul(l, count));
            sum = vadd(sum, vkeep(vmask_first(r), l));
            float buf[VLEN];
            vstore(buf, g);
            if (r == VLEN)
                vstore(row + i, g);
            for (int t = 0; t < r; t++) {
                if (r < VLEN)
                    row[i + t] = buf[t];
                g_t[(int64_t)(i + t) * n + j] = buf[t];
            }
        }
        loss += vhsum(sum);
    }
    return loss;
}

/* The log-sum-exp (kernel.h), lse.h's C compiled at this body's width. */
static double simd_log_sum_exp(const float *s, int64_t n)
{
    return lse_log_sum_exp(s, n);
}

/* The kernel table of these functions, named `label`. */
#define SIMD_KERNEL(label)                                                 \
    {                                                                      \
        .name = (label), .dot = simd_dot, .axpy = simd_axpy,                \
        .sigmoid = simd_sigmoid, .ns_step = simd_ns_step,                  \
        .gemm_nt = simd_gemm_nt, .gemm_nt_rows = simd_gemm_nt_rows,         \
        .axpy_rows = simd_axpy_rows,                                       \
        .ns_batch_grad = simd_ns_batch_grad,                               \
        .log_sum_exp = simd_log_sum_exp,                                   \
    }

#endif
