/* kernel_avx512.c - the kernel table for x86-64 CPUs with AVX-512: the
 * vector layer of simd_body.h in AVX-512 terms, then that body.
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
 *   sigmoid    [ 16 ] ... [ r<16 masked load and store ]
 *   ns_step    dots of the block's rows, 4 at a time sharing the loads of
 *              `in` -> one __m512 of scores (lane t) ->
 *              sigmoid + loss for up to 16 rows at once -> one pass over d
 *              that updates grad (in a register) and every row of the block
 *   ns_batch_grad  an output row's scores 16 inputs at a time (the last
 *              run masked): sigmoid, gradient and loss in registers, the
 *              gradients stored whole and, transposed, one float at a time
 *   gemm_nt    4 rows of A x 4 rows of B per tile: 16 accumulators + 4 A
 *              loads + 1 B load = 21 of the 32 zmm registers; B in L2-sized
 *              panels
 * exp ends with vscalefps (p 2^n), which rounds subnormal results once. */
#include "kernel.h"

#include <immintrin.h>

#define VLEN 16
#define VEC __m512
#define VMASK __mmask16
#define VEC4 __m128
#define TILE_ROWS 4

#define vzero _mm512_setzero_ps
#define vset1 _mm512_set1_ps
#define vload _mm512_loadu_ps
#define vstore _mm512_storeu_ps
#define vadd _mm512_add_ps
#define vsub _mm512_sub_ps
#define vmul _mm512_mul_ps
#define vdiv _mm512_div_ps
#define vmin _mm512_min_ps
#define vmax _mm512_max_ps
#define vxor _mm512_xor_ps
#define vfmadd _mm512_fmadd_ps
#define vfnmadd _mm512_fnmadd_ps
#define vfnmsub _mm512_fnmsub_ps
#define vabs _mm512_abs_ps
#define vround(v) \
    _mm512_roundscale_ps((v), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC)
#define vcmp_ge(a, b) _mm512_cmp_ps_mask((a), (b), _CMP_GE_OQ)
#define vcmp_gt(a, b) _mm512_cmp_ps_mask((a), (b), _CMP_GT_OQ)
#define vselect(m, a, b) _mm512_mask_blend_ps((m), (b), (a))
#define vkeep _mm512_maskz_mov_ps
#define vhsum _mm512_reduce_add_ps
#define vscalef _mm512_scalef_ps
#define vzero4 _mm_setzero_ps
#define vstore4 _mm_storeu_ps
#define vcombine4(q)                                                      \
    _mm512_insertf32x4(                                                   \
        _mm512_insertf32x4(                                               \
            _mm512_insertf32x4(_mm512_castps128_ps512((q)[0]), (q)[1], 1), \
            (q)[2], 2),                                                   \
        (q)[3], 3)

/* The mask of lanes 0..r-1, 0 <= r <= 16. */
static inline __mmask16 vmask_first(int64_t r)
{
    return (__mmask16)((1u << r) - 1u);
}

/* The r < 16 floats at p, zeros above; masked-off lanes are not read. */
static inline __m512 vload_part(const float *p, int64_t r)
{
    return _mm512_maskz_loadu_ps(vmask_first(r), p);
}

/* Lanes 0..r-1 of v to p (r < 16), by a masked store. */
static inline void vstore_part(float *p, int64_t r, __m512 v)
{
    _mm512_mask_storeu_ps(p, vmask_first(r), v);
}

/* The mask of lanes t < r whose int p[t] is j (0 < r <= 16); masked-off
 * lanes are not read. */
static inline __mmask16 vmatch_i32(const int *p, int64_t r, int j)
{
    __mmask16 k = vmask_first(r);
    return _mm512_mask_cmpeq_epi32_mask(k, _mm512_maskz_loadu_epi32(k, p),
                                        _mm512_set1_epi32(j));
}

/* {sum(v0), sum(v1), sum(v2), sum(v3)}: halves added, then horizontal adds. */
static inline __m128 vhsum4(__m512 v0, __m512 v1, __m512 v2, __m512 v3)
{
#define HALVES(v) \
    _mm256_add_ps(_mm512_castps512_ps256(v), _mm512_extractf32x8_ps(v, 1))
    __m256 t = _mm256_hadd_ps(_mm256_hadd_ps(HALVES(v0), HALVES(v1)),
                              _mm256_hadd_ps(HALVES(v2), HALVES(v3)));
#undef HALVES
    return _mm_add_ps(_mm256_castps256_ps128(t), _mm256_extractf128_ps(t, 1));
}

#include "simd_body.h"

const kernel kernel_avx512 = SIMD_KERNEL("avx512");
