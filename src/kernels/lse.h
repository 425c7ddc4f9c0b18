/* lse.h - the log-sum-exp of the kernel (kernel.h: log_sum_exp) as plain C
 * written to vectorize: every body includes it and compiles it with its own
 * -m flags, so each gets it at its own vector width (2 doubles with the
 * baseline SSE2, 4 with AVX2, 8 with AVX-512, 2 with NEON). */
#ifndef W2V_KERNEL_LSE_H
#define W2V_KERNEL_LSE_H

#include <math.h>
#include <stdint.h>
#include <string.h>

/* Independent partial sums (and maxima): a constant trip count the
 * vectorizer turns into whole registers, with no reassociation needed. */
#define LSE_LANES 8

/* exp(x) for x <= 0 within a few ulp; x below -708 is taken as -708 (a
 * term under 1e-307 of the largest one, which is 1).  Branch-free:
 * x = k ln2 + r with |r| <= ln2 / 2, exp(r) by its Taylor polynomial to
 * r^11 (truncation under 1e-14), times 2^k built in the exponent bits. */
static inline double lse_exp_nonpositive(double x)
{
    const double shift = 0x1.8p52; /* adding it rounds to an integer */
    x = x < -708.0 ? -708.0 : x;
    double t = x * 1.4426950408889634 + shift;
    double k = t - shift;
    double r = x - k * 0x1.62e42fefa3800p-1 - k * 0x1.ef35793c76730p-45;
    double p = 1.0 / 39916800;
    p = p * r + 1.0 / 3628800;
    p = p * r + 1.0 / 362880;
    p = p * r + 1.0 / 40320;
    p = p * r + 1.0 / 5040;
    p = p * r + 1.0 / 720;
    p = p * r + 1.0 / 120;
    p = p * r + 1.0 / 24;
    p = p * r + 1.0 / 6;
    p = p * r + 0.5;
    p = p * r + 1.0;
    p = p * r + 1.0;
    int64_t tb, shift_bits;
    memcpy(&tb, &t, sizeof tb);
    memcpy(&shift_bits, &shift, sizeof shift_bits);
    uint64_t sb = (uint64_t)(tb - shift_bits + 1023) << 52;
    double scale;
    memcpy(&scale, &sb, sizeof scale);
    return p * scale;
}

/* log sum_j exp(s[j]) over n >= 1 scores, in double, the largest score
 * subtracted first. */
static inline double lse_log_sum_exp(const float *s, int64_t n)
{
    float lane_top[LSE_LANES];
    double lane_sum[LSE_LANES];
    int64_t j;
    for (int t = 0; t < LSE_LANES; t++)
        lane_top[t] = s[0];
    for (j = 0; j + LSE_LANES <= n; j += LSE_LANES)
        for (int t = 0; t < LSE_LANES; t++)
            lane_top[t] = s[j + t] > lane_top[t] ? s[j + t] : lane_top[t];
    float top = lane_top[0];
    for (int t = 1; t < LSE_LANES; t++)
        top = lane_top[t] > top ? lane_top[t] : top;
    for (; j < n; j++)
        top = s[j] > top ? s[j] : top;
    for (int t = 0; t < LSE_LANES; t++)
        lane_sum[t] = 0.0;
    for (j = 0; j + LSE_LANES <= n; j += LSE_LANES)
        for (int t = 0; t < LSE_LANES; t++)
            lane_sum[t] += lse_exp_nonpositive((double)s[j + t] - (double)top);
    double z = 0.0;
    for (int t = 0; t < LSE_LANES; t++)
        z += lane_sum[t];
    for (; j < n; j++)
        z += lse_exp_nonpositive((double)s[j] - (double)top);
    return (double)top + log(z);
}

#endif
