/* cluster_mpi.c - a job of several processes over MPI (cluster.h); built
 * by `make MPI=1` instead of cluster_single.c.
 *
 * Only the calling thread of train_run() (the monitor, otherwise idle
 * while the workers train) talks to other ranks, so MPI_THREAD_FUNNELED is
 * enough: it is the communication thread, and the syncs overlap training.
 * A sync combines the replicas: every rank sends what it changed in a row
 * since the row was last agreed on, and the agreed row moves by the sum of
 * the changes, as if the ranks' threads were the threads of one Hogwild
 * process (averaging the replicas would divide every update by the number
 * of ranks).  But each rank moved the row from the same stale value: when a
 * row is busy enough that one rank alone closes a fraction F of its
 * distance to where the gradient leads between two syncs, c ranks moving it
 * close c F of it, and the row overshoots once c F > 2.  F < 1, so a sum of
 * two changes is always stable; a row that c > 2 ranks changed moves by
 * 2 / c of the sum, which bounds it by 2 F whatever the number of ranks
 * (at 4 ranks on the synthetic corpus, plain sums diverged).  Each rank
 * keeps the agreed rows (`base`, a copy of both matrices) to know what it
 * changed.  The workers go on training during the exchange (Hogwild, as
 * everywhere in training): a row becomes its value now plus the combined
 * change minus its own, so that updates made meanwhile are kept. */
#include "cluster.h"

#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Floats per MPI_Allreduce: bounds the buffers (2 x 8 MiB). */
#define SYNC_CHUNK ((int64_t)1 << 21)

static int started, rank, ranks = 1;

typedef struct sync_state {
    cluster_sync_config cfg;
    loss_kind loss;
    int64_t count;      /* syncs so far */
    float *sent, *got;  /* [SYNC_CHUNK] */
    float *base_in, *base_out, *base_hs; /* the agreed rows: [V][dim]
                                            each (base_hs for hs+ns) */
} sync_state;

static sync_state syncs;

static char description[MPI_MAX_LIBRARY_VERSION_STRING + 32];

int cluster_start(int *argc, char ***argv)
{
    int provided;
    if (MPI_Init_thread(argc, argv, MPI_THREAD_FUNNELED, &provided) !=
        MPI_SUCCESS)
        return -1;
    started = 1;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &ranks);
    return provided >= MPI_THREAD_FUNNELED ? 0 : -1;
}

void cluster_end(void)
{
    free(syncs.sent);
    free(syncs.got);
    free(syncs.base_in);
    free(syncs.base_out);
    free(syncs.base_hs);
    memset(&syncs, 0, sizeof syncs);
    if (started)
        MPI_Finalize();
    started = 0;
}

int cluster_rank(void)
{
    return rank;
}

int cluster_size(void)
{
    return ranks;
}

const char *cluster_description(void)
{
    char version[MPI_MAX_LIBRARY_VERSION_STRING] = "";
    int len = 0;
    MPI_Get_library_version(version, &len);
    char *end = strpbrk(version, ",\n");
    if (end)
        *end = '\0';
    snprintf(description, sizeof description, "MPI: built in (%s)", version);
    return description;
}

