/* train.c - the training loop: skip-gram and CBOW over Hogwild threads,
 * each objective behind the step interface of objective.h. */
#include "train.h"

#include "batch.h"

#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Longest sentence trained at once (words after subsampling), as in the
 * original; longer lines (text8 has one) are cut into pieces. */
enum { MAX_SENTENCE = 1000 };
/* Words a thread processes between updates of the shared counter. */
enum { WORD_CHUNK = 10000 };
/* Bytes of each thread's read buffer. */
enum { READ_BUFFER = 1 << 18 };

void train_config_defaults(train_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->dim = 100;
    cfg->window = 5;
    cfg->negative = 5;
    cfg->threads = w2v_online_cpus();
    cfg->iter = 5;
    cfg->min_count = 5;
    cfg->max_vocab = 21000000;
    cfg->seed = 1;
    cfg->debug = 2;
    cfg->sample = 1e-3;
    cfg->alpha = 0.025;
    cfg->min_alpha_ratio = 1e-4;
    cfg->softmax_centers = 8;
    cfg->batch = 1;
    cfg->progress_every = 1.0;
}

int model_init(model *m, int64_t dim, int64_t seed, double sample,
               w2v_err *err)
{
    int64_t V = m->vocab.size;
    m->dim = dim;
    m->stride = w2v_row_stride(dim);
    m->emb_in = m->emb_out = NULL;
    m->keep = NULL;
    memset(&m->noise, 0, sizeof m->noise);
    memset(&m->tree, 0, sizeof m->tree);
    size_t bytes = sizeof(float) * (size_t)V * (size_t)m->stride;
    if (!(m->emb_in = w2v_alloc_aligned(bytes, err)) ||
        !(m->emb_out = w2v_alloc_aligned(bytes, err)) ||
        !(m->keep = w2v_malloc(sizeof *m->keep * (size_t)V, err)) ||
        noise_build(&m->noise, m->vocab.counts, V, 0.75, err))
        return -1;
    rng r;
    rng_seed(&r, (uint64_t)seed, UINT64_MAX); /* a stream no thread uses */
    for (int64_t w = 0; w < V; w++) {
        float *row = m->emb_in + w * m->stride;
        for (int64_t j = 0; j < m->stride; j++)
            row[j] = j < dim ? (float)((rng_uniform(&r) - 0.5) / (double)dim)
                             : 0.0f;
    }
    memset(m->emb_out, 0, bytes);
    subsample_thresholds(m->vocab.counts, V, m->vocab.total, sample, m->keep);
    return 0;
}

int model_build_tree(model *m, w2v_err *err)
{
    if (m->tree.n == m->vocab.size)
        return 0;
    huffman_free(&m->tree);
    return huffman_build(&m->tree, m->vocab.counts, m->vocab.size, err);
}

void model_free(model *m)
{
    free(m->emb_in);
    free(m->emb_out);
    free(m->keep);
    alias_free(&m->noise);
    huffman_free(&m->tree);
    vocab_free(&m->vocab);
    m->emb_in = m->emb_out = NULL;
    m->keep = NULL;
}

void train_stats_free(train_stats *s)
{
    free(s->epoch_loss);
    free(s->epoch_seconds);
    free(s->epoch_alpha);
    s->epoch_loss = s->epoch_seconds = s->epoch_alpha = NULL;
}

typedef struct trainer trainer;

/* One training thread.  The fields the monitor reads are atomics; the
 * struct is cache-line aligned so threads' hot state never shares a line. */
typedef struct worker {
    _Alignas(64) trainer *t;
    int index;
    rng rng;
    token_reader reader;
    int32_t *sentence;   /* [MAX_SENTENCE] word ids */
    float *grad;         /* [stride] gradient step for the input vector */
    float *mean;         /* [stride] CBOW: mean of the context rows */
    int32_t *contexts;   /* [centers * 2 * window] context word ids */
    const float **ins;   /* softmax: [centers] input rows of one step */
    int *offsets;        /* softmax: [centers + 1] each center's contexts */
    float *grads;        /* softmax: [centers][stride] input steps */
    float **in_rows;     /* batch: [2 * window] context rows of one window */
    uint32_t *noise;     /* batch: [2 * negative] noise words, this window's
                            and the next one's */
    ns_batch nsb;        /* batch: scratch of the shared-negative step */
    objective_ctx obj;
    double loss;         /* this thread's loss sum, all epochs */
    int64_t pairs;
    double *epoch_loss;  /* [iter] */
    int64_t *epoch_pairs;/* [iter] */
    double *epoch_end;   /* [iter] wall clock at the end of each epoch */
    _Atomic double pub_loss; /* published copies of loss and pairs */
    _Atomic int64_t pub_pairs;
    _Atomic int done;
    int failed;
    w2v_err err;
} worker;

