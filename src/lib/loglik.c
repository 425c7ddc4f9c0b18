/* loglik.c - held-out log-likelihood of the full softmax and the NS loss.
 *
 * The text is read in parts of at most PART_TOKENS words.  For each part
 * the calling thread reads the sentences, lists the centers that have
 * contexts and draws every noise word in the text's order (so the draws do
 * not depend on the threads); then the centers are scored in batches of up
 * to MAX_BATCH: one gemm_nt of the batch's input rows against every output
 * row, a log-sum-exp per center in double, and the terms of its pairs.
 * Each batch's sums are kept apart and added in batch order, so the result
 * is the same whatever the number of threads. */
#include "loglik.h"

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "noise.h"
#include "objective.h"
#include "sentence.h"

enum {
    READ_BUFFER = 1 << 20,
    PART_TOKENS = 1 << 14,       /* words read per part */
    PART_DRAWS = 1 << 20,        /* noise draws per part (4 MB), unless one
                                    sentence needs more */
    MAX_BATCH = 16,              /* centers per gemm */
    BATCH_SCORES = 1 << 21,      /* floats of scores per thread, at most */
    MAX_LOGLIK_THREADS = 256,
};

/* A noise draw equal to the context, skipped (as in training). */
#define NO_DRAW UINT32_MAX

static int check_pair(const vectors *in, const vectors *out, w2v_err *err)
{
    if (in->n != out->n || in->dim != out->dim)
        return w2v_fail(err, "the vectors (%lld x %lld) and the context "
                             "vectors (%lld x %lld) differ in size",
                        (long long)in->n, (long long)in->dim,
                        (long long)out->n, (long long)out->dim);
    if (in->n == 0)
        return w2v_fail(err, "the vector files hold no words");
    for (int64_t w = 0; w < in->n; w++)
        if (strcmp(in->words[w], out->words[w]) != 0)
            return w2v_fail(err, "the vectors and the context vectors differ "
                                 "at row %lld ('%s' vs '%s'): they must come "
                                 "from the same training run",
                            (long long)w + 1, in->words[w], out->words[w]);
    return 0;
}

/* First pass: in-vocabulary counts of the text, for the noise table. */
static int count_words(sentence_reader *text, int32_t *sent, int64_t *counts,
                       w2v_err *err)
{
    while (!text->at_end) {
        int len = sentence_next(text, sent, err);
        if (len < 0)
            return -1;
        for (int i = 0; i < len; i++)
            counts[sent[i]]++;
    }
    return 0;
}

/* A center word with contexts: the part's words lo..hi around pos. */
typedef struct center {
    int32_t pos, lo, hi;
    int64_t draws; /* its first noise draw in the part's list */
} center;

/* One part of the text, and the sums of its batches. */
typedef struct part {
    int32_t *ids;
    int64_t n_ids;
    center *centers;
    int64_t n_centers, cap_centers;
    uint32_t *draws;
    int64_t n_draws, cap_draws;
    double *sums;      /* per batch: the log-likelihood and NS terms */
    int64_t cap_sums;
    int64_t pairs;
} part;

static void part_free(part *p)
{
    free(p->ids);
    free(p->centers);
    free(p->draws);
    free(p->sums);
}

static int grow(void **array, int64_t *cap, int64_t need, size_t size,
                w2v_err *err)
{
    if (need <= *cap)
        return 0;
    int64_t bigger = *cap ? *cap : 1024;
    while (bigger < need)
        bigger *= 2;
    void *p = realloc(*array, (size_t)bigger * size);
    if (!p)
        return w2v_fail(err, "out of memory (%lld x %zu bytes)",
                        (long long)bigger, size);
    *array = p;
    *cap = bigger;
    return 0;
}

/* Adds a sentence (already in p->ids from p->n_ids on, len words): its
 * centers and, pair by pair in order, their noise draws. */
