/* simd.h - the constants of exp and log1p and the scalar helpers of the
 * SIMD kernel body (simd_body.h, compiled by kernel_avx2.c, kernel_avx512.c
 * and kernel_neon.c); private to them.
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

#endif