struct trainer {
    model *m;
    const corpus *c;
    const train_config *cfg;
    const kernel *k;
    objective_fn objective;
    int targets_per_step; /* contexts given to one objective call */
    int centers_per_step; /* skip-gram softmax: centers per call */
    int64_t words_total;
    double start;
    _Alignas(64) _Atomic int64_t words_done;
    _Alignas(64) _Atomic int stop;
    _Atomic int64_t diverged_epoch; /* 1-based, 0 = finite so far */
};

static double learning_rate(const trainer *t, int64_t done)
{
    double frac = 1.0 - (double)done / ((double)t->words_total + 1.0);
    if (frac < t->cfg->min_alpha_ratio)
        frac = t->cfg->min_alpha_ratio;
    return t->cfg->alpha * frac;
}

/* Context word ids of sent[i] within a window shrunk by a uniform random
 * amount (theory.md section 4), stored at out; returns how many. */
static int gather_contexts(worker *w, const int32_t *sent, int len, int i,
                           int32_t *out)
{
    int window = (int)w->t->cfg->window;
    int reach = window - (int)rng_below(&w->rng, (uint32_t)window);
    int lo = i - reach > 0 ? i - reach : 0;
    int hi = i + reach < len - 1 ? i + reach : len - 1;
    int m = 0;
    for (int j = lo; j <= hi; j++)
        if (j != i)
            out[m++] = sent[j];
    return m;
}

/* Skip-gram: each center word's input row predicts its context words, in
 * groups of targets_per_step per objective call (1 = classic per pair). */
static double train_skipgram(worker *w, const int32_t *sent, int len,
                             float alpha)
{
    const trainer *t = w->t;
    const model *m = t->m;
    double loss = 0.0;
    for (int i = 0; i < len; i++) {
        float *in = m->emb_in + (int64_t)sent[i] * m->stride;
        int n = gather_contexts(w, sent, len, i, w->contexts);
        for (int first = 0; first < n; first += t->targets_per_step) {
            int group = n - first < t->targets_per_step ? n - first
                                                        : t->targets_per_step;
            memset(w->grad, 0, sizeof(float) * (size_t)m->dim);
            loss += t->objective(&w->obj, in, w->contexts + first, group,
                                 alpha, w->grad);
            t->k->axpy(1.0f, w->grad, in, m->dim);
        }
        w->pairs += n;
    }
    return loss;
}

/* Skip-gram with the full softmax: centers_per_step consecutive centers
 * share one scoring pass and one update pass over emb_out (each with all
 * its contexts, see objective_softmax_centers). */
static double train_skipgram_softmax(worker *w, const int32_t *sent, int len,
                                     float alpha)
{
    const trainer *t = w->t;
    const model *m = t->m;
    double loss = 0.0;
    for (int first = 0; first < len; first += t->centers_per_step) {
        int b = len - first < t->centers_per_step ? len - first
                                                  : t->centers_per_step;
        int n = 0;
        for (int i = 0; i < b; i++) {
            w->offsets[i] = n;
            w->ins[i] = m->emb_in + (int64_t)sent[first + i] * m->stride;
            n += gather_contexts(w, sent, len, first + i, w->contexts + n);
        }
        w->offsets[b] = n;
        memset(w->grads, 0, sizeof(float) * (size_t)(b * m->stride));
        loss += objective_softmax_centers(&w->obj, w->ins, b, w->contexts,
                                          w->offsets, alpha, w->grads,
                                          m->stride);
        for (int i = 0; i < b; i++)
            t->k->axpy(1.0f, w->grads + i * m->stride,
                       m->emb_in + (int64_t)sent[first + i] * m->stride,
                       m->dim);
        w->pairs += n;
    }
    return loss;
}

