/* kmeans.c - cosine k-means with k-means++ seeding (kmeans.h). */
#include "kmeans.h"

#include <errno.h>
#include <float.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "rng.h"

/* Rows per block of a round's scoring (ROW_BLOCK x CENTROID_BLOCK scores,
 * 1 MiB per thread) and per block of the seeding's bookkeeping. */
enum { ROW_BLOCK = 256, CENTROID_BLOCK = 1024, SEED_BLOCK = 1024 };
enum { MAX_KMEANS_THREADS = 256 };

typedef struct kmeans_state {
    const kernel *kern;
    int64_t n, dim, stride, k;
    float *x;          /* n unit rows */
    float *cent;       /* k unit centroids (the seeds, while seeding) */
    int32_t *classes;  /* n */
    float *best;       /* n: dot product with the centroid of its class */
    float *dist;       /* n: seeding distance 1 - cos to the nearest seed
                          applied to its block */
    double *block_sum; /* per SEED_BLOCK: sum of its dist */
    int64_t *applied;  /* per SEED_BLOCK: seeds 0.. applied-1 are in dist */
    int64_t seeds;     /* seeds chosen so far */
} kmeans_state;

/* What a thread does with its blocks. */
typedef enum { PHASE_SEED, PHASE_ASSIGN } kmeans_phase;

typedef struct kmeans_worker {
    kmeans_state *s;
    kmeans_phase phase;
    int64_t first_block, block_step;
    float *scores;   /* ROW_BLOCK x CENTROID_BLOCK */
    int64_t changed; /* PHASE_ASSIGN: rows whose class changed */
} kmeans_worker;

/* Brings seeding block blk up to date: the seeds chosen since it was last
 * updated, all at once, as a product of its rows with those seeds (in
 * order, so a tie keeps the lower seed); then its sum. */
static void update_seed_block(kmeans_state *s, float *scores,
                              int64_t blk)
{
    int64_t first = blk * SEED_BLOCK;
    int64_t end = s->n - first < SEED_BLOCK ? s->n : first + SEED_BLOCK;
    int64_t from = s->applied[blk], to = s->seeds;
    if (from == to)
        return;
    for (int64_t r0 = first; r0 < end; r0 += ROW_BLOCK) {
        int64_t rn = end - r0 < ROW_BLOCK ? end - r0 : ROW_BLOCK;
        for (int64_t c0 = from; c0 < to; c0 += CENTROID_BLOCK) {
            int64_t cn = to - c0 < CENTROID_BLOCK ? to - c0 : CENTROID_BLOCK;
            s->kern->gemm_nt(s->x + r0 * s->stride, s->stride,
                             s->cent + c0 * s->stride, s->stride, scores,
                             CENTROID_BLOCK, rn, cn, s->dim);
            for (int64_t i = 0; i < rn; i++) {
                const float *row = scores + i * CENTROID_BLOCK;
                float dist = s->dist[r0 + i];
                int32_t cls = s->classes[r0 + i];
                for (int64_t j = 0; j < cn; j++) {
                    float d = 1.0f - row[j];
                    if (d < dist) {
                        dist = d < 0 ? 0 : d;
                        cls = (int32_t)(c0 + j);
                    }
                }
                s->dist[r0 + i] = dist;
                s->classes[r0 + i] = cls;
            }
        }
    }
    double sum = 0;
    for (int64_t i = first; i < end; i++)
        sum += s->dist[i];
    s->block_sum[blk] = sum;
    s->applied[blk] = to;
}

/* Offers scores s[0..n) of centroids first.. to a row's best (a higher
 * score wins, so ties keep the lowest centroid).  Each group of 16 is
 * first tested with a branch-free loop that vectorizes; once the best is
 * good, almost every group is skipped whole. */
#define SCAN_GROUP 16
static inline void best_of(const float *s, int64_t n, int64_t first,
                           float *best, int32_t *arg)
{
    float b = *best;
    for (int64_t g = 0; g < n; g += SCAN_GROUP) {
        int64_t end = g + SCAN_GROUP < n ? g + SCAN_GROUP : n;
        if (end - g == SCAN_GROUP) {
            int above = 0;
            for (int t = 0; t < SCAN_GROUP; t++)
                above |= s[g + t] > b;
            if (!above)
                continue;
        }
        for (int64_t j = g; j < end; j++)
            if (s[j] > b) {
                b = s[j];
                *arg = (int32_t)(first + j);
            }
    }
    *best = b;
}

