/* test_batch.c - the HogBatch step against a naive double reference. */
#include <math.h>
#include <string.h>

#include "batch.h"
#include "harness.h"
#include "rng.h"

enum { D = 37, ST = 48, M = 5, N = 4, ROWS = 6 }; /* ST = w2v_row_stride(D) */

/* Naive reference: every delta from the old values, in double.  Input
 * row i predicts output target[i] against the others, output j counting
 * weight[j] times as noise. */
static double reference(double in[ROWS][D], double out[ROWS][D],
                        const int *ii, const int *target, int m,
                        const int *oi, const int *weight, int n, double lr)
{
    double d_in[ROWS][D] = {{0}}, d_out[ROWS][D] = {{0}}, loss = 0.0;
    for (int i = 0; i < m; i++)
        for (int j = 0; j < n; j++) {
            double s = 0.0;
            for (int x = 0; x < D; x++)
                s += in[ii[i]][x] * out[oi[j]][x];
            int positive = j == target[i];
            double label = positive ? 1.0 : 0.0, sig = 1.0 / (1.0 + exp(-s));
            double times = positive ? 1.0 : weight[j];
            loss += times * (positive ? log1p(exp(-s)) : log1p(exp(s)));
            double g = times * lr * (label - sig);
            for (int x = 0; x < D; x++) {
                d_in[ii[i]][x] += g * out[oi[j]][x];
                d_out[oi[j]][x] += g * in[ii[i]][x];
            }
        }
    for (int r = 0; r < ROWS; r++)
        for (int x = 0; x < D; x++) {
            in[r][x] += d_in[r][x];
            out[r][x] += d_out[r][x];
        }
    return loss;
}

/* Every body's step against the reference: with target and weight NULL
 * (every row's target is output 0, weights 1) or as given. */
static void check_step(const int *target, const int *weight)
{
    CHECK(w2v_row_stride(D) == ST);
    static const int zeros[M] = {0}, ones[N] = {1, 1, 1, 1};
    int n_bodies;
    const kernel *const *bodies = kernel_all(&n_bodies);
    for (int b = 0; b < n_bodies; b++) {
        const kernel *k = bodies[b];
        if (!kernel_runs_with(k, kernel_cpu_features()))
            continue;
        /* padded rows like the model's: the padding must stay zero */
        float in[ROWS][ST] = {{0}}, out[ROWS][ST] = {{0}};
        double in_ref[ROWS][D], out_ref[ROWS][D];
        rng r;
        rng_seed(&r, 9, (uint64_t)b);
        for (int i = 0; i < ROWS; i++)
            for (int x = 0; x < D; x++) {
                in[i][x] = (float)(rng_uniform(&r) - 0.5);
                out[i][x] = (float)(rng_uniform(&r) - 0.5);
                in_ref[i][x] = in[i][x];
                out_ref[i][x] = out[i][x];
            }
        /* context word 2 occurs twice, output word 4 twice */
        int ii[M] = {0, 2, 1, 2, 5}, oi[N] = {3, 4, 0, 4};
        float *in_rows[M], *out_rows[N];
        for (int i = 0; i < M; i++)
            in_rows[i] = in[ii[i]];
        for (int j = 0; j < N; j++)
            out_rows[j] = out[oi[j]];
        ns_batch nb;
        w2v_err err;
        REQUIRE(ns_batch_init(&nb, D, M, N, &err) == 0);
        double loss = ns_batch_step(&nb, k, in_rows, target, M, out_rows,
                                    weight, N, 0.3f);
        double loss_ref = reference(in_ref, out_ref, ii,
                                    target ? target : zeros, M, oi,
                                    weight ? weight : ones, N, 0.3);
        CHECK_NEAR(loss, loss_ref, 1e-5 * loss_ref);
        double worst = 0.0;
        for (int i = 0; i < ROWS; i++)
            for (int x = 0; x < D; x++) {
                worst = fmax(worst, fabs(in[i][x] - in_ref[i][x]));
                worst = fmax(worst, fabs(out[i][x] - out_ref[i][x]));
            }
        CHECK_MSG(worst < 1e-5, "%s: max abs difference %g", k->name, worst);
        int dirty = 0;
        for (int i = 0; i < ROWS; i++)
            for (int x = D; x < ST; x++)
                dirty += in[i][x] != 0.0f || out[i][x] != 0.0f;
        CHECK_MSG(dirty == 0, "%s: %d padding floats changed", k->name, dirty);
        ns_batch_free(&nb);
    }
}

TEST(batch_step_matches_reference_with_repeated_rows)
{
    check_step(NULL, NULL);
}

TEST(batch_step_with_targets_and_weights_matches_reference)
{
    /* combined windows: rows 0-1 predict output 0, rows 2-3 output 2, row
     * 4 output 1; output 1 was drawn three times as noise, output 3 twice */
    static const int target[M] = {0, 0, 2, 2, 1}, weight[N] = {1, 3, 1, 2};
    check_step(target, weight);
}

TEST(batch_loss_stays_finite_with_many_saturated_rows)
{
    /* 1 input, 1 target + 299 noise rows, every score 100: each noise row
     * costs -log sig(-100) = 100.0 (the target ~0), 29900 in all, a
     * probability product far below the double range */
    enum { N_OUT = 300 };
    static float rows[N_OUT][16]; /* d = 1, padded to 16 floats */
    float in[16] = {10.0f}, *in_rows[1] = {in}, *out_rows[N_OUT];
    for (int j = 0; j < N_OUT; j++) {
        rows[j][0] = 10.0f;
        out_rows[j] = rows[j];
    }
    ns_batch nb;
    w2v_err err;
    REQUIRE(ns_batch_init(&nb, 1, 1, N_OUT, &err) == 0);
    double loss = ns_batch_step(&nb, &kernel_scalar, in_rows, NULL, 1, out_rows, NULL,
                                N_OUT, 0.0f);
    CHECK_NEAR(loss, 299.0 * 100.0, 1e-3 * 29900.0);
    ns_batch_free(&nb);
}