static int add_sentence(part *p, int len, int64_t window, int64_t negative,
                        const alias_table *noise, rng *rg, w2v_err *err)
{
    int32_t base = (int32_t)p->n_ids;
    for (int i = 0; i < len; i++) {
        int lo = i - window > 0 ? i - (int)window : 0;
        int hi = i + window < len - 1 ? i + (int)window : len - 1;
        if (hi - lo < 1)
            continue;
        int64_t need = p->n_draws + (int64_t)(hi - lo) * negative;
        if (grow((void **)&p->centers, &p->cap_centers, p->n_centers + 1,
                 sizeof *p->centers, err) ||
            grow((void **)&p->draws, &p->cap_draws, need, sizeof *p->draws,
                 err))
            return -1;
        p->centers[p->n_centers++] =
            (center){base + i, base + lo, base + hi, p->n_draws};
        for (int j = lo; j <= hi; j++) {
            if (j == i)
                continue;
            uint32_t ctx = (uint32_t)p->ids[base + j];
            for (int64_t d = 0; d < negative; d++) {
                uint32_t n = alias_draw(noise, rg);
                p->draws[p->n_draws++] = n == ctx ? NO_DRAW : n;
            }
            p->pairs++;
        }
    }
    p->n_ids += len;
    return 0;
}

/* What the scoring threads share. */
typedef struct scoring {
    const vectors *in, *out;
    const kernel *k;
    int64_t negative;
    int64_t batch;     /* centers per gemm */
    int64_t ldc;       /* floats per row of scores */
    const part *p;
    int64_t n_batches;
} scoring;

typedef struct scorer {
    const scoring *sc;
    int64_t first, step; /* batches first, first + step, ... */
    float *rows;         /* batch x stride: the centers' input rows */
    float *scores;       /* batch x ldc */
} scorer;

static void *score_batches(void *arg)
{
    scorer *w = arg;
    const scoring *sc = w->sc;
    const part *p = sc->p;
    const vectors *in = sc->in, *out = sc->out;
    for (int64_t b = w->first; b < sc->n_batches; b += w->step) {
        int64_t c0 = b * sc->batch;
        int64_t m = p->n_centers - c0 < sc->batch ? p->n_centers - c0
                                                  : sc->batch;
        for (int64_t i = 0; i < m; i++)
            memcpy(w->rows + i * in->stride,
                   in->data + (int64_t)p->ids[p->centers[c0 + i].pos] *
                                  in->stride,
                   (size_t)in->stride * sizeof(float));
        sc->k->gemm_nt(w->rows, in->stride, out->data, out->stride, w->scores,
                       sc->ldc, m, out->n, in->dim);
        double loglik = 0.0, ns = 0.0;
        for (int64_t i = 0; i < m; i++) {
            const center *c = &p->centers[c0 + i];
            const float *s = w->scores + i * sc->ldc;
            const uint32_t *draw = p->draws + c->draws;
            double log_z = sc->k->log_sum_exp(s, out->n);
            for (int32_t j = c->lo; j <= c->hi; j++) {
                if (j == c->pos)
                    continue;
                float score = s[p->ids[j]];
                loglik += (double)score - log_z;
                ns += kernel_neg_log_sigmoid(score);
                for (int64_t d = 0; d < sc->negative; d++, draw++)
                    if (*draw != NO_DRAW)
                        ns += kernel_neg_log_sigmoid(-s[*draw]);
            }
        }
        p->sums[2 * b] = loglik;
        p->sums[2 * b + 1] = ns;
    }
    return NULL;
}

/* Scores the part's batches with the scorers (threads beyond the first
 * that cannot start are run by the calling thread). */
static void score_part(scorer *workers, int threads)
{
    pthread_t tid[MAX_LOGLIK_THREADS];
    int started[MAX_LOGLIK_THREADS] = {0};
    for (int t = 1; t < threads; t++)
        started[t] = pthread_create(&tid[t], NULL, score_batches,
                                    &workers[t]) == 0;
    score_batches(&workers[0]);
    for (int t = 1; t < threads; t++) {
        if (started[t])
            pthread_join(tid[t], NULL);
        else
            score_batches(&workers[t]);
    }
}

int loglik_eval(const vectors *in, const vectors *out, const corpus *text,
                int64_t window, int64_t negative, uint64_t seed,
                const kernel *k, loglik_result *r, w2v_err *err)
{
    loglik_config cfg = {window, negative, seed, 1, NULL, NULL};
    return loglik_run(in, out, text, &cfg, k, r, err);
}