/* A round's assignment: each row's best centroid, block by block. */
static void assign_block(kmeans_worker *w, int64_t blk)
{
    kmeans_state *s = w->s;
    int64_t first = blk * ROW_BLOCK;
    int64_t count = s->n - first < ROW_BLOCK ? s->n - first : ROW_BLOCK;
    float best[ROW_BLOCK];
    int32_t arg[ROW_BLOCK];
    for (int64_t i = 0; i < count; i++) {
        best[i] = -INFINITY;
        arg[i] = 0;
    }
    for (int64_t c0 = 0; c0 < s->k; c0 += CENTROID_BLOCK) {
        int64_t cn = s->k - c0 < CENTROID_BLOCK ? s->k - c0 : CENTROID_BLOCK;
        s->kern->gemm_nt(s->x + first * s->stride, s->stride,
                         s->cent + c0 * s->stride, s->stride, w->scores,
                         CENTROID_BLOCK, count, cn, s->dim);
        for (int64_t i = 0; i < count; i++)
            best_of(w->scores + i * CENTROID_BLOCK, cn, c0, &best[i], &arg[i]);
    }
    for (int64_t i = 0; i < count; i++) {
        w->changed += s->classes[first + i] != arg[i];
        s->classes[first + i] = arg[i];
        s->best[first + i] = best[i];
    }
}

static void *kmeans_work(void *arg)
{
    kmeans_worker *w = arg;
    int64_t rows = w->phase == PHASE_SEED ? SEED_BLOCK : ROW_BLOCK;
    int64_t n_blocks = (w->s->n + rows - 1) / rows;
    for (int64_t b = w->first_block; b < n_blocks; b += w->block_step) {
        if (w->phase == PHASE_SEED)
            update_seed_block(w->s, w->scores, b);
        else
            assign_block(w, b);
    }
    return NULL;
}

/* Runs one phase on every block with the workers; returns the rows whose
 * class changed (PHASE_ASSIGN), or -1 when a thread cannot start. */
static int64_t run_phase(kmeans_worker *workers, int threads,
                         kmeans_phase phase, w2v_err *err)
{
    pthread_t tid[MAX_KMEANS_THREADS];
    int started = 1, rc = 0;
    for (int t = 0; t < threads; t++) {
        workers[t].phase = phase;
        workers[t].changed = 0;
    }
    for (; started < threads; started++)
        if ((errno = pthread_create(&tid[started], NULL, kmeans_work,
                                    &workers[started]))) {
            rc = w2v_fail_errno(err, "cannot start a k-means thread");
            break;
        }
    kmeans_work(&workers[0]);
    for (int t = 1; t < started; t++)
        pthread_join(tid[t], NULL);
    if (rc)
        return -1;
    int64_t changed = 0;
    for (int t = 0; t < threads; t++)
        changed += workers[t].changed;
    return changed;
}

static void copy_unit(const kmeans_state *s, float *dst, const float *src)
{
    double norm = sqrt((double)s->kern->dot(src, src, s->dim));
    float scale = norm > 0 ? (float)(1.0 / norm) : 0.0f;
    for (int64_t j = 0; j < s->dim; j++)
        dst[j] = src[j] * scale;
}

/* The row of seeding block blk at which the running sum of its distances
 * passes off (in [0, its sum)), or -1 when rounding leaves none. */
static int64_t row_at(const kmeans_state *s, int64_t blk, double off)
{
    int64_t first = blk * SEED_BLOCK;
    int64_t end = s->n - first < SEED_BLOCK ? s->n : first + SEED_BLOCK;
    int64_t last = -1;
    double acc = 0;
    for (int64_t i = first; i < end; i++)
        if (s->dist[i] > 0) {
            acc += s->dist[i];
            last = i;
            if (acc > off)
                return i;
        }
    return last;
}

/* Draws the next seed: a row with probability proportional to its
 * distance to the nearest seed.  The blocks' sums are only updated when
 * drawn, so they are upper bounds (distances only shrink): a block is
 * proposed in proportion to its bound, brought up to date, and the draw is
 * kept with probability true sum / bound (rejection sampling, exact);
 * otherwise the draw is made again with the block's sum now exact.  So
 * almost all of the work is done in products of many seeds at a time. */
static int64_t draw_seed(kmeans_state *s, float *scores, rng *r)
{
    int64_t n_blocks = (s->n + SEED_BLOCK - 1) / SEED_BLOCK;
    for (;;) {
        double total = 0;
        for (int64_t b = 0; b < n_blocks; b++)
            total += s->block_sum[b];
        if (!(total > 0)) /* every row is a seed or equal to one */
            return (int64_t)rng_below(r, (uint32_t)s->n);
        double u = rng_uniform(r) * total, acc = 0;
        int64_t b = 0;
        while (b + 1 < n_blocks && acc + s->block_sum[b] <= u)
            acc += s->block_sum[b++];
        update_seed_block(s, scores, b);
        double off = u - acc;
        if (off < s->block_sum[b]) {
            int64_t row = row_at(s, b, off);
            if (row >= 0)
                return row;
        }
    }
}