int cluster_all(int ok)
{
    int mine = ok != 0, all = 0;
    MPI_Allreduce(&mine, &all, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
    return all;
}

int64_t cluster_sum(int64_t x)
{
    long long mine = x, sum = 0;
    MPI_Allreduce(&mine, &sum, 1, MPI_LONG_LONG, MPI_SUM, MPI_COMM_WORLD);
    return sum;
}

/* Sends the n bytes at buf (rank 0's) to every rank: *buf is allocated on
 * the others.  Collective. */
static int broadcast_bytes(unsigned char **buf, size_t *n, w2v_err *err)
{
    unsigned long long size = *n;
    MPI_Bcast(&size, 1, MPI_UNSIGNED_LONG_LONG, 0, MPI_COMM_WORLD);
    if (rank != 0) {
        *n = (size_t)size;
        *buf = malloc(size ? size : 1);
    }
    if (!cluster_all(*buf != NULL))
        return w2v_fail(err, "out of memory receiving %llu bytes", size);
    for (size_t at = 0; at < size;) { /* counts are ints: in pieces */
        int piece = size - at > (1u << 30) ? 1 << 30 : (int)(size - at);
        MPI_Bcast(*buf + at, piece, MPI_BYTE, 0, MPI_COMM_WORLD);
        at += (size_t)piece;
    }
    return 0;
}

int cluster_same_vocab(const vocab *v, uint32_t *crc, w2v_err *err)
{
    unsigned long long mine[2] = {vocab_checksum(v), (unsigned long long)v->size};
    unsigned long long lo[2], hi[2];
    MPI_Allreduce(mine, lo, 2, MPI_UNSIGNED_LONG_LONG, MPI_MIN, MPI_COMM_WORLD);
    MPI_Allreduce(mine, hi, 2, MPI_UNSIGNED_LONG_LONG, MPI_MAX, MPI_COMM_WORLD);
    *crc = (uint32_t)mine[0];
    if (lo[0] != hi[0] || lo[1] != hi[1])
        return w2v_fail(err, "the ranks hold different vocabularies (rank %d: "
                             "%lld words, checksum %08x)",
                        rank, (long long)v->size, *crc);
    return 0;
}

int cluster_merge_vocab(vocab *v, int64_t min_count, int64_t max_words,
                        int64_t *min_count_used, w2v_err *err)
{
    unsigned char *mine = NULL, *all = NULL;
    size_t bytes = 0;
    int *sizes = NULL, *offsets = NULL, rc = -1;
    int ok = vocab_pack(v, &mine, &bytes, err) == 0 && bytes < (1u << 31);
    if (!cluster_all(ok)) {
        if (ok)
            w2v_fail(err, "another rank could not pack its vocabulary");
        else if (bytes >= (1u << 31))
            w2v_fail(err, "rank %d: its vocabulary is too large to send "
                          "(%zu bytes)", rank, bytes);
        goto out;
    }
    int n = (int)bytes;
    if (rank == 0) {
        sizes = calloc((size_t)ranks, sizeof *sizes);
        offsets = calloc((size_t)ranks, sizeof *offsets);
    }
    MPI_Gather(&n, 1, MPI_INT, sizes, 1, MPI_INT, 0, MPI_COMM_WORLD);
    long long total = 0;
    for (int r = 0; rank == 0 && r < ranks; r++) {
        offsets[r] = (int)total;
        total += sizes[r];
    }
    if (rank == 0 && total < (1ll << 31))
        all = malloc((size_t)total + 1);
    if (!cluster_all(rank != 0 || all)) {
        w2v_fail(err, "rank 0 cannot gather the vocabularies (%lld bytes)",
                 total);
        goto out;
    }
    MPI_Gatherv(mine, n, MPI_BYTE, all, sizes, offsets, MPI_BYTE, 0,
                MPI_COMM_WORLD);
    free(mine);
    mine = NULL;
    /* rank 0 merges in rank order and finalizes; every rank then unpacks
     * the same bytes into a fresh vocabulary */
    vocab_free(v);
    ok = vocab_init(v, err) == 0;
    if (ok && rank == 0) {
        ok = vocab_unpack(v, all, (size_t)total, err) == 0 &&
             vocab_finalize_at_most(v, min_count, max_words, min_count_used,
                                    err) == 0 &&
             vocab_pack(v, &mine, &bytes, err) == 0;
        vocab_free(v);
        ok = ok && vocab_init(v, err) == 0;
    }
    if (!cluster_all(ok) || broadcast_bytes(&mine, &bytes, err) ||
        !cluster_all(vocab_unpack(v, mine, bytes, err) == 0))
        goto out;
    long long used = rank == 0 ? *min_count_used : 0;
    MPI_Bcast(&used, 1, MPI_LONG_LONG, 0, MPI_COMM_WORLD);
    *min_count_used = used;
    uint32_t crc;
    rc = cluster_same_vocab(v, &crc, err);
out:
    free(mine);
    free(all);
    free(sizes);
    free(offsets);
    return rc;
}

/* ---- syncs ---- */


/* Combines the ranks' changes to rows [first, first + rows) of matrix a
 * since they were last agreed on (base, rows of dim floats), keeping what
 * the workers change meanwhile: a row moves by the sum of its changes,
 * times 2 / c when c > 2 ranks changed it (see the top of the file).
 * Collective.
 *
 *   sent, got: rows of dim + 1 floats, the change and then 1 when this
 *   rank changed the row (0 otherwise); summed, the last is c. */
static void combine_rows(float *a, float *base, int64_t first, int64_t rows,
                         int64_t dim, int64_t stride)
{
    const int64_t width = dim + 1;
    const int64_t per_chunk = SYNC_CHUNK / width;
    for (int64_t r0 = first; r0 < first + rows; r0 += per_chunk) {
        int64_t n = first + rows - r0 < per_chunk ? first + rows - r0
                                                  : per_chunk;
        for (int64_t r = 0; r < n; r++) {
            const float *row = a + (r0 + r) * stride;
            const float *agreed = base + (r0 + r) * dim;
            float *s = syncs.sent + r * width;
            int changed = 0;
            for (int64_t j = 0; j < dim; j++) {
                s[j] = row[j] - agreed[j];
                changed |= s[j] != 0.0f;
            }
            s[dim] = changed ? 1.0f : 0.0f;
        }
        MPI_Allreduce(syncs.sent, syncs.got, (int)(n * width), MPI_FLOAT,
                      MPI_SUM, MPI_COMM_WORLD);
        for (int64_t r = 0; r < n; r++) {
            float *row = a + (r0 + r) * stride;
            float *agreed = base + (r0 + r) * dim;
            const float *s = syncs.sent + r * width, *g = syncs.got + r * width;
            if (g[dim] == 0.0f) /* no rank changed it */
                continue;
            const float share = g[dim] <= 2.0f ? 1.0f : 2.0f / g[dim];
            for (int64_t j = 0; j < dim; j++) {
                const float step = g[j] * share;
                row[j] += step - s[j];
                agreed[j] += step;
            }
        }
    }
}

/* The rows of sync n: hot_rows << (trailing zeros of n), at most all. */
static int64_t rows_of_sync(int64_t n, int64_t words)
{
    int64_t rows = syncs.cfg.hot_rows;
    while (n > 0 && (n & 1) == 0 && rows < words) {
        rows *= 2;
        n >>= 1;
    }
    return rows < words ? rows : words;
}

/* Combines the rows this sync covers.  For hierarchical softmax the
 * output rows are the tree's inner nodes, the busiest (nearest the root)
 * last; the full softmax updates every output row each step, so all are
 * combined. */
static void combine_model(model *m, int64_t n)
{
    int64_t words = m->vocab.size, dim = m->dim, stride = m->stride;
    int64_t rows = rows_of_sync(n, words);
    int64_t nodes = words - 1 < rows ? words - 1 : rows;
    combine_rows(m->emb_in, syncs.base_in, 0, rows, dim, stride);
    if (syncs.loss == LOSS_SOFTMAX)
        combine_rows(m->emb_out, syncs.base_out, 0, words, dim, stride);
    else if (syncs.loss == LOSS_HS)
        combine_rows(m->emb_out, syncs.base_out, words - 1 - nodes, nodes, dim,
                     stride);
    else
        combine_rows(m->emb_out, syncs.base_out, 0, rows, dim, stride);
    if (m->emb_hs)
        combine_rows(m->emb_hs, syncs.base_hs, words - 1 - nodes, nodes, dim,
                     stride);
}

/* The train_monitor sync hook. */
static int sync_job(model *m, train_sync *s, void *ctx, w2v_err *err)
{
    (void)ctx;
    (void)err;
    long long mine[4] = {s->words_done, !s->done, s->request, s->failed};
    long long sum[2], most[2];
    MPI_Allreduce(mine, sum, 2, MPI_LONG_LONG, MPI_SUM, MPI_COMM_WORLD);
    MPI_Allreduce(mine + 2, most, 2, MPI_LONG_LONG, MPI_MAX, MPI_COMM_WORLD);
    s->words_done = sum[0];
    s->done = sum[1] == 0;
    s->request = (train_request)most[0];
    s->failed = most[1] != 0;
    if (!s->failed)
        combine_model(m, ++syncs.count);
    return 0;
}

/* A copy of matrix a without its row padding, for `base`. */
static float *agreed_copy(const float *a, int64_t rows, int64_t dim,
                          int64_t stride)
{
    float *b = malloc(sizeof(float) * (size_t)(rows * dim));
    for (int64_t r = 0; b && r < rows; r++)
        memcpy(b + r * dim, a + r * stride, sizeof(float) * (size_t)dim);
    return b;
}

int cluster_monitor(train_monitor *mon, const cluster_sync_config *cfg,
                    const model *m, loss_kind loss, w2v_err *err)
{
    if (ranks < 2)
        return 0;
    syncs.cfg = *cfg;
    syncs.loss = loss;
    syncs.count = 0;
    free(syncs.base_in);
    free(syncs.base_out);
    free(syncs.base_hs);
    int64_t words = m->vocab.size;
    syncs.base_in = agreed_copy(m->emb_in, words, m->dim, m->stride);
    syncs.base_out = agreed_copy(m->emb_out, words, m->dim, m->stride);
    syncs.base_hs = m->emb_hs ? agreed_copy(m->emb_hs, words, m->dim,
                                            m->stride)
                              : NULL;
    if (!syncs.sent) {
        syncs.sent = malloc(sizeof(float) * SYNC_CHUNK);
        syncs.got = malloc(sizeof(float) * SYNC_CHUNK);
    }
    if (!cluster_all(syncs.sent && syncs.got && syncs.base_in &&
                     syncs.base_out && (syncs.base_hs || !m->emb_hs)))
        return w2v_fail(err, "out of memory for the agreed copy of the model "
                             "(%.1f MiB a rank)",
                        2.0 * (double)(words * m->dim) * 4 / 1048576.0);
    mon->sync = sync_job;
    mon->sync_every = cfg->every;
    mon->first_thread = (int64_t)rank * cfg->threads;
    return 0;
}

int cluster_combine(model *m, w2v_err *err)
{
    (void)err;
    if (ranks < 2)
        return 0;
    int64_t words = m->vocab.size;
    combine_rows(m->emb_in, syncs.base_in, 0, words, m->dim, m->stride);
    combine_rows(m->emb_out, syncs.base_out, 0, words, m->dim, m->stride);
    if (m->emb_hs)
        combine_rows(m->emb_hs, syncs.base_hs, 0, words, m->dim, m->stride);
    return 0;
}

/* ---- checkpoints and statistics ---- */

/* One thread's state as doubles, for MPI_DOUBLE transfers: the fixed part,
 * then (loss, pairs, end) per epoch.  Integers are below 2^53. */
enum { FIXED_DOUBLES = 5 + 4 * 2 + 5 };

static void state_to_doubles(const train_thread_state *t, int64_t iter,
                             double *d)
{
    d[0] = (double)t->epoch;
    d[1] = (double)t->offset;
    d[2] = t->skip_partial;
    d[3] = (double)t->known;
    d[4] = (double)t->reported;
    for (int k = 0; k < 4; k++) { /* 64-bit words as two 32-bit halves */
        d[5 + 2 * k] = (double)(t->rng[k] >> 32);
        d[6 + 2 * k] = (double)(t->rng[k] & 0xffffffffu);
    }
    d[13] = t->alpha;
    d[14] = t->loss;
    d[15] = (double)t->pairs;
    d[16] = t->hs_loss;
    d[17] = (double)t->end;
    for (int64_t e = 0; e < iter; e++) {
        d[FIXED_DOUBLES + 3 * e] = t->epoch_loss[e];
        d[FIXED_DOUBLES + 3 * e + 1] = (double)t->epoch_pairs[e];
        d[FIXED_DOUBLES + 3 * e + 2] = t->epoch_end[e];
    }
}

static void doubles_to_state(const double *d, int64_t iter,
                             train_thread_state *t)
{
    t->epoch = (int64_t)d[0];
    t->offset = (int64_t)d[1];
    t->skip_partial = d[2] != 0;
    t->known = (int64_t)d[3];
    t->reported = (int64_t)d[4];
    for (int k = 0; k < 4; k++)
        t->rng[k] = (uint64_t)d[5 + 2 * k] << 32 | (uint64_t)d[6 + 2 * k];
    t->alpha = (float)d[13];
    t->loss = d[14];
    t->pairs = (int64_t)d[15];
    t->hs_loss = d[16];
    t->end = (int64_t)d[17];
    for (int64_t e = 0; e < iter; e++) {
        t->epoch_loss[e] = d[FIXED_DOUBLES + 3 * e];
        t->epoch_pairs[e] = (int64_t)d[FIXED_DOUBLES + 3 * e + 1];
        t->epoch_end[e] = d[FIXED_DOUBLES + 3 * e + 2];
    }
}

int cluster_gather_state(const train_state *mine, train_state *all,
                         w2v_err *err)
{
    const int64_t per = FIXED_DOUBLES + 3 * mine->iter;
    const int64_t n = per * mine->threads;
    double *send = malloc(sizeof(double) * (size_t)n);
    double *recv = rank == 0 ? malloc(sizeof(double) * (size_t)(n * ranks))
                             : NULL;
    int ok = send && (rank != 0 || recv);
    if (ok && rank == 0)
        ok = train_state_init(all, mine->threads * ranks, mine->iter,
                              err) == 0;
    if (!cluster_all(ok)) {
        free(send);
        free(recv);
        return w2v_fail(err, "out of memory gathering the run's state");
    }
    for (int64_t i = 0; i < mine->threads; i++)
        state_to_doubles(&mine->thread[i], mine->iter, send + i * per);
    MPI_Gather(send, (int)n, MPI_DOUBLE, recv, (int)n, MPI_DOUBLE, 0,
               MPI_COMM_WORLD);
    if (rank == 0) {
        all->ranks = ranks;
        all->words_done = mine->words_done;
        all->elapsed = mine->elapsed;
        for (int64_t i = 0; i < all->threads; i++)
            doubles_to_state(recv + i * per, mine->iter, &all->thread[i]);
    }
    free(send);
    free(recv);
    return 0;
}

int cluster_sum_stats(train_stats *s, int64_t iter, w2v_err *err)
{
    (void)err;
    if (ranks < 2)
        return 0;
    /* pairs, loss and hs loss sums, then per epoch pairs, loss sums and
     * the end */
    int64_t n = 3 + 3 * iter;
    double *mine = calloc((size_t)n, sizeof(double));
    double *sum = calloc((size_t)n, sizeof(double));
    if (!cluster_all(mine && sum)) {
        free(mine);
        free(sum);
        return w2v_fail(err, "out of memory adding up the statistics");
    }
    mine[0] = (double)s->pairs;
    mine[1] = s->loss_total * (double)s->pairs;
    mine[2] = s->hs_loss_total * (double)s->pairs;
    for (int64_t e = 0; e < iter; e++) {
        mine[3 + e] = (double)s->epoch_pairs[e];
        mine[3 + iter + e] = s->epoch_loss[e] * (double)s->epoch_pairs[e];
    }
    MPI_Allreduce(mine, sum, (int)(3 + 2 * iter), MPI_DOUBLE, MPI_SUM,
                  MPI_COMM_WORLD);
    MPI_Allreduce(s->epoch_seconds, sum + 3 + 2 * iter, (int)iter, MPI_DOUBLE,
                  MPI_MAX, MPI_COMM_WORLD);
    /* each rank's corpus cache of its own part */
    int64_t cache[5] = {s->cache_threads, s->cache_partial, s->cache_dropped,
                        s->cache_bytes, s->cache_words};
    MPI_Allreduce(MPI_IN_PLACE, cache, 5, MPI_INT64_T, MPI_SUM,
                  MPI_COMM_WORLD);
    s->cache_threads = cache[0];
    s->cache_partial = cache[1];
    s->cache_dropped = cache[2];
    s->cache_bytes = cache[3];
    s->cache_words = cache[4];
    s->pairs = (int64_t)sum[0];
    s->loss_total = sum[0] > 0 ? sum[1] / sum[0] : 0.0;
    s->hs_loss_total = sum[0] > 0 ? sum[2] / sum[0] : 0.0;
    for (int64_t e = 0; e < iter; e++) {
        s->epoch_pairs[e] = (int64_t)sum[3 + e];
        s->epoch_loss[e] = sum[3 + e] > 0 ? sum[3 + iter + e] / sum[3 + e]
                                          : 0.0;
        s->epoch_seconds[e] = sum[3 + 2 * iter + e];
    }
    free(mine);
    free(sum);
    return 0;
}

void cluster_abort(int status)
{
    if (started && ranks > 1)
        MPI_Abort(MPI_COMM_WORLD, status);
}
