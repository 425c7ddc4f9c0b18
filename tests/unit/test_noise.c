/* test_noise.c - alias sampler exactness and subsampling formula. */
#include <math.h>
#include <stdlib.h>

#include "harness.h"
#include "noise.h"

TEST(noise_alias_chi_square)
{
    /* Zipf-like counts; P_n = count^0.75 / sum.  Pearson chi-square of 10^6
     * draws over 50 bins (49 degrees of freedom): 99.9% quantile is 85.4. */
    enum { N = 50, DRAWS = 1000000 };
    int64_t counts[N];
    double p[N], sum = 0.0;
    for (int i = 0; i < N; i++) {
        counts[i] = 100000 / (i + 1) + 3;
        p[i] = pow((double)counts[i], 0.75);
        sum += p[i];
    }
    alias_table t;
    w2v_err err;
    REQUIRE(noise_build(&t, counts, N, 0.75, &err) == 0);
    int64_t hits[N] = {0};
    rng r;
    rng_seed(&r, 12345, 0);
    for (int i = 0; i < DRAWS; i++)
        hits[alias_draw(&t, &r)]++;
    double chi2 = 0.0;
    for (int i = 0; i < N; i++) {
        double expect = DRAWS * p[i] / sum;
        chi2 += (hits[i] - expect) * (hits[i] - expect) / expect;
    }
    CHECK_MSG(chi2 < 85.4, "chi-square %.1f", chi2);
    /* and a wrong distribution (plain unigram) must be rejected */
    double chi2_unigram = 0.0, total = 0.0;
    for (int i = 0; i < N; i++)
        total += (double)counts[i];
    for (int i = 0; i < N; i++) {
        double expect = DRAWS * counts[i] / total;
        chi2_unigram += (hits[i] - expect) * (hits[i] - expect) / expect;
    }
    CHECK_MSG(chi2_unigram > 1000.0, "unigram chi-square %.1f", chi2_unigram);
    alias_free(&t);
}

TEST(noise_zero_weight_never_drawn)
{
    double w[5] = {1, 0, 2, 0, 1};
    alias_table t;
    w2v_err err;
    REQUIRE(alias_build(&t, w, 5, &err) == 0);
    rng r;
    rng_seed(&r, 1, 0);
    int bad = 0;
    for (int i = 0; i < 100000; i++) {
        uint32_t x = alias_draw(&t, &r);
        bad += x == 1 || x == 3 || x >= 5;
    }
    CHECK(bad == 0);
    alias_free(&t);
    double zero[2] = {0, 0};
    CHECK(alias_build(&t, zero, 2, &err) == -1);
}

TEST(noise_subsample_formula)
{
    /* f = 0.01, s = 1e-3: keep (sqrt(10) + 1) * 0.1 = 0.41623 */
    int64_t counts[3] = {1000, 10, 1};
    uint64_t keep[3];
    subsample_thresholds(counts, 3, 100000, 1e-3, keep);
    CHECK_NEAR((double)keep[0] / 4294967296.0, (sqrt(10.0) + 1.0) * 0.1, 1e-9);
    CHECK(keep[1] == (uint64_t)1 << 32); /* f = 1e-4 < s: always kept */
    subsample_thresholds(counts, 3, 100000, 0.0, keep);
    CHECK(keep[0] == (uint64_t)1 << 32);
}
