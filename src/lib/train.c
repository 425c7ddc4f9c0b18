/* train.c - the training loop: skip-gram and CBOW over Hogwild threads,
 * each objective behind the step interface of objective.h. */
#include "train.h"

#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "batch.h"
#include "noise.h"
#include "sentence.h"

/* Words a thread processes between updates of the shared counter. */
enum { WORD_CHUNK = 10000 };
/* Bytes of each thread's read buffer. */
enum { READ_BUFFER = 1 << 18 };
/* How often the calling thread looks at the workers (milliseconds). */
enum { MONITOR_POLL_MS = 20 };

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
    sentence_reader text;
    int32_t *sentence;   /* [SENTENCE_MAX] word ids */
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

/* Trains one sentence of word ids at learning rate alpha; returns the
 * summed loss of its predictions. */
typedef double (*sentence_fn)(worker *w, const int32_t *sent, int len,
                              float alpha);

struct trainer {
    model *m;
    const corpus *c;
    const train_config *cfg;
    const kernel *k;
    objective obj;        /* what the loss needs: noise table, tree */
    uint64_t *keep;       /* subsampling thresholds, per word */
    sentence_fn train_sentence; /* chosen once for the configuration */
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
    int n = 0;
    for (int d = 0; d < w->t->cfg->negative; d++) {
        uint32_t x = alias_draw(&w->t->obj.noise, &w->rng);
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
    int64_t reported = 0; /* known words already added to the shared counter */
    float alpha = (float)learning_rate(t, 0);
    for (int epoch = 0; epoch < t->cfg->iter && !atomic_load(&t->stop);
         epoch++) {
        double loss_before = w->loss;
        int64_t pairs_before = w->pairs;
        sentence_rewind(&w->text);
        while (!w->text.at_end &&
               !atomic_load_explicit(&t->stop, memory_order_relaxed)) {
            int len = sentence_next(&w->text, w->sentence, &w->err);
            if (len < 0) {
                w->failed = 1;
                atomic_store(&t->stop, 1);
                break;
            }
            w->loss += t->train_sentence(w, w->sentence, len, alpha);
            if (w->text.known - reported >= WORD_CHUNK) {
                alpha = publish(w, w->text.known - reported, epoch);
                reported = w->text.known;
            }
        }
        alpha = publish(w, w->text.known - reported, epoch);
        reported = w->text.known;
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
        sentence_reader_free(&ws[i].text);
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
    const vocab *v = &t->m->vocab;
    if (sentence_reader_init(&w->text, t->c, corpus_range_start(t->c, i, n),
                             corpus_range_start(t->c, i + 1, n), READ_BUFFER,
                             &v->table, v->words, t->keep, &w->rng, err))
        return -1;
    w->sentence = w2v_malloc(sizeof *w->sentence * SENTENCE_MAX, err);
    w->grad = w2v_alloc_aligned(sizeof(float) * (size_t)t->m->stride, err);
    w->mean = w2v_alloc_aligned(sizeof(float) * (size_t)t->m->stride, err);
    int centers = t->centers_per_step;
    w->contexts = w2v_malloc(sizeof *w->contexts *
                                 (size_t)(centers * 2 * cfg->window), err);
    w->obj.m = t->m;
    w->obj.obj = &t->obj;
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
    int64_t per_epoch = t->words_total / t->cfg->iter;
    s->epoch = per_epoch > 0 && done / per_epoch < t->cfg->iter
                   ? done / per_epoch + 1 : t->cfg->iter;
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

/* Chooses the objective and the per-sentence routine for cfg, and builds
 * what they need (noise table or tree, subsampling thresholds). */
static int trainer_init(trainer *t, w2v_err *err)
{
    const train_config *cfg = t->cfg;
    const model *m = t->m;
    t->centers_per_step = 1;
    t->targets_per_step = 1;
    t->objective = objective_step(cfg->loss);
    if (cfg->loss == LOSS_SOFTMAX) {
        /* all contexts of a center in one call: one normalizer per center */
        t->targets_per_step = (int)(2 * cfg->window);
        if (!cfg->cbow && cfg->softmax_centers > 1)
            t->centers_per_step = (int)cfg->softmax_centers;
    }
    if (cfg->cbow)
        t->train_sentence = train_cbow;
    else if (cfg->loss == LOSS_NS && cfg->batch)
        t->train_sentence = train_skipgram_batched;
    else if (t->centers_per_step > 1)
        t->train_sentence = train_skipgram_softmax;
    else
        t->train_sentence = train_skipgram;
    if (objective_init(&t->obj, cfg->loss, m, err) ||
        !(t->keep = w2v_malloc(sizeof *t->keep * (size_t)m->vocab.size, err)))
        return -1;
    subsample_thresholds(m->vocab.counts, m->vocab.size, m->vocab.total,
                         cfg->sample, t->keep);
    return 0;
}

static void trainer_free(trainer *t)
{
    objective_free(&t->obj);
    free(t->keep);
}

int train_run(model *m, const corpus *c, const train_config *cfg,
              const kernel *k, const train_monitor *monitor,
              train_stats *final, w2v_err *err)
{
    trainer t = {.m = m, .c = c, .cfg = cfg, .k = k};
    memset(final, 0, sizeof *final);
    int n = (int)cfg->threads, started = 0, rc = -1;
    worker *ws = NULL;
    pthread_t *tids = NULL;
    if (trainer_init(&t, err))
        goto out;
    t.words_total = cfg->iter * m->vocab.total;
    atomic_init(&t.words_done, 0);
    atomic_init(&t.stop, 0);
    atomic_init(&t.diverged_epoch, 0);
    final->threads = cfg->threads;
    final->words_total = t.words_total;
    final->alpha = cfg->alpha;
    ws = w2v_alloc_aligned(sizeof *ws * (size_t)n, err);
    tids = w2v_calloc((size_t)n, sizeof *tids, err);
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
        struct timespec nap = {0, MONITOR_POLL_MS * 1000 * 1000};
        nanosleep(&nap, NULL);
        if (monitor && monitor->progress &&
            w2v_now() - last >= monitor->interval) {
            snapshot(&t, ws, final);
            monitor->progress(final, monitor->ctx);
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
    trainer_free(&t);
    if (rc)
        train_stats_free(final);
    return rc;
}
