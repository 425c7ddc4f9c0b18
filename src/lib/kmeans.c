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
 * 1 MiB per thread) and per block of the seeding. */
enum { ROW_BLOCK = 256, CENTROID_BLOCK = 1024, SEED_BLOCK = 4096 };
enum { MAX_KMEANS_THREADS = 256 };

typedef struct kmeans_state {
    const kernel *kern;
    int64_t n, dim, stride, k;
    float *x;          /* n unit rows */
    float *cent;       /* k unit centroids */
    int32_t *classes;  /* n */
    float *best;       /* n: dot product with the centroid of its class */
    float *dist;       /* n: seeding distance 1 - cos to the nearest seed */
    double *block_sum; /* per SEED_BLOCK: sum of dist */
    float *seed_gap;   /* k: distance of each seed to the newest one */
    int64_t seed_class; /* the seed just added (its class) */
} kmeans_state;

/* Slack for float rounding in the seeding's triangle inequality. */
#define SEED_GAP_MARGIN 1e-4f

/* Sum of the seeding distances of one block. */
static double block_distance(const kmeans_state *s, int64_t blk)
{
    int64_t first = blk * SEED_BLOCK;
    int64_t end = s->n - first < SEED_BLOCK ? s->n : first + SEED_BLOCK;
    double sum = 0;
    for (int64_t i = first; i < end; i++)
        sum += s->dist[i];
    return sum;
}

/* What a thread does with its blocks. */
typedef enum { PHASE_SEED, PHASE_ASSIGN } kmeans_phase;

typedef struct kmeans_worker {
    kmeans_state *s;
    kmeans_phase phase;
    int64_t first_block, block_step;
    float *scores;   /* ROW_BLOCK x CENTROID_BLOCK */
    int64_t changed; /* PHASE_ASSIGN: rows whose class changed */
} kmeans_worker;

/* Seeding: each row's distance to the newest seed s, kept when nearer.
 * On the unit sphere |x - c|^2 = 2 (1 - cos) = 2 dist, so a row whose
 * seed c lies at |c - s| >= 2 |x - c| from s cannot be nearer to s
 * (triangle inequality) and is skipped without touching its values; as
 * the seeds multiply, almost every row is. */
static void seed_block(kmeans_worker *w, int64_t blk)
{
    kmeans_state *s = w->s;
    int64_t first = blk * SEED_BLOCK;
    int64_t end = s->n - first < SEED_BLOCK ? s->n : first + SEED_BLOCK;
    const float *seed = s->cent + s->seed_class * s->stride;
    int changed = 0;
    for (int64_t i = first; i < end; i++) {
        if (s->dist[i] != FLT_MAX &&
            s->seed_gap[s->classes[i]] >
                2.0f * sqrtf(2.0f * s->dist[i]) + SEED_GAP_MARGIN)
            continue;
        float d = 1.0f - s->kern->dot(s->x + i * s->stride, seed, s->dim);
        if (d < 0)
            d = 0;
        if (d < s->dist[i]) {
            s->dist[i] = d;
            s->classes[i] = (int32_t)s->seed_class;
            changed = 1;
        }
    }
    if (changed)
        s->block_sum[blk] = block_distance(s, blk);
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
            seed_block(w, b);
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

/* The row that a draw u in [0, total) of the seeding distances lands on. */
static int64_t draw_row(const kmeans_state *s, double u)
{
    int64_t n_blocks = (s->n + SEED_BLOCK - 1) / SEED_BLOCK, last = -1;
    double acc = 0;
    for (int64_t b = 0; b < n_blocks; b++) {
        if (acc + s->block_sum[b] <= u) {
            acc += s->block_sum[b];
            continue;
        }
        int64_t end = (b + 1) * SEED_BLOCK < s->n ? (b + 1) * SEED_BLOCK : s->n;
        for (int64_t i = b * SEED_BLOCK; i < end; i++)
            if (s->dist[i] > 0) {
                acc += s->dist[i];
                last = i;
                if (acc > u)
                    return i;
            }
    }
    return last; /* rounding left u past the end: the last candidate */
}

/* k-means++: the first seed uniform, each next one drawn with probability
 * proportional to its distance 2 - 2 cos to the nearest seed so far (the
 * factor 2 cancels).  Leaves every row in the class of its nearest seed. */
static int seed(kmeans_state *s, kmeans_worker *workers, int threads,
                uint64_t seed_value, w2v_err *err)
{
    rng r;
    rng_seed(&r, seed_value, 0);
    int64_t n_blocks = (s->n + SEED_BLOCK - 1) / SEED_BLOCK;
    for (int64_t i = 0; i < s->n; i++)
        s->dist[i] = FLT_MAX;
    int64_t row = (int64_t)rng_below(&r, (uint32_t)s->n);
    for (int64_t j = 0; j < s->k; j++) {
        if (j > 0) {
            double total = 0;
            for (int64_t b = 0; b < n_blocks; b++)
                total += s->block_sum[b];
            row = total > 0 ? draw_row(s, rng_uniform(&r) * total) : -1;
            if (row < 0) /* every row is a seed or equal to one */
                row = (int64_t)rng_below(&r, (uint32_t)s->n);
        }
        float *c = s->cent + j * s->stride;
        memcpy(c, s->x + row * s->stride, sizeof(float) * (size_t)s->stride);
        if (j > 0)
            s->kern->gemm_nt(c, s->stride, s->cent, s->stride, s->seed_gap,
                             j, 1, j, s->dim);
        for (int64_t a = 0; a < j; a++) {
            float gap = 2.0f - 2.0f * s->seed_gap[a];
            s->seed_gap[a] = gap > 0 ? sqrtf(gap) : 0.0f;
        }
        s->seed_class = j;
        if (run_phase(workers, threads, PHASE_SEED, err) < 0)
            return -1;
        s->dist[row] = 0;
        s->classes[row] = (int32_t)j;
        s->block_sum[row / SEED_BLOCK] = block_distance(s, row / SEED_BLOCK);
    }
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
 * the rows of classes that keep another row, and not moved before), which
 * leaves its old class; sums, when given, follow. */
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
        s->best[far] = FLT_MAX; /* not moved again */
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
    free(s->seed_gap);
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
        !(s.seed_gap = w2v_calloc((size_t)s.k, sizeof(float), err)) ||
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