/* k-means++: the first seed uniform, each next one drawn with probability
 * proportional to its distance 2 - 2 cos to the nearest seed so far (the
 * factor 2 cancels).  Leaves every row in the class of its nearest seed,
 * with that cosine as its best. */
static int seed(kmeans_state *s, kmeans_worker *workers, int threads,
                uint64_t seed_value, w2v_err *err)
{
    rng r;
    rng_seed(&r, seed_value, 0);
    for (int64_t i = 0; i < s->n; i++)
        s->dist[i] = FLT_MAX;
    int64_t row = (int64_t)rng_below(&r, (uint32_t)s->n);
    for (int64_t j = 0; j < s->k; j++) {
        if (j > 0)
            row = draw_seed(s, workers[0].scores, &r);
        memcpy(s->cent + j * s->stride, s->x + row * s->stride,
               sizeof(float) * (size_t)s->stride);
        s->seeds = j + 1;
        if (j == 0 && run_phase(workers, threads, PHASE_SEED, err) < 0)
            return -1;
        /* the seed's own block at once: the seed is at distance 0 */
        update_seed_block(s, workers[0].scores, row / SEED_BLOCK);
        s->block_sum[row / SEED_BLOCK] -= s->dist[row];
        s->dist[row] = 0;
        s->classes[row] = (int32_t)j;
    }
    if (run_phase(workers, threads, PHASE_SEED, err) < 0)
        return -1;
    for (int64_t i = 0; i < s->n; i++)
        s->best[i] = 1.0f - s->dist[i];
    return 0;
}

/* The rows of each class, and with sums the sum (in double) of its rows. */
static void count_classes(const kmeans_state *s, double *sums,
                          int64_t *counts)
{
    int64_t d = s->dim;
    memset(counts, 0, sizeof *counts * (size_t)s->k);
    if (sums)
        memset(sums, 0, sizeof *sums * (size_t)(s->k * d));
    for (int64_t i = 0; i < s->n; i++) {
        counts[s->classes[i]]++;
        if (!sums)
            continue;
        double *sum = sums + s->classes[i] * d;
        const float *x = s->x + i * s->stride;
        for (int64_t j = 0; j < d; j++)
            sum[j] += x[j];
    }
}

/* A class left empty takes the row farthest from its own centroid (among
 * the rows of classes that keep another row; a row moved here is alone in
 * its new class), which leaves its old class; sums, when given, follow. */
static void fill_empty_classes(kmeans_state *s, double *sums,
                               int64_t *counts, int64_t *reseeded)
{
    int64_t d = s->dim;
    for (int64_t c = 0; c < s->k; c++) {
        if (counts[c] > 0)
            continue;
        int64_t far = -1;
        for (int64_t i = 0; i < s->n; i++)
            if (counts[s->classes[i]] > 1 &&
                (far < 0 || s->best[i] < s->best[far]))
                far = i;
        if (far < 0)
            return; /* every class holds one row: nothing to move */
        if (sums) {
            double *from = sums + s->classes[far] * d, *to = sums + c * d;
            const float *x = s->x + far * s->stride;
            for (int64_t j = 0; j < d; j++) {
                from[j] -= x[j];
                to[j] = x[j];
            }
        }
        counts[s->classes[far]]--;
        counts[c] = 1;
        s->classes[far] = (int32_t)c;
        ++*reseeded;
    }
}

/* The centroids of the classes: their sums scaled to unit length, empty
 * classes filled first. */
static void update_centroids(kmeans_state *s, double *sums, int64_t *counts,
                             int64_t *reseeded)
{
    int64_t d = s->dim;
    count_classes(s, sums, counts);
    fill_empty_classes(s, sums, counts, reseeded);
    for (int64_t c = 0; c < s->k; c++) {
        const double *sum = sums + c * d;
        double norm = 0;
        for (int64_t j = 0; j < d; j++)
            norm += sum[j] * sum[j];
        norm = sqrt(norm);
        float *cent = s->cent + c * s->stride;
        for (int64_t j = 0; j < d; j++)
            cent[j] = norm > 0 ? (float)(sum[j] / norm) : 0.0f;
    }
}

/* Sum over the rows of 1 - cos(row, unit mean of its class): n minus the
 * lengths of the class sums, for unit rows. */