/* Asks for the cache lines of a row of dim floats. */
static inline void prefetch_row(const float *row, int64_t dim)
{
    for (int64_t off = 0; off < dim; off += 64 / (int64_t)sizeof(float))
        __builtin_prefetch(row + off);
}

/* Draws the noise words of one window into noise[], skipping the center;
 * returns how many. */
static int draw_noise(worker *w, uint32_t center, uint32_t *noise)
{
    const model *m = w->t->m;
    int n = 0;
    for (int d = 0; d < w->t->cfg->negative; d++) {
        uint32_t x = alias_draw(&m->noise, &w->rng);
        if (x != center)
            noise[n++] = x;
    }
    return n;
}

/* Skip-gram with shared negatives (HogBatch, batch.h): the context rows of
 * a window predict the center's output row against one set of noise words
 * drawn for the whole window.  The rows the next window adds (its center's
 * output row, its noise rows, the context word entering on the right) are
 * prefetched while this window computes. */
static double train_skipgram_batched(worker *w, const int32_t *sent, int len,
                                     float alpha)
{
    const trainer *t = w->t;
    const model *m = t->m;
    const int64_t stride = m->stride;
    const int window = (int)t->cfg->window;
    uint32_t *noise = w->noise, *noise_next = w->noise + t->cfg->negative;
    double loss = 0.0;
    int n_noise = len > 0 ? draw_noise(w, (uint32_t)sent[0], noise) : 0;
    for (int i = 0; i < len; i++) {
        int n_next = 0;
        if (i + 1 < len) {
            n_next = draw_noise(w, (uint32_t)sent[i + 1], noise_next);
            prefetch_row(m->emb_out + (int64_t)sent[i + 1] * stride, m->dim);
            for (int j = 0; j < n_next; j++)
                prefetch_row(m->emb_out + (int64_t)noise_next[j] * stride,
                             m->dim);
            if (i + 1 + window < len)
                prefetch_row(m->emb_in + (int64_t)sent[i + 1 + window] * stride,
                             m->dim);
        }
        int n_ctx = gather_contexts(w, sent, len, i, w->contexts);
        if (n_ctx > 0) {
            for (int c = 0; c < n_ctx; c++)
                w->in_rows[c] = m->emb_in + (int64_t)w->contexts[c] * stride;
            int n_out = 0;
            w->obj.rows[n_out++] = m->emb_out + (int64_t)sent[i] * stride;
            for (int j = 0; j < n_noise; j++)
                w->obj.rows[n_out++] = m->emb_out + (int64_t)noise[j] * stride;
            loss += ns_batch_step(&w->nsb, t->k, w->in_rows, n_ctx,
                                  w->obj.rows, n_out, alpha);
            w->pairs += n_ctx;
        }
        uint32_t *swap = noise;
        noise = noise_next;
        noise_next = swap;
        n_noise = n_next;
    }
    return loss;
}

/* CBOW: the mean of the context rows predicts the center word; the input
 * gradient step is added to every context row, as in the original. */
static double train_cbow(worker *w, const int32_t *sent, int len, float alpha)
{
    const trainer *t = w->t;
    const model *m = t->m;
    const int64_t dim = m->dim;
    double loss = 0.0;
    for (int i = 0; i < len; i++) {
        int n = gather_contexts(w, sent, len, i, w->contexts);
        if (n == 0)
            continue;
        memset(w->mean, 0, sizeof(float) * (size_t)dim);
        for (int c = 0; c < n; c++)
            t->k->axpy(1.0f / (float)n,
                       m->emb_in + (int64_t)w->contexts[c] * m->stride,
                       w->mean, dim);
        memset(w->grad, 0, sizeof(float) * (size_t)dim);
        loss += t->objective(&w->obj, w->mean, &sent[i], 1, alpha, w->grad);
        for (int c = 0; c < n; c++)
            t->k->axpy(1.0f, w->grad,
                       m->emb_in + (int64_t)w->contexts[c] * m->stride, dim);
        w->pairs++;
    }
    return loss;
}

/* Adds `words` to the shared counter, publishes this thread's loss and
 * returns the new learning rate.  Flags divergence on a non-finite loss. */
