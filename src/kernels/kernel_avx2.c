/* kernel_avx2.c - the kernel table for x86-64 CPUs with AVX2 and FMA: the
 * vector layer of simd_body.h in AVX2 terms, then that body.
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
 *   sigmoid    [ 8 ] ... [ r<8 masked load, stored through a buffer ]
 *   ns_step    dots of the block's rows, 4 at a time sharing the loads of
 *              `in` -> one __m256 of scores (lane t) ->
 *              sigmoid + loss for all lanes at once -> one pass over d that
 *              updates grad (kept in a register) and every row of the block
 *   ns_batch_grad  an output row's scores 8 inputs at a time (the last
 *              run masked): sigmoid, gradient and loss in registers, the
 *              gradients stored whole and, transposed, one float at a time
 *   gemm_nt    3 rows of A x 4 rows of B per tile: 12 accumulators + 3 A
 *              loads + 1 B load = 16 ymm registers; B in L2-sized panels */
#include "kernel.h"

#include <immintrin.h>

#define VLEN 8
#define VEC __m256
#define VMASK __m256 /* all-ones or all-zeros lanes */
#define VEC4 __m128
#define VECI __m256i
#define TILE_ROWS 3

#define vzero _mm256_setzero_ps
#define vset1 _mm256_set1_ps
#define vload _mm256_loadu_ps
#define vstore _mm256_storeu_ps
#define vadd _mm256_add_ps
#define vsub _mm256_sub_ps
#define vmul _mm256_mul_ps
#define vdiv _mm256_div_ps
#define vmin _mm256_min_ps
#define vmax _mm256_max_ps
#define vxor _mm256_xor_ps
#define vfmadd _mm256_fmadd_ps
#define vfnmadd _mm256_fnmadd_ps
#define vfnmsub _mm256_fnmsub_ps
#define vabs(v) _mm256_andnot_ps(_mm256_set1_ps(-0.0f), (v))
#define vround(v) \
    _mm256_round_ps((v), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC)
#define vcmp_ge(a, b) _mm256_cmp_ps((a), (b), _CMP_GE_OQ)
#define vcmp_gt(a, b) _mm256_cmp_ps((a), (b), _CMP_GT_OQ)
#define vselect(m, a, b) _mm256_blendv_ps((b), (a), (m))
#define vkeep _mm256_and_ps
#define vzero4 _mm_setzero_ps
#define vstore4 _mm_storeu_ps
#define vcombine4(q) _mm256_set_m128((q)[1], (q)[0])
#define vcvt_i32 _mm256_cvtps_epi32
#define vsub_i32 _mm256_sub_epi32
#define vhalf_i32(k) _mm256_srai_epi32((k), 1)
#define vpow2_i32(k) \
    _mm256_castsi256_ps(_mm256_slli_epi32( \
        _mm256_add_epi32((k), _mm256_set1_epi32(127)), 23))

/* Lanes 0..r-1 set, for 0 <= r <= 8, as vmaskmovps wants them. */
static inline __m256i tail_mask(int64_t r)
{
    return _mm256_cmpgt_epi32(_mm256_set1_epi32((int)r),
                              _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
}

/* The mask of lanes 0..r-1, 0 <= r <= 8. */
static inline __m256 vmask_first(int64_t r)
{
    return _mm256_castsi256_ps(tail_mask(r));
}

/* The r < 8 floats at p, zeros above; masked-off lanes are not read. */
static inline __m256 vload_part(const float *p, int64_t r)
{
    return _mm256_maskload_ps(p, tail_mask(r));
}

/* Lanes 0..r-1 of v to p (r < 8), through a buffer: no vmaskmovps store. */
static inline void vstore_part(float *p, int64_t r, __m256 v)
{
    float buf[8];
    _mm256_storeu_ps(buf, v);
    for (int64_t j = 0; j < r; j++)
        p[j] = buf[j];
}

/* The mask of lanes t < r whose int p[t] is j (0 < r <= 8); masked-off
 * lanes are not read. */
static inline __m256 vmatch_i32(const int *p, int64_t r, int j)
{
    __m256i k = tail_mask(r);
    __m256i eq = _mm256_cmpeq_epi32(_mm256_maskload_epi32(p, k),
                                    _mm256_set1_epi32(j));
    return _mm256_castsi256_ps(_mm256_and_si256(k, eq));
}

/* Sum of the 8 lanes of v. */
static inline float vhsum(__m256 v)
{
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(v),
                          _mm256_extractf128_ps(v, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
}

/* {sum(v0), sum(v1), sum(v2), sum(v3)}: three horizontal adds and one add
 * instead of four separate reductions. */
static inline __m128 vhsum4(__m256 v0, __m256 v1, __m256 v2, __m256 v3)
{
    __m256 t = _mm256_hadd_ps(_mm256_hadd_ps(v0, v1), _mm256_hadd_ps(v2, v3));
    return _mm_add_ps(_mm256_castps256_ps128(t), _mm256_extractf128_ps(t, 1));
}

#include "simd_body.h"

const kernel kernel_avx2 = SIMD_KERNEL("avx2");
