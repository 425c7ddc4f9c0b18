/* test_kmeans.c - cosine k-means: planted clusters, the cost, seeds,
 * threads, edge cases. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "kmeans.h"
#include "rng.h"

/* n rows of dim floats (stride w2v_row_stride(dim)): `groups` random unit
 * directions, row i near direction truth[i] (noise of scale `noise`),
 * scaled by a random length (k-means is on the cosine: lengths must not
 * matter).  Rows are interleaved: truth[i] = i % groups. */
static float *planted(int64_t n, int64_t dim, int groups, double noise,
                      uint64_t seed, int32_t *truth)
{
    int64_t stride = w2v_row_stride(dim);
    float *rows = calloc((size_t)(n * stride), sizeof(float));
    double *dirs = malloc(sizeof(double) * (size_t)(groups * dim));
    rng r;
    rng_seed(&r, seed, 0);
    if (!rows || !dirs) {
        free(rows);
        free(dirs);
        return NULL;
    }
    for (int64_t i = 0; i < groups * dim; i++)
        dirs[i] = rng_uniform(&r) - 0.5;
    for (int64_t i = 0; i < n; i++) {
        truth[i] = (int32_t)(i % groups);
        double len = 0.5 + 3 * rng_uniform(&r);
        for (int64_t j = 0; j < dim; j++)
            rows[i * stride + j] =
                (float)(len * (dirs[truth[i] * dim + j] +
                               noise * (rng_uniform(&r) - 0.5)));
    }
    free(dirs);
    return rows;
}

/* Adjusted Rand index of two labelings of n items (Hubert & Arabie). */
static double adjusted_rand(const int32_t *a, const int32_t *b, int64_t n,
                            int ka, int kb)
{
    double *table = calloc((size_t)(ka * kb), sizeof(double));
    double *ra = calloc((size_t)ka, sizeof(double));
    double *rb = calloc((size_t)kb, sizeof(double));
    double sum_ij = 0, sum_a = 0, sum_b = 0;
    if (table && ra && rb) {
        for (int64_t i = 0; i < n; i++) {
            table[a[i] * kb + b[i]] += 1;
            ra[a[i]] += 1;
            rb[b[i]] += 1;
        }
        for (int i = 0; i < ka * kb; i++)
            sum_ij += table[i] * (table[i] - 1) / 2;
        for (int i = 0; i < ka; i++)
            sum_a += ra[i] * (ra[i] - 1) / 2;
        for (int i = 0; i < kb; i++)
            sum_b += rb[i] * (rb[i] - 1) / 2;
    }
    free(table);
    free(ra);
    free(rb);
    double pairs = (double)n * (double)(n - 1) / 2;
    double expected = sum_a * sum_b / pairs;
    return (sum_ij - expected) / ((sum_a + sum_b) / 2 - expected);
}

/* The kernel the program picks by default; ends the test when none. */
static const kernel *kern(void)
{
    w2v_err err;
    const kernel *k = kernel_get(NULL, &err);
    REQUIRE_MSG(k != NULL, "%s", err.msg);
    return k;
}

TEST(kmeans_recovers_planted_clusters)
{
    enum { N = 3000, DIM = 20, K = 12 };
    int32_t truth[N];
    float *rows = planted(N, DIM, K, 0.05, 3, truth);
    REQUIRE(rows != NULL);
    kmeans_config cfg = {K, 10, 1, 2};
    kmeans_result res;
    w2v_err err;
    REQUIRE_MSG(kmeans_cosine(rows, N, DIM, w2v_row_stride(DIM), &cfg, kern(),
                              &res, &err) == 0, "%s", err.msg);
    double ari = adjusted_rand(truth, res.classes, N, K, K);
    CHECK_MSG(ari == 1.0, "adjusted Rand index %.6f", ari);
    CHECK(res.changed == 0);            /* converged ... */
    CHECK(res.rounds < cfg.max_iter);   /* ... before the limit */
    CHECK(res.cost >= 0 && res.cost < 0.01 * N);
    /* a shuffled labelling scores far below 1 (the index is not trivial) */
    int32_t shuffled[N];
    for (int i = 0; i < N; i++)
        shuffled[i] = (int32_t)((i * 7 / 5) % K);
    CHECK(adjusted_rand(truth, shuffled, N, K, K) < 0.5);
    kmeans_result_free(&res);
    free(rows);
}

/* The cost is the sum of 1 - cos to the unit mean of each class,
 * recomputed here from the classes. */