static float publish(worker *w, int64_t words, int epoch)
{
    trainer *t = w->t;
    int64_t done = atomic_fetch_add_explicit(&t->words_done, words,
                                             memory_order_relaxed) + words;
    atomic_store_explicit(&w->pub_loss, w->loss, memory_order_relaxed);
    atomic_store_explicit(&w->pub_pairs, w->pairs, memory_order_relaxed);
    if (!isfinite(w->loss)) {
        int64_t none = 0;
        atomic_compare_exchange_strong(&t->diverged_epoch, &none, epoch + 1);
        atomic_store(&t->stop, 1);
    }
    return (float)learning_rate(t, done);
}

static void *worker_main(void *arg)
{
    worker *w = arg;
    trainer *t = w->t;
    const model *m = t->m;
    const uint64_t always = (uint64_t)1 << 32;
    char word[W2V_MAX_WORD + 1];
    int64_t pending = 0; /* words not yet added to the shared counter */
    float alpha = (float)learning_rate(t, 0);
    for (int epoch = 0; epoch < t->cfg->iter && !atomic_load(&t->stop);
         epoch++) {
        double loss_before = w->loss;
        int64_t pairs_before = w->pairs;
        reader_rewind(&w->reader);
        int got = READ_WORD;
        while (got != READ_END && !atomic_load_explicit(&t->stop,
                                                        memory_order_relaxed)) {
            int len = 0, wlen;
            while (len < MAX_SENTENCE) {
                got = reader_next(&w->reader, word, &wlen, &w->err);
                if (got == READ_SENTENCE_END && len > 0)
                    break;
                if (got == READ_END || got == READ_ERROR)
                    break;
                if (got != READ_WORD)
                    continue;
                int64_t id = vocab_find(&m->vocab, word, wlen);
                if (id < 0)
                    continue;
                pending++;
                uint64_t keep = m->keep[id];
                if (keep < always && (rng_next(&w->rng) >> 32) >= keep)
                    continue;
                w->sentence[len++] = (int32_t)id;
            }
            if (got == READ_ERROR) {
                w->failed = 1;
                atomic_store(&t->stop, 1);
                break;
            }
            if (t->cfg->cbow)
                w->loss += train_cbow(w, w->sentence, len, alpha);
            else if (t->cfg->loss == LOSS_NS && t->cfg->batch)
                w->loss += train_skipgram_batched(w, w->sentence, len, alpha);
            else if (t->centers_per_step > 1)
                w->loss += train_skipgram_softmax(w, w->sentence, len, alpha);
            else
                w->loss += train_skipgram(w, w->sentence, len, alpha);
            if (pending >= WORD_CHUNK) {
                alpha = publish(w, pending, epoch);
                pending = 0;
            }
        }
        alpha = publish(w, pending, epoch);
        pending = 0;
        w->epoch_loss[epoch] = w->loss - loss_before;
        w->epoch_pairs[epoch] = w->pairs - pairs_before;
        w->epoch_end[epoch] = w2v_now();
    }
    atomic_store(&w->done, 1);
    return NULL;
}

static void free_workers(worker *ws, int n)
{
    for (int i = 0; i < n; i++) {
        reader_free(&ws[i].reader);
        free(ws[i].sentence);
        free(ws[i].grad);
        free(ws[i].mean);
        free(ws[i].contexts);
        free(ws[i].obj.rows);
        free(ws[i].obj.scores);
        free(ws[i].obj.batch_in);
        free(ws[i].ins);
        free(ws[i].offsets);
        free(ws[i].grads);
        free(ws[i].in_rows);
        free(ws[i].noise);
        ns_batch_free(&ws[i].nsb);
        free(ws[i].epoch_loss);
        free(ws[i].epoch_pairs);
        free(ws[i].epoch_end);
    }
    free(ws);
}