static double final_cost(const kmeans_state *s, double *sums,
                         int64_t *counts)
{
    int64_t d = s->dim;
    double cost = (double)s->n;
    count_classes(s, sums, counts);
    for (int64_t c = 0; c < s->k; c++) {
        double norm = 0;
        for (int64_t j = 0; j < d; j++)
            norm += sums[c * d + j] * sums[c * d + j];
        cost -= sqrt(norm);
    }
    return cost;
}

static void free_state(kmeans_state *s)
{
    free(s->x);
    free(s->cent);
    free(s->best);
    free(s->dist);
    free(s->block_sum);
    free(s->applied);
}

int kmeans_cosine(const float *rows, int64_t n, int64_t dim, int64_t stride,
                  const kmeans_config *cfg, const kernel *kern,
                  kmeans_result *res, w2v_err *err)
{
    memset(res, 0, sizeof *res);
    if (n < 1 || dim < 1)
        return w2v_fail(err, "k-means needs at least one row of at least "
                             "one value");
    if (n > INT32_MAX)
        return w2v_fail(err, "k-means: too many rows (%lld)", (long long)n);
    if (cfg->k < 1 || cfg->k > n)
        return w2v_fail(err, "k-means: %lld classes for %lld rows",
                        (long long)cfg->k, (long long)n);
    kmeans_state s = {kern, n, dim, w2v_row_stride(dim), cfg->k, NULL, NULL,
                      NULL, NULL, NULL, NULL, NULL, 0};
    int64_t seed_blocks = (n + SEED_BLOCK - 1) / SEED_BLOCK;
    int64_t row_blocks = (n + ROW_BLOCK - 1) / ROW_BLOCK;
    int threads = cfg->threads < 1 ? 1 : cfg->threads;
    if (threads > MAX_KMEANS_THREADS)
        threads = MAX_KMEANS_THREADS;
    if (threads > row_blocks)
        threads = (int)row_blocks;
    kmeans_worker workers[MAX_KMEANS_THREADS];
    double *sums = NULL;
    int64_t *counts = NULL;
    int rc = -1;
    memset(workers, 0, sizeof workers);
    size_t row_bytes = sizeof(float) * (size_t)s.stride;
    if (!(s.x = w2v_alloc_aligned(row_bytes * (size_t)n, err)) ||
        !(s.cent = w2v_alloc_aligned(row_bytes * (size_t)s.k, err)) ||
        !(s.classes = w2v_calloc((size_t)n, sizeof *s.classes, err)) ||
        !(s.best = w2v_calloc((size_t)n, sizeof *s.best, err)) ||
        !(s.dist = w2v_malloc(sizeof *s.dist * (size_t)n, err)) ||
        !(s.block_sum = w2v_calloc((size_t)seed_blocks, sizeof(double), err)) ||
        !(s.applied = w2v_calloc((size_t)seed_blocks, sizeof(int64_t), err)) ||
        !(sums = w2v_malloc(sizeof *sums * (size_t)(s.k * dim), err)) ||
        !(counts = w2v_malloc(sizeof *counts * (size_t)s.k, err)))
        goto out;
    for (int t = 0; t < threads; t++) {
        workers[t].s = &s;
        workers[t].first_block = t;
        workers[t].block_step = threads;
        if (!(workers[t].scores = w2v_alloc_aligned(
                  sizeof(float) * ROW_BLOCK * CENTROID_BLOCK, err)))
            goto out;
    }
    memset(s.x, 0, row_bytes * (size_t)n);
    memset(s.cent, 0, row_bytes * (size_t)s.k);
    for (int64_t i = 0; i < n; i++)
        copy_unit(&s, s.x + i * s.stride, rows + i * stride);
    if (seed(&s, workers, threads, cfg->seed, err))
        goto out;
    int64_t changed = n;
    while (res->rounds < cfg->max_iter && changed > 0) {
        update_centroids(&s, sums, counts, &res->reseeded);
        if ((changed = run_phase(workers, threads, PHASE_ASSIGN, err)) < 0)
            goto out;
        res->rounds++;
    }
    res->changed = changed;
    /* stopped by the limit: a class may have been left empty */
    count_classes(&s, NULL, counts);
    fill_empty_classes(&s, NULL, counts, &res->reseeded);
    res->cost = final_cost(&s, sums, counts);
    res->classes = s.classes;
    s.classes = NULL;
    rc = 0;
out:
    for (int t = 0; t < threads; t++)
        free(workers[t].scores);
    free(s.classes);
    free(sums);
    free(counts);
    free_state(&s);
    if (rc)
        memset(res, 0, sizeof *res);
    return rc;
}

void kmeans_result_free(kmeans_result *res)
{
    free(res->classes);
    res->classes = NULL;
}