TEST(kmeans_cost_matches_its_definition)
{
    enum { N = 500, DIM = 7, K = 9 };
    int32_t truth[N];
    float *rows = planted(N, DIM, 4, 1.0, 11, truth); /* overlapping */
    REQUIRE(rows != NULL);
    int64_t stride = w2v_row_stride(DIM);
    kmeans_config cfg = {K, 3, 5, 1};
    kmeans_result res;
    w2v_err err;
    REQUIRE_MSG(kmeans_cosine(rows, N, DIM, stride, &cfg, kern(), &res,
                              &err) == 0, "%s", err.msg);
    double sums[K][DIM] = {{0}}, cost = 0;
    double unit[N][DIM];
    for (int i = 0; i < N; i++) {
        double norm = 0;
        for (int j = 0; j < DIM; j++)
            norm += (double)rows[i * stride + j] * rows[i * stride + j];
        for (int j = 0; j < DIM; j++) {
            unit[i][j] = rows[i * stride + j] / sqrt(norm);
            sums[res.classes[i]][j] += unit[i][j];
        }
    }
    for (int i = 0; i < N; i++) {
        const double *s = sums[res.classes[i]];
        double norm = 0, dot = 0;
        for (int j = 0; j < DIM; j++) {
            norm += s[j] * s[j];
            dot += s[j] * unit[i][j];
        }
        cost += 1 - dot / sqrt(norm);
    }
    CHECK_NEAR(res.cost, cost, 1e-6 * N);
    CHECK(res.rounds == 3 || res.changed == 0);
    kmeans_result_free(&res);
    free(rows);
}

TEST(kmeans_seed_and_threads)
{
    enum { N = 2000, DIM = 16, K = 40 };
    int32_t truth[N];
    float *rows = planted(N, DIM, 8, 2.0, 21, truth); /* no clear clusters */
    REQUIRE(rows != NULL);
    int64_t stride = w2v_row_stride(DIM);
    w2v_err err;
    kmeans_result base, other;
    kmeans_config cfg = {K, 10, 7, 1};
    REQUIRE_MSG(kmeans_cosine(rows, N, DIM, stride, &cfg, kern(), &base,
                              &err) == 0, "%s", err.msg);
    /* the same seed on any number of threads: the same classes */
    const int threads[] = {1, 2, 5};
    for (int t = 0; t < 3; t++) {
        cfg.threads = threads[t];
        REQUIRE_MSG(kmeans_cosine(rows, N, DIM, stride, &cfg, kern(), &other,
                                  &err) == 0, "%s", err.msg);
        CHECK_MSG(memcmp(base.classes, other.classes, sizeof truth) == 0,
                  "%d threads: other classes", threads[t]);
        CHECK(other.cost == base.cost);
        kmeans_result_free(&other);
    }
    /* another seed: other seeds, other classes */
    cfg.seed = 8;
    REQUIRE_MSG(kmeans_cosine(rows, N, DIM, stride, &cfg, kern(), &other,
                              &err) == 0, "%s", err.msg);
    CHECK(memcmp(base.classes, other.classes, sizeof truth) != 0);
    kmeans_result_free(&other);
    kmeans_result_free(&base);
    free(rows);
}

TEST(kmeans_edge_cases)
{
    enum { DIM = 3 };
    int64_t stride = w2v_row_stride(DIM);
    float rows[6 * 16] = {0};
    /* six rows: four copies of one direction, two others */
    const float dirs[6][DIM] = {{1, 0, 0}, {2, 0, 0}, {3, 0, 0},
                                {1, 0, 0}, {0, 1, 0}, {0, 0, 1}};
    for (int i = 0; i < 6; i++)
        memcpy(rows + i * stride, dirs[i], sizeof dirs[i]);
    kmeans_result res;
    w2v_err err;
    /* k = n: six classes although only three directions: every class
     * still gets a row */
    kmeans_config cfg = {6, 10, 1, 1};
    REQUIRE_MSG(kmeans_cosine(rows, 6, DIM, stride, &cfg, kern(), &res,
                              &err) == 0, "%s", err.msg);
    int used[6] = {0};
    for (int i = 0; i < 6; i++)
        used[res.classes[i]]++;
    for (int c = 0; c < 6; c++)
        CHECK_MSG(used[c] == 1, "class %d has %d rows", c, used[c]);
    CHECK_NEAR(res.cost, 0, 1e-6);
    kmeans_result_free(&res);
    /* k = 1: one class, cost n - |sum of unit rows| */
    cfg.k = 1;
    REQUIRE_MSG(kmeans_cosine(rows, 6, DIM, stride, &cfg, kern(), &res,
                              &err) == 0, "%s", err.msg);
    for (int i = 0; i < 6; i++)
        CHECK(res.classes[i] == 0);
    CHECK_NEAR(res.cost, 6 - sqrt(4.0 * 4.0 + 1 + 1), 1e-5);
    kmeans_result_free(&res);
    /* k = 3 finds the three directions */
    cfg.k = 3;
    REQUIRE_MSG(kmeans_cosine(rows, 6, DIM, stride, &cfg, kern(), &res,
                              &err) == 0, "%s", err.msg);
    CHECK(res.classes[0] == res.classes[1] &&
          res.classes[1] == res.classes[2] &&
          res.classes[2] == res.classes[3]);
    CHECK(res.classes[4] != res.classes[0] &&
          res.classes[5] != res.classes[0] &&
          res.classes[4] != res.classes[5]);
    kmeans_result_free(&res);
    /* more classes than rows, no rows */
    cfg.k = 7;
    CHECK(kmeans_cosine(rows, 6, DIM, stride, &cfg, kern(), &res, &err) == -1);
    CHECK(strstr(err.msg, "7 classes for 6 rows") != NULL);
    CHECK(res.classes == NULL);
    cfg.k = 1;
    CHECK(kmeans_cosine(rows, 0, DIM, stride, &cfg, kern(), &res, &err) == -1);
}