static int setup_worker(worker *w, trainer *t, int i, w2v_err *err)
{
    const train_config *cfg = t->cfg;
    int n = (int)cfg->threads;
    w->t = t;
    w->index = i;
    rng_seed(&w->rng, (uint64_t)cfg->seed, (uint64_t)i);
    if (reader_init(&w->reader, t->c, corpus_range_start(t->c, i, n),
                    corpus_range_start(t->c, i + 1, n), READ_BUFFER, err))
        return -1;
    w->sentence = w2v_malloc(sizeof *w->sentence * MAX_SENTENCE, err);
    w->grad = w2v_alloc_aligned(sizeof(float) * (size_t)t->m->stride, err);
    w->mean = w2v_alloc_aligned(sizeof(float) * (size_t)t->m->stride, err);
    int centers = t->centers_per_step;
    w->contexts = w2v_malloc(sizeof *w->contexts *
                                 (size_t)(centers * 2 * cfg->window), err);
    w->obj.m = t->m;
    w->obj.k = t->k;
    w->obj.negative = (int)cfg->negative;
    w->obj.rng = &w->rng;
    w->obj.rows = w2v_malloc(sizeof *w->obj.rows * (size_t)(cfg->negative + 1),
                             err);
    if (cfg->loss == LOSS_SOFTMAX) {
        size_t stride = (size_t)t->m->stride;
        if (!(w->obj.scores = w2v_alloc_aligned(
                  sizeof(float) * (size_t)centers * (size_t)t->m->vocab.size,
                  err)) ||
            !(w->obj.batch_in = w2v_alloc_aligned(
                  sizeof(float) * (size_t)centers * stride, err)) ||
            !(w->ins = w2v_malloc(sizeof *w->ins * (size_t)centers, err)) ||
            !(w->offsets = w2v_malloc(
                  sizeof *w->offsets * (size_t)(centers + 1), err)) ||
            !(w->grads = w2v_alloc_aligned(
                  sizeof(float) * (size_t)centers * stride, err)))
            return -1;
    }
    if (cfg->loss == LOSS_NS && cfg->batch && !cfg->cbow &&
        (!(w->in_rows = w2v_malloc(sizeof *w->in_rows *
                                       (size_t)(2 * cfg->window), err)) ||
         !(w->noise = w2v_malloc(sizeof *w->noise *
                                     (size_t)(2 * cfg->negative + 1), err)) ||
         ns_batch_init(&w->nsb, t->m->dim, (int)(2 * cfg->window),
                       (int)cfg->negative + 1, err)))
        return -1;
    w->epoch_loss = w2v_calloc((size_t)cfg->iter, sizeof(double), err);
    w->epoch_pairs = w2v_calloc((size_t)cfg->iter, sizeof(int64_t), err);
    w->epoch_end = w2v_calloc((size_t)cfg->iter, sizeof(double), err);
    if (!w->sentence || !w->grad || !w->mean || !w->contexts || !w->obj.rows ||
        !w->epoch_loss ||
        !w->epoch_pairs || !w->epoch_end)
        return -1;
    return 0;
}

/* Sums the published counters of all workers into s. */
static void snapshot(const trainer *t, const worker *ws, train_stats *s)
{
    double loss = 0.0;
    int64_t pairs = 0;
    for (int i = 0; i < t->cfg->threads; i++) {
        loss += atomic_load_explicit(&ws[i].pub_loss, memory_order_relaxed);
        pairs += atomic_load_explicit(&ws[i].pub_pairs, memory_order_relaxed);
    }
    int64_t done = atomic_load_explicit(&t->words_done, memory_order_relaxed);
    double prev_loss = s->loss_total * (double)s->pairs;
    s->loss = pairs > s->pairs ? (loss - prev_loss) / (double)(pairs - s->pairs)
                               : s->loss;
    s->loss_total = pairs > 0 ? loss / (double)pairs : 0.0;
    s->pairs = pairs;
    s->words_done = done;
    s->alpha = learning_rate(t, done);
    s->elapsed = w2v_now() - t->start;
}

static int all_finite(const float *a, int64_t n)
{
    for (int64_t i = 0; i < n; i++)
        if (!isfinite(a[i]))
            return 0;
    return 1;
}