int loglik_run(const vectors *in, const vectors *out, const corpus *text,
               const loglik_config *cfg, const kernel *k, loglik_result *r,
               w2v_err *err)
{
    memset(r, 0, sizeof *r);
    if (check_pair(in, out, err))
        return -1;
    sentence_reader rd;
    memset(&rd, 0, sizeof rd);
    alias_table noise;
    memset(&noise, 0, sizeof noise);
    part p;
    memset(&p, 0, sizeof p);
    const int64_t words = in->n;
    int threads = cfg->threads < 1 ? 1
                  : cfg->threads > MAX_LOGLIK_THREADS ? MAX_LOGLIK_THREADS
                                                      : cfg->threads;
    scoring sc = {in, out, k, cfg->negative, 0, 0, &p, 0};
    sc.ldc = (words + 15) / 16 * 16;
    sc.batch = BATCH_SCORES / sc.ldc;
    sc.batch = sc.batch > MAX_BATCH ? MAX_BATCH : sc.batch < 1 ? 1 : sc.batch;
    scorer workers[MAX_LOGLIK_THREADS];
    memset(workers, 0, sizeof workers);
    int64_t *counts = w2v_calloc((size_t)words, sizeof *counts, err);
    int rc = -1;
    if (!counts ||
        !(p.ids = w2v_malloc(sizeof *p.ids * PART_TOKENS, err)))
        goto out;
    for (int t = 0; t < threads; t++) {
        workers[t] = (scorer){&sc, t, threads, NULL, NULL};
        size_t rows = (size_t)(sc.batch * in->stride) * sizeof(float);
        size_t scores = (size_t)(sc.batch * sc.ldc) * sizeof(float);
        if (!(workers[t].rows = w2v_alloc_aligned(rows, err)) ||
            !(workers[t].scores = w2v_alloc_aligned(scores, err)))
            goto out;
    }
    if (sentence_reader_init(&rd, text, 0, text->size, READ_BUFFER,
                             &in->table, in->words, NULL, NULL, err) ||
        count_words(&rd, p.ids, counts, err))
        goto out;
    int64_t known = 0;
    for (int64_t w = 0; w < words; w++)
        known += counts[w];
    if (known == 0) {
        w2v_fail(err, "%s: no word of the text is in the vocabulary",
                 text->name);
        goto out;
    }
    if (noise_build(&noise, counts, words, NOISE_POWER, err))
        goto out;
    rng rg;
    rng_seed(&rg, cfg->seed, 0);
    sentence_rewind(&rd);
    rd.tokens_read = rd.known = 0; /* count the scoring pass alone */
    double loglik = 0.0, ns_loss = 0.0;
    while (!rd.at_end) {
        p.n_ids = p.n_centers = p.n_draws = 0;
        while (!rd.at_end && p.n_ids + SENTENCE_MAX <= PART_TOKENS &&
               (p.n_draws < PART_DRAWS || p.n_ids == 0)) {
            int len = sentence_next(&rd, p.ids + p.n_ids, err);
            if (len < 0 || add_sentence(&p, len, cfg->window, cfg->negative,
                                        &noise, &rg, err))
                goto out;
        }
        sc.n_batches = (p.n_centers + sc.batch - 1) / sc.batch;
        if (grow((void **)&p.sums, &p.cap_sums, 2 * sc.n_batches,
                 sizeof(double), err))
            goto out;
        int use = sc.n_batches < threads ? (int)sc.n_batches : threads;
        for (int t = 0; t < use; t++)
            workers[t].step = use;
        if (use > 0)
            score_part(workers, use);
        for (int64_t b = 0; b < sc.n_batches; b++) {
            loglik += p.sums[2 * b];
            ns_loss += p.sums[2 * b + 1];
        }
        if (cfg->progress)
            cfg->progress(rd.tokens.buf_off + rd.tokens.buf_pos, text->size,
                          cfg->progress_ctx);
    }
    r->pairs = p.pairs;
    r->tokens = rd.tokens_read;
    r->skipped = rd.tokens_read - rd.known;
    if (r->pairs > 0) {
        r->loglik = loglik / (double)r->pairs;
        r->ns_loss = ns_loss / (double)r->pairs;
    }
    rc = 0;
out:
    for (int t = 0; t < threads; t++) {
        free(workers[t].rows);
        free(workers[t].scores);
    }
    alias_free(&noise);
    sentence_reader_free(&rd);
    part_free(&p);
    free(counts);
    return rc;
}
