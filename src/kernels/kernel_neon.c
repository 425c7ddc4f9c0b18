/* kernel_neon.c - the kernel table for AArch64 (Advanced SIMD, which every
 * AArch64 CPU has, so no run-time check is needed): the vector layer of
 * simd_body.h in NEON terms, then that body.
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
 *   ns_batch_grad  an output row's scores 4 inputs at a time (the last
 *              run through a buffer): sigmoid, gradient and loss in
 *              registers, the gradients stored whole and, transposed, one
 *              float at a time
 *   gemm_nt    4 rows of A x 4 rows of B per tile: 16 accumulators + 4 A
 *              loads + 1 B load = 21 of the 32 vector registers
 * exp scales by 2^n in two factors, as the AVX2 body does. */
#include "kernel.h"

#include <arm_neon.h>
#include <string.h>

#define VLEN 4
#define VEC float32x4_t
#define VMASK uint32x4_t /* all-ones or all-zeros lanes */
#define VEC4 float32x4_t
#define VECI int32x4_t
#define TILE_ROWS 4

#define vzero() vdupq_n_f32(0.0f)
#define vset1 vdupq_n_f32
#define vload vld1q_f32
#define vstore vst1q_f32
#define vadd vaddq_f32
#define vsub vsubq_f32
#define vmul vmulq_f32
#define vdiv vdivq_f32
#define vmin vminq_f32
#define vmax vmaxq_f32
#define vxor(a, b)                                                        \
    vreinterpretq_f32_u32(                                                \
        veorq_u32(vreinterpretq_u32_f32(a), vreinterpretq_u32_f32(b)))
#define vfmadd(a, b, c) vfmaq_f32((c), (a), (b))
#define vfnmadd(a, b, c) vfmsq_f32((c), (a), (b))
#define vfnmsub(a, b, c) vfmsq_f32(vnegq_f32(c), (a), (b))
#define vabs vabsq_f32
#define vround vrndnq_f32
#define vcmp_ge vcgeq_f32
#define vcmp_gt vcgtq_f32
#define vselect vbslq_f32
#define vkeep(m, v) \
    vreinterpretq_f32_u32(vandq_u32((m), vreinterpretq_u32_f32(v)))
#define vhsum vaddvq_f32
#define vzero4 vzero
#define vstore4 vst1q_f32
#define vcombine4(q) ((q)[0])
#define vcvt_i32 vcvtq_s32_f32
#define vsub_i32 vsubq_s32
#define vhalf_i32(k) vshrq_n_s32((k), 1)
#define vpow2_i32(k) \
    vreinterpretq_f32_s32(vshlq_n_s32(vaddq_s32((k), vdupq_n_s32(127)), 23))

/* The mask of lanes 0..r-1, 0 <= r <= 4. */
static inline uint32x4_t vmask_first(int64_t r)
{
    static const uint32_t lane[4] = {0, 1, 2, 3};
    return vcltq_u32(vld1q_u32(lane), vdupq_n_u32((uint32_t)r));
}

/* The first r < 4 floats at p, zero-padded to a vector. */
static inline float32x4_t vload_part(const float *p, int64_t r)
{
    float buf[4] = {0};
    memcpy(buf, p, (size_t)r * sizeof *p);
    return vld1q_f32(buf);
}

/* Lanes 0..r-1 of v to p (r < 4), through a buffer. */
static inline void vstore_part(float *p, int64_t r, float32x4_t v)
{
    float buf[4];
    vst1q_f32(buf, v);
    memcpy(p, buf, (size_t)r * sizeof *p);
}

/* The mask of lanes t < r whose int p[t] is j (0 < r <= 4); a short run
 * goes through a buffer, so nothing past p + r is read. */
static inline uint32x4_t vmatch_i32(const int *p, int64_t r, int j)
{
    int32_t buf[4] = {0};
    if (r < 4)
        memcpy(buf, p, (size_t)r * sizeof *p);
    int32x4_t v = vld1q_s32(r < 4 ? buf : p);
    return vandq_u32(vceqq_s32(v, vdupq_n_s32(j)), vmask_first(r));
}

/* {sum(v0), sum(v1), sum(v2), sum(v3)} by pairwise adds. */
static inline float32x4_t vhsum4(float32x4_t v0, float32x4_t v1,
                                 float32x4_t v2, float32x4_t v3)
{
    return vpaddq_f32(vpaddq_f32(v0, v1), vpaddq_f32(v2, v3));
}

#include "simd_body.h"

const kernel kernel_neon = SIMD_KERNEL("neon");