/* Per-epoch table from the workers' records. */
static int epoch_table(const trainer *t, const worker *ws, train_stats *s,
                       w2v_err *err)
{
    int64_t iter = t->cfg->iter;
    s->epoch_loss = w2v_calloc((size_t)iter, sizeof(double), err);
    s->epoch_seconds = w2v_calloc((size_t)iter, sizeof(double), err);
    s->epoch_alpha = w2v_calloc((size_t)iter, sizeof(double), err);
    if (!s->epoch_loss || !s->epoch_seconds || !s->epoch_alpha)
        return -1;
    double prev_end = t->start;
    for (int64_t e = 0; e < iter; e++) {
        double loss = 0.0, end = prev_end;
        int64_t pairs = 0;
        for (int i = 0; i < t->cfg->threads; i++) {
            loss += ws[i].epoch_loss[e];
            pairs += ws[i].epoch_pairs[e];
            if (ws[i].epoch_end[e] > end)
                end = ws[i].epoch_end[e];
        }
        s->epoch_loss[e] = pairs > 0 ? loss / (double)pairs : 0.0;
        s->epoch_seconds[e] = end - prev_end;
        s->epoch_alpha[e] = learning_rate(t, t->words_total * (e + 1) / iter);
        prev_end = end;
    }
    return 0;
}

int train_run(model *m, const corpus *c, const train_config *cfg,
              const kernel *k, train_progress_fn progress, void *ctx,
              train_stats *final, w2v_err *err)
{
    trainer t = {.m = m, .c = c, .cfg = cfg, .k = k, .centers_per_step = 1};
    switch (cfg->loss) {
    case LOSS_NS:
        t.objective = objective_ns;
        t.targets_per_step = 1;
        break;
    case LOSS_SOFTMAX:
        /* all contexts of a center in one call: one normalizer per center */
        t.objective = objective_softmax;
        t.targets_per_step = (int)(2 * cfg->window);
        if (!cfg->cbow && cfg->softmax_centers > 1)
            t.centers_per_step = (int)cfg->softmax_centers;
        break;
    case LOSS_HS:
        if (model_build_tree(m, err))
            return -1;
        t.objective = objective_hs;
        t.targets_per_step = 1;
        break;
    }
    t.words_total = cfg->iter * m->vocab.total;
    atomic_init(&t.words_done, 0);
    atomic_init(&t.stop, 0);
    atomic_init(&t.diverged_epoch, 0);
    memset(final, 0, sizeof *final);
    final->threads = cfg->threads;
    final->words_total = t.words_total;
    final->alpha = cfg->alpha;

    int n = (int)cfg->threads, started = 0, rc = -1;
    worker *ws = w2v_alloc_aligned(sizeof *ws * (size_t)n, err);
    pthread_t *tids = w2v_calloc((size_t)n, sizeof *tids, err);
    if (!ws || !tids)
        goto out;
    memset(ws, 0, sizeof *ws * (size_t)n);
    for (int i = 0; i < n; i++)
        if (setup_worker(&ws[i], &t, i, err))
            goto out;
    t.start = w2v_now();
    for (; started < n; started++)
        if (pthread_create(&tids[started], NULL, worker_main, &ws[started])) {
            w2v_fail(err, "cannot start training thread %d", started + 1);
            atomic_store(&t.stop, 1);
            break;
        }
    double last = t.start;
    for (;;) {
        int running = 0;
        for (int i = 0; i < started; i++)
            running += !atomic_load(&ws[i].done);
        if (!running)
            break;
        struct timespec nap = {0, 20 * 1000 * 1000};
        nanosleep(&nap, NULL);
        if (progress && w2v_now() - last >= cfg->progress_every) {
            snapshot(&t, ws, final);
            progress(final, ctx);
            last = w2v_now();
        }
    }
    for (int i = 0; i < started; i++)
        pthread_join(tids[i], NULL);
    if (started < n)
        goto out;
    for (int i = 0; i < n; i++)
        if (ws[i].failed) {
            *err = ws[i].err;
            goto out;
        }
    snapshot(&t, ws, final);
    int64_t bad_epoch = atomic_load(&t.diverged_epoch);
    size_t cells = (size_t)m->vocab.size * (size_t)m->stride;
    if (!bad_epoch && (!all_finite(m->emb_in, (int64_t)cells) ||
                       !all_finite(m->emb_out, (int64_t)cells)))
        bad_epoch = cfg->iter;
    if (bad_epoch) {
        w2v_fail(err, "training diverged: the loss became non-finite in epoch "
                      "%lld; try a lower -alpha (now %g)",
                 (long long)bad_epoch, cfg->alpha);
        goto out;
    }
    rc = epoch_table(&t, ws, final, err);
out:
    if (ws)
        free_workers(ws, n);
    free(tids);
    if (rc)
        train_stats_free(final);
    return rc;
}
