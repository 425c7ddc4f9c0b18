/* train.c - the training loop: Hogwild threads over byte ranges of the
 * corpus, the shared schedule, safe points where every thread can wait for
 * a snapshot, and resuming from one (train.h).
 *
 * A thread's safe point is the gap between two sentences (between two
 * blocks of them, with context combining): nothing of the thread's work is
 * then in flight, so the matrices, its reader position, its generator and
 * its counters together say exactly where it stands. */
#include "train.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "noise.h"
#include "train_internal.h"

/* Words a thread processes between updates of the shared counter. */
enum { WORD_CHUNK = 10000 };
/* Context combining trains blocks of sentences together, of at most
 * cfg->combine_block words and an eighth as many sentences. */
enum { COMBINE_WORDS_PER_SENTENCE = 8 };
_Static_assert(TRAIN_COMBINE_BLOCK_MIN >= SENTENCE_MAX,
               "a block holds at least one sentence");
/* Bytes of each thread's read buffer. */
enum { READ_BUFFER = 1 << 18 };
/* In its last epoch a thread reading text claims its range this many
 * bytes at a time, so that a thread done with its own can take half of
 * what is not yet claimed; less than twice this is not shared. */
enum { TAIL_CHUNK = 1 << 18 };

/* ... and a thread replaying its complete cache claims it this many
 * events at a time (a multiple of CORPUS_CACHE_MARK_EVERY). */
enum { TAIL_EVENTS = 1 << 16 };

/* Where a claim of the next `chunk` bytes or events from `at` ends, in a
 * range that ends at `end`. */
static int64_t claim_end(int64_t at, int64_t end, int64_t chunk)
{
    return end - at > chunk ? at + chunk : end;
}
/* How often the calling thread looks at the workers (milliseconds). */
enum { MONITOR_POLL_MS = 20 };
/* -corpus-cache auto gives the cache at most 1 / CACHE_MODEL_SHARE of the
 * model's two matrices (2 x V x dim floats), less what the threads'
 * combining blocks hold of the corpus, and at most 1 / CACHE_MEMORY_SHARE
 * of the memory this process may use.  A corpus over that budget is cached
 * up to it, the rest read from the text.  With the padding of the rows,
 * the tables and the threads' buffers, the process then stays within 1.5
 * times the matrices and vocabulary at the default dimension on two
 * threads (scripts/BENCHMARKS.md, "Context combining's block"); with many
 * threads on a small model the blocks alone may take more. */
enum { CACHE_MODEL_SHARE = 5, CACHE_MEMORY_SHARE = 4 };
/* With peers, a thread trains at most this many sync intervals past the
 * last sync: when syncs are late (a peer is slow, or off the CPU), the
 * replicas would drift apart, and adding up their long-stale changes to
 * the busiest rows overshoots. */
#define STALE_SYNCS 3.0

void train_stats_free(train_stats *s)
{
    free(s->epoch_loss);
    free(s->epoch_pairs);
    free(s->epoch_seconds);
    free(s->epoch_alpha);
    s->epoch_loss = s->epoch_seconds = s->epoch_alpha = NULL;
    s->epoch_pairs = NULL;
}

int train_state_init(train_state *st, int64_t threads, int64_t iter,
                     w2v_err *err)
{
    memset(st, 0, sizeof *st);
    st->threads = threads;
    st->ranks = 1;
    st->iter = iter;
    if (!(st->thread = w2v_calloc((size_t)threads, sizeof *st->thread, err)))
        return -1;
    for (int64_t i = 0; i < threads; i++) {
        train_thread_state *ts = &st->thread[i];
        if (!(ts->epoch_loss = w2v_calloc((size_t)iter, sizeof(double), err)) ||
            !(ts->epoch_pairs =
                  w2v_calloc((size_t)iter, sizeof(int64_t), err)) ||
            !(ts->epoch_end = w2v_calloc((size_t)iter, sizeof(double), err))) {
            train_state_free(st);
            return -1;
        }
    }
    return 0;
}

void train_state_free(train_state *st)
{
    for (int64_t i = 0; st->thread && i < st->threads; i++) {
        free(st->thread[i].epoch_loss);
        free(st->thread[i].epoch_pairs);
        free(st->thread[i].epoch_end);
    }
    free(st->thread);
    memset(st, 0, sizeof *st);
}

int train_state_copy(train_state *dst, const train_state *src, w2v_err *err)
{
    if (train_state_init(dst, src->threads, src->iter, err))
        return -1;
    train_thread_state *mine = dst->thread;
    *dst = *src;
    dst->thread = mine;
    const size_t iter = (size_t)src->iter;
    for (int64_t i = 0; i < src->threads; i++) {
        train_thread_state *d = &mine[i];
        const train_thread_state *s = &src->thread[i];
        double *loss = d->epoch_loss, *end = d->epoch_end;
        int64_t *pairs = d->epoch_pairs;
        *d = *s;
        d->epoch_loss = memcpy(loss, s->epoch_loss, sizeof *loss * iter);
        d->epoch_pairs = memcpy(pairs, s->epoch_pairs, sizeof *pairs * iter);
        d->epoch_end = memcpy(end, s->epoch_end, sizeof *end * iter);
    }
    return 0;
}

/* Training seconds so far, earlier sessions included. */
static double training_seconds(const trainer *t)
{
    return t->elapsed_before + (w2v_now() - t->start);
}

/* Adds `words` to the shared counter, publishes this thread's loss and
 * sets its new learning rate.  Flags divergence on a non-finite loss. */
static void publish(worker *w, int64_t words)
{
    trainer *t = w->t;
    int64_t done = atomic_fetch_add_explicit(&t->words_done, words,
                                             memory_order_relaxed) + words +
                   atomic_load_explicit(&t->words_others, memory_order_relaxed);
    atomic_store_explicit(&w->pub_loss, w->loss, memory_order_relaxed);
    atomic_store_explicit(&w->pub_hs_loss, w->obj.hs_loss,
                          memory_order_relaxed);
    atomic_store_explicit(&w->pub_pairs, w->pairs, memory_order_relaxed);
    if (!isfinite(w->loss)) {
        int64_t none = 0;
        atomic_compare_exchange_strong(&t->diverged_epoch, &none,
                                       w->epoch + 1);
        atomic_store(&t->stop, 1);
    }
    w->alpha = (float)learning_rate(t, done);
}

static int stopping(const trainer *t)
{
    return atomic_load_explicit(&t->stop, memory_order_relaxed);
}

/* 1 when this run's model is too stale to train on: with peers, the last
 * sync is more than stale_limit seconds ago. */
static int too_stale(const trainer *t)
{
    return t->stale_limit > 0 && !stopping(t) &&
           w2v_now() - atomic_load_explicit(&t->synced_at,
                                            memory_order_relaxed) >
               t->stale_limit;
}

/* 1 while the workers must wait at their safe points: the monitor takes
 * a snapshot, or the model is too stale. */
static int held(const trainer *t)
{
    return atomic_load_explicit(&t->pause, memory_order_acquire) ||
           too_stale(t);
}

/* Waits here while the workers are held; with `nap`, also until a worker
 * moves or MONITOR_POLL_MS pass.  Meanwhile w counts as paused: it touches
 * nothing the monitor may read. */
static void wait_at_safe_point(worker *w, int nap)
{
    trainer *t = w->t;
    if (!nap && !held(t))
        return;
    pthread_mutex_lock(&t->lock);
    t->paused++;
    if (atomic_load_explicit(&t->pause, memory_order_acquire))
        pthread_cond_broadcast(&t->moved); /* the monitor waits for it */
    do {
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_nsec += MONITOR_POLL_MS * 1000 * 1000;
        if (until.tv_nsec >= 1000000000L) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000L;
        }
        pthread_cond_timedwait(&t->moved, &t->lock, &until);
    } while (held(t));
    t->paused--;
    pthread_mutex_unlock(&t->lock);
}

/* Waits here while the workers are held (a snapshot, a stale model). */
static void safe_point(worker *w)
{
    wait_at_safe_point(w, 0);
}

/* At the start of epoch `epoch` (not the first): the first thread to get
 * there asks for a snapshot and, without peers, waits for it at its next
 * safe point, so that with one thread the snapshot falls exactly between
 * the epochs (peers take snapshots together, at a sync). */
static void epoch_begins(worker *w, int64_t epoch)
{
    trainer *t = w->t;
    int64_t saved = atomic_load(&t->epochs_saved);
    while (saved < epoch)
        if (atomic_compare_exchange_weak(&t->epochs_saved, &saved, epoch)) {
            atomic_store(&t->snapshot_asked, 1);
            if (t->exact_epochs)
                atomic_store_explicit(&t->pause, 1, memory_order_release);
            break;
        }
}

/* The reader's extend callback: the next TAIL_CHUNK bytes of the range,
 * or replaying the next TAIL_EVENTS events; 0 at its end. */
static int claim_more(void *arg, sentence_reader *s)
{
    worker *w = arg;
    pthread_mutex_lock(&w->t->range_lock);
    int more;
    if (s->replaying) {
        more = s->replay_end < w->events_end;
        if (more)
            s->replay_end = claim_end(s->replay_end, w->events_end,
                                      TAIL_EVENTS);
    } else {
        more = s->tokens.end < w->range_end;
        if (more)
            s->tokens.end = claim_end(s->tokens.end, w->range_end, TAIL_CHUNK);
    }
    pthread_mutex_unlock(&w->t->range_lock);
    return more;
}

/* At the start of w's last epoch (or where a resumed run continues it):
 * the rest of its range becomes shared, claimed a piece at a time: the
 * events of a complete cache, or the text (all of it, or what follows a
 * partial cache).  Threads waiting for a tail to take are woken. */
static void share_tail(worker *w)
{
    trainer *t = w->t;
    sentence_reader *s = &w->text;
    if (!s->extend)
        return;
    pthread_mutex_lock(&t->range_lock);
    if (s->replaying && s->cache->state == CORPUS_CACHE_COMPLETE) {
        w->events_end = s->cache->events;
        s->replay_end = claim_end(s->cache_events, w->events_end,
                                  TAIL_EVENTS);
    } else {
        int skip;
        int64_t at = s->replaying ? s->cache->end_offset
                                  : reader_tell(&s->tokens, &skip);
        s->tokens.end = claim_end(at, w->range_end, TAIL_CHUNK);
    }
    pthread_mutex_unlock(&t->range_lock);
    pthread_mutex_lock(&t->lock);
    pthread_cond_broadcast(&t->moved);
    pthread_mutex_unlock(&t->lock);
}

/* Where worker o, replaying its cache in pieces, may be split: a multiple
 * of CORPUS_CACHE_MARK_EVERY events near the middle of its unclaimed rest
 * (the text offset of that mark is where the events after it begin), or
 * 0 when no mark lies inside the rest. */
static int64_t replay_split(const worker *o)
{
    const int64_t every = CORPUS_CACHE_MARK_EVERY;
    int64_t at = o->text.replay_end, end = o->events_end;
    int64_t mid = (at + (end - at) / 2) / every * every;
    if (mid <= at)
        mid += every;
    return mid < end ? mid : 0;
}

/* The text offset of the last mark at or before `events` events of o's
 * cache: where the events up to it end (its range's start before the
 * first mark). */
static int64_t mark_offset(const worker *o, int64_t events)
{
    int64_t mark = events / CORPUS_CACHE_MARK_EVERY;
    return mark > 0 ? o->text.cache->marks[mark - 1].offset
                    : o->text.tokens.begin;
}

/* The bytes of text that worker o has not claimed of its range, and for
 * one replaying its cache in pieces, in *split where to split it (else 0).
 * Under range_lock. */
static int64_t unclaimed(const worker *o, int64_t *split)
{
    *split = 0;
    if (o->events_end > 0) { /* text.replay_end is o's alone otherwise */
        *split = o->events_end > o->text.replay_end ? replay_split(o) : 0;
        return *split ? o->range_end - mark_offset(o, o->text.replay_end)
                      : 0;
    }
    return o->range_end - o->text.tokens.end;
}

/* Worker w has ended its own range in the last epoch: it takes the second
 * half of the unclaimed rest of the thread that has the most left, and
 * reads it from the text as a range of its own (of text, its first partial
 * word is the other's; of a cache, the other replays up to a mark and w
 * reads the text after it).  Only a shared range has an unclaimed rest.
 * Returns 1 when it took one.  Under range_lock. */
static int take_tail(worker *w)
{
    trainer *t = w->t;
    worker *from = NULL;
    int64_t most = 2 * (int64_t)TAIL_CHUNK - 1, split = 0;
    for (int64_t i = 0; i < t->cfg->threads; i++) {
        worker *o = w - w->index + i;
        int64_t at = 0, left = o == w ? 0 : unclaimed(o, &at);
        if (left > most) {
            from = o;
            most = left;
            split = at;
        }
    }
    if (!from)
        return 0;
    int64_t mid = split ? mark_offset(from, split)
                        : from->text.tokens.end + most / 2;
    w->range_end = from->range_end;
    from->range_end = mid;
    if (split)
        from->events_end = split;
    sentence_seek(&w->text, mid, !split);
    w->text.tokens.end = claim_end(mid, w->range_end, TAIL_CHUNK);
    t->tail_takes++;
    return 1;
}

/* Marks w as done with its own work (idle) or not, counted in the
 * trainer's idle.  Under range_lock. */
static void set_idle(worker *w, int idle)
{
    if (w->idle != idle) {
        w->idle = idle;
        w->t->idle += idle ? 1 : -1;
    }
}

/* Worker w has ended its own range in its last epoch: it takes a tail of
 * another thread's, waiting (as at a safe point) while there is none to
 * take but some thread still trains its own.  Returns 1 when it took one,
 * 0 when no thread has work left to share, -1 when the run stops. */
static int next_tail(worker *w)
{
    trainer *t = w->t;
    if (!w->text.extend)
        return 0;
    for (;;) {
        pthread_mutex_lock(&t->range_lock);
        w->events_end = 0; /* its own replay, if any, is over */
        int took = take_tail(w);
        set_idle(w, !took);
        int busy = t->idle < t->cfg->threads;
        pthread_mutex_unlock(&t->range_lock);
        if (took)
            return 1;
        if (!busy)
            return 0;
        wait_at_safe_point(w, 1);
        if (stopping(t))
            return -1;
    }
}

/* Trains the rest of the thread's current epoch, from where its reader
 * stands; in the last epoch, then the tails it takes from others.
 * Returns 0 at the end of the epoch, -1 when the run stops. */
static int train_epoch(worker *w)
{
    trainer *t = w->t;
    for (;;) {
        safe_point(w);
        if (stopping(t))
            return -1;
        if (w->text.at_end) {
            int took = w->epoch < t->cfg->iter - 1 ? 0 : next_tail(w);
            if (took <= 0)
                return took;
        }
        int n = 0, len = 0;
        while (n < t->block_sentences &&
               len + SENTENCE_MAX <= t->block_words) {
            int got = sentence_next(&w->text, w->sentence + len, &w->err);
            if (got < 0) {
                w->failed = 1;
                atomic_store(&t->stop, 1);
                return -1;
            }
            if (got == 0)
                break;
            len += got;
            w->ends[n++] = len;
        }
        if (t->train_block && n > 0)
            w->loss += t->train_block(w, w->sentence, w->ends, n, w->alpha);
        else
            for (int s = 0; s < n; s++) {
                int first = s > 0 ? w->ends[s - 1] : 0;
                w->loss += t->train_sentence(w, w->sentence + first,
                                             w->ends[s] - first, w->alpha);
            }
        if (w->text.known - w->reported >= WORD_CHUNK) {
            publish(w, w->text.known - w->reported);
            w->reported = w->text.known;
        }
    }
}

static void *worker_main(void *arg)
{
    worker *w = arg;
    trainer *t = w->t;
    const int64_t iter = t->cfg->iter;
    while (w->epoch < iter) {
        double loss_before = w->loss;
        int64_t pairs_before = w->pairs;
        if (w->epoch == iter - 1)
            share_tail(w);
        if (train_epoch(w))
            break;
        publish(w, w->text.known - w->reported);
        w->reported = w->text.known;
        w->epoch_loss[w->epoch] += w->loss - loss_before;
        w->epoch_pairs[w->epoch] += w->pairs - pairs_before;
        w->epoch_end[w->epoch] = training_seconds(t);
        w->epoch++;
        sentence_rewind(&w->text);
        if (w->epoch < iter && t->save_at_epochs)
            epoch_begins(w, w->epoch);
    }
    pthread_mutex_lock(&t->range_lock);
    set_idle(w, 1);
    pthread_mutex_unlock(&t->range_lock);
    pthread_mutex_lock(&t->lock);
    t->ended++;
    pthread_cond_broadcast(&t->moved);
    pthread_mutex_unlock(&t->lock);
    return NULL;
}

static void free_workers(worker *ws, int n)
{
    for (int i = 0; i < n; i++) {
        sentence_reader_free(&ws[i].text);
        corpus_cache_free(&ws[i].cache);
        free(ws[i].sentence);
        free(ws[i].ends);
        free(ws[i].comb.head);
        free(ws[i].comb.next);
        free(ws[i].comb.in_rows);
        free(ws[i].comb.labels);
        free(ws[i].comb.out_rows);
        free(ws[i].comb.words);
        free(ws[i].comb.weights);
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

/* n * size bytes, or 0 when that overflows (or n is negative). */
static size_t array_bytes(int64_t n, size_t size)
{
    if (n < 0 || (size && (uint64_t)n > SIZE_MAX / size))
        return 0;
    return (size_t)n * size;
}

/* The bytes the threads' combining blocks hold when they train `words`
 * words (a block of w words holds w ids, w links and w / 8 sentence
 * ends); 0 without combining. */
static int64_t combine_blocks_bytes(const train_config *cfg, int64_t words)
{
    if (!train_config_combines(cfg))
        return 0;
    int64_t each = words / cfg->threads + 1;
    if (each > cfg->combine_block)
        each = cfg->combine_block;
    int64_t ids_and_links = each * 2 * (int64_t)sizeof(int32_t);
    int64_t ends = each / COMBINE_WORDS_PER_SENTENCE * (int64_t)sizeof(int);
    return cfg->threads * (ids_and_links + ends);
}

void train_cache_plan_for(const model *m, const corpus *c,
                          const train_config *cfg, train_cache_plan *plan)
{
    int64_t all = corpus_cache_estimate(m->vocab.counts, m->vocab.size);
    double part = c->size > 0 ? (double)(c->end - c->begin) / (double)c->size
                              : 1.0;
    plan->estimate = (int64_t)((double)all * part);
    plan->by_memory = 0;
    plan->blocks = 0;
    if (cfg->corpus_cache_budget > 0) {
        plan->budget = cfg->corpus_cache_budget;
    } else {
        int64_t matrices = 2 * m->vocab.size * m->dim * (int64_t)sizeof(float);
        int64_t memory = w2v_memory_bytes() / CACHE_MEMORY_SHARE;
        plan->blocks = combine_blocks_bytes(
            cfg, (int64_t)((double)m->vocab.total * part));
        plan->budget = matrices / CACHE_MODEL_SHARE - plan->blocks;
        if (plan->budget < 0)
            plan->budget = 0;
        if (memory > 0 && memory < plan->budget) {
            plan->budget = memory;
            plan->by_memory = 1;
        }
    }
    plan->use = cfg->corpus_cache == CORPUS_CACHE_ON ||
                (cfg->corpus_cache == CORPUS_CACHE_AUTO && cfg->iter > 1 &&
                 plan->budget > 0);
    plan->whole = cfg->corpus_cache == CORPUS_CACHE_ON ||
                  plan->estimate <= plan->budget;
}

/* Gives worker w (its reader at the start of its range) the cache the
 * plan wants, sized by its share of this process's part of the corpus:
 * the estimate reserved (at most its limit), auto's budget as its limit. */
static int setup_cache(worker *w, const trainer *t, w2v_err *err)
{
    const train_cache_plan *plan = &t->cache_plan;
    if (!plan->use)
        return 0;
    const token_reader *r = &w->text.tokens;
    int64_t part = t->c->end - t->c->begin;
    double share = part > 0 ? (double)(r->end - r->begin) / (double)part : 1.0;
    int required = t->cfg->corpus_cache == CORPUS_CACHE_ON;
    int64_t reserve = (int64_t)(share * (double)plan->estimate);
    int64_t limit = required ? INT64_MAX
                             : (int64_t)(share * (double)plan->budget);
    if (corpus_cache_init(&w->cache, reserve, limit, required, err))
        return w2v_fail(err, "-corpus-cache on: cannot allocate the %.1f MB "
                             "the corpus cache of thread %d is estimated to "
                             "take (use -corpus-cache auto or off)",
                        (double)reserve / 1e6, w->index + 1);
    sentence_reader_use_cache(&w->text, &w->cache);
    return 0;
}

/* Allocates worker i's buffers for the configuration; its reader is at the
 * start of its range, its generator seeded from (seed, i). */
static int setup_worker(worker *w, trainer *t, int i, w2v_err *err)
{
    const train_config *cfg = t->cfg;
    const vocab *v = &t->m->vocab;
    const int64_t stride = t->m->stride, n = cfg->threads;
    const int64_t centers = t->centers_per_step;
    w->t = t;
    w->index = i;
    w->alpha = (float)learning_rate(t, 0);
    rng_seed(&w->rng, (uint64_t)cfg->seed, (uint64_t)(t->first_thread + i));
    w->range_end = corpus_range_start(t->c, i + 1, (int)n);
    if (sentence_reader_init(&w->text, t->c, corpus_range_start(t->c, i, (int)n),
                             w->range_end, READ_BUFFER, &v->table, v->words,
                             t->keep, &w->rng, err) ||
        setup_cache(w, t, err))
        return -1;
    if (n > 1) { /* a thread alone has no tail to share */
        w->text.extend = claim_more;
        w->text.extend_arg = w;
    }
    size_t row = array_bytes(stride, sizeof(float));
    size_t scores = array_bytes(centers * v->size, sizeof(float));
    if (!scores)
        return w2v_fail(err, "the softmax scores of %lld centers over %lld "
                             "words do not fit in memory",
                        (long long)centers, (long long)v->size);
    w->obj.m = t->m;
    w->obj.obj = &t->obj;
    w->obj.k = t->k;
    w->obj.negative = (int)cfg->negative;
    w->obj.rng = &w->rng;
    const size_t block_words = (size_t)t->block_words;
    if (!(w->sentence = w2v_malloc(sizeof *w->sentence * block_words, err)) ||
        !(w->ends = w2v_malloc(sizeof *w->ends * (size_t)t->block_sentences,
                               err)) ||
        !(w->grad = w2v_alloc_aligned(row, err)) ||
        !(w->mean = w2v_alloc_aligned(row, err)) ||
        !(w->contexts = w2v_malloc(sizeof *w->contexts *
                                       (size_t)(centers * 2 * cfg->window),
                                   err)) ||
        !(w->obj.rows = w2v_malloc(sizeof *w->obj.rows *
                                       (size_t)(cfg->negative + 1), err)) ||
        !(w->epoch_loss = w2v_calloc((size_t)cfg->iter, sizeof(double), err)) ||
        !(w->epoch_pairs =
              w2v_calloc((size_t)cfg->iter, sizeof(int64_t), err)) ||
        !(w->epoch_end = w2v_calloc((size_t)cfg->iter, sizeof(double), err)))
        return -1;
    if (cfg->loss == LOSS_SOFTMAX &&
        (!(w->obj.scores = w2v_alloc_aligned(scores, err)) ||
         !(w->obj.batch_in = w2v_alloc_aligned((size_t)centers * row, err)) ||
         !(w->ins = w2v_malloc(sizeof *w->ins * (size_t)centers, err)) ||
         !(w->offsets = w2v_malloc(sizeof *w->offsets * (size_t)(centers + 1),
                                   err)) ||
         !(w->grads = w2v_alloc_aligned((size_t)centers * row, err))))
        return -1;
    const size_t outs = (size_t)cfg->negative + 1;
    if (t->train_sentence == train_skipgram_batched &&
        (!(w->in_rows = w2v_malloc(sizeof *w->in_rows *
                                       (size_t)(2 * cfg->window), err)) ||
         !(w->noise = w2v_malloc(sizeof *w->noise *
                                     (size_t)(2 * cfg->negative + 1), err)) ||
         ns_batch_init(&w->nsb, t->m->dim, (int)(2 * cfg->window), (int)outs,
                       err)))
        return -1;
    combine_scratch *cs = &w->comb;
    if (t->train_block == train_skipgram_combined) {
        const int64_t max_in = 2 * cfg->window * cfg->combine;
        if (ns_batch_init(&w->nsb, t->m->dim, (int)max_in, (int)outs, err) ||
            !(cs->head = w2v_malloc(sizeof *cs->head * (size_t)v->size, err)) ||
            !(cs->next = w2v_malloc(sizeof *cs->next * block_words, err)) ||
            !(cs->in_rows = w2v_malloc(sizeof *cs->in_rows * 2 * (size_t)max_in,
                                       err)) ||
            !(cs->labels = w2v_malloc(sizeof *cs->labels * 2 * (size_t)max_in,
                                      err)) ||
            !(cs->words = w2v_malloc(sizeof *cs->words * 2 * outs, err)) ||
            !(cs->out_rows = w2v_malloc(sizeof *cs->out_rows * 2 * outs,
                                        err)) ||
            !(cs->weights = w2v_malloc(sizeof *cs->weights * 2 * outs, err)))
            return -1;
        for (int64_t x = 0; x < v->size; x++)
            cs->head[x] = -1;
    }
    return 0;
}

/* Puts worker w where thread state s says it stood. */
static void restore_worker(worker *w, const train_thread_state *s)
{
    int64_t iter = w->t->cfg->iter;
    w->epoch = s->epoch;
    if (s->end > 0)
        w->range_end = w->text.tokens.end = s->end;
    sentence_seek(&w->text, s->offset, s->skip_partial);
    w->text.known = s->known;
    w->reported = s->reported;
    memcpy(w->rng.s, s->rng, sizeof w->rng.s);
    w->alpha = s->alpha;
    w->loss = s->loss;
    w->obj.hs_loss = s->hs_loss;
    w->pairs = s->pairs;
    memcpy(w->epoch_loss, s->epoch_loss, sizeof(double) * (size_t)iter);
    memcpy(w->epoch_pairs, s->epoch_pairs, sizeof(int64_t) * (size_t)iter);
    memcpy(w->epoch_end, s->epoch_end, sizeof(double) * (size_t)iter);
}

/* Writes where worker w stands into s (w waits at a safe point or ended);
 * -1 when its place in the text cannot be read back (message in err). */
static int record_worker(worker *w, train_thread_state *s, w2v_err *err)
{
    int64_t iter = w->t->cfg->iter;
    s->epoch = w->epoch;
    if (sentence_tell(&w->text, &s->offset, &s->skip_partial, err))
        return -1;
    s->end = w->range_end;
    s->known = w->text.known;
    s->reported = w->reported;
    memcpy(s->rng, w->rng.s, sizeof s->rng);
    s->alpha = w->alpha;
    s->loss = w->loss;
    s->hs_loss = w->obj.hs_loss;
    s->pairs = w->pairs;
    memcpy(s->epoch_loss, w->epoch_loss, sizeof(double) * (size_t)iter);
    memcpy(s->epoch_pairs, w->epoch_pairs, sizeof(int64_t) * (size_t)iter);
    memcpy(s->epoch_end, w->epoch_end, sizeof(double) * (size_t)iter);
    return 0;
}

/* Continues a run saved with another number of threads: its history goes
 * to worker 0, and every worker starts at the same point of the schedule,
 * that fraction into its own range of the corpus. */
static void resplit_workers(trainer *t, worker *ws, const train_state *r)
{
    const int64_t iter = t->cfg->iter, n = t->cfg->threads;
    const int64_t per_epoch = t->m->vocab.total;
    int64_t epoch = per_epoch > 0 ? r->words_done / per_epoch : iter;
    double frac = epoch < iter ? (double)(r->words_done - epoch * per_epoch) /
                                     (double)per_epoch
                               : 0.0;
    if (epoch > iter)
        epoch = iter;
    for (int64_t i = 0; i < r->threads; i++) {
        const train_thread_state *s = &r->thread[i];
        ws[0].loss += s->loss;
        ws[0].obj.hs_loss += s->hs_loss;
        ws[0].pairs += s->pairs;
        for (int64_t e = 0; e < iter; e++) {
            ws[0].epoch_loss[e] += s->epoch_loss[e];
            ws[0].epoch_pairs[e] += s->epoch_pairs[e];
            if (s->epoch_end[e] > ws[0].epoch_end[e])
                ws[0].epoch_end[e] = s->epoch_end[e];
        }
    }
    for (int64_t i = 0; i < n; i++) {
        worker *w = &ws[i];
        const token_reader *rd = &w->text.tokens;
        w->epoch = epoch;
        sentence_seek(&w->text,
                      rd->begin +
                          (int64_t)(frac * (double)(rd->end - rd->begin)),
                      1);
        rng_seed(&w->rng, (uint64_t)t->cfg->seed ^ (uint64_t)r->words_done,
                 (uint64_t)(t->first_thread + i));
        w->alpha = (float)learning_rate(t, r->words_done);
    }
}

/* The corpus caches the workers kept, into s. */
static void cache_stats(const worker *ws, int n, train_stats *s)
{
    for (int i = 0; i < n; i++) {
        const corpus_cache *k = &ws[i].cache;
        s->cache_dropped += k->state == CORPUS_CACHE_DROPPED;
        s->cache_partial += k->state == CORPUS_CACHE_PARTIAL;
        if (k->state == CORPUS_CACHE_COMPLETE ||
            k->state == CORPUS_CACHE_PARTIAL) {
            s->cache_threads++;
            s->cache_bytes += corpus_cache_bytes(k);
            s->cache_words += k->words;
        }
    }
}

/* Sums the published counters of all workers into s. */
static void snapshot_stats(const trainer *t, const worker *ws, train_stats *s)
{
    double loss = 0.0, hs_loss = 0.0;
    int64_t pairs = 0;
    for (int i = 0; i < t->cfg->threads; i++) {
        loss += atomic_load_explicit(&ws[i].pub_loss, memory_order_relaxed);
        hs_loss += atomic_load_explicit(&ws[i].pub_hs_loss,
                                        memory_order_relaxed);
        pairs += atomic_load_explicit(&ws[i].pub_pairs, memory_order_relaxed);
    }
    int64_t done = atomic_load_explicit(&t->words_done, memory_order_relaxed) +
                   atomic_load_explicit(&t->words_others, memory_order_relaxed);
    double prev_loss = s->loss_total * (double)s->pairs;
    s->loss = pairs > s->pairs ? (loss - prev_loss) / (double)(pairs - s->pairs)
                               : s->loss;
    s->loss_total = pairs > 0 ? loss / (double)pairs : 0.0;
    s->hs_loss_total = pairs > 0 ? hs_loss / (double)pairs : 0.0;
    s->pairs = pairs;
    s->words_done = done;
    int64_t per_epoch = t->words_total / t->cfg->iter;
    s->epoch = per_epoch > 0 && done / per_epoch < t->cfg->iter
                   ? done / per_epoch + 1 : t->cfg->iter;
    s->alpha = learning_rate(t, done);
    s->elapsed = training_seconds(t);
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
    s->epoch_pairs = w2v_calloc((size_t)iter, sizeof(int64_t), err);
    s->epoch_seconds = w2v_calloc((size_t)iter, sizeof(double), err);
    s->epoch_alpha = w2v_calloc((size_t)iter, sizeof(double), err);
    if (!s->epoch_loss || !s->epoch_pairs || !s->epoch_seconds ||
        !s->epoch_alpha)
        return -1;
    double prev_end = 0.0;
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
        s->epoch_pairs[e] = pairs;
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
    else if (train_config_combines(cfg))
        t->train_block = train_skipgram_combined;
    else if (cfg->loss == LOSS_NS && cfg->batch)
        t->train_sentence = train_skipgram_batched;
    else if (t->centers_per_step > 1)
        t->train_sentence = train_skipgram_softmax;
    else
        t->train_sentence = train_skipgram;
    t->block_words = t->train_block ? (int)cfg->combine_block : SENTENCE_MAX;
    t->block_sentences =
        t->train_block ? t->block_words / COMBINE_WORDS_PER_SENTENCE : 1;
    t->words_total = cfg->iter * m->vocab.total;
    pthread_mutex_init(&t->lock, NULL);
    pthread_cond_init(&t->moved, NULL);
    pthread_mutex_init(&t->range_lock, NULL);
    if (objective_init(&t->obj, cfg->loss, m, err) ||
        !(t->keep = w2v_malloc(sizeof *t->keep * (size_t)m->vocab.size, err)))
        return -1;
    subsample_thresholds(m->vocab.counts, m->vocab.size, m->vocab.total,
                         cfg->sample, t->keep);
    train_cache_plan_for(m, t->c, cfg, &t->cache_plan);
    return 0;
}

static void trainer_free(trainer *t)
{
    objective_free(&t->obj);
    free(t->keep);
    pthread_mutex_destroy(&t->lock);
    pthread_cond_destroy(&t->moved);
    pthread_mutex_destroy(&t->range_lock);
}

/* Waits until every started worker waits at a safe point or has ended. */
static void pause_workers(trainer *t, int started)
{
    atomic_store_explicit(&t->pause, 1, memory_order_release);
    pthread_mutex_lock(&t->lock);
    while (t->paused + t->ended < started)
        pthread_cond_wait(&t->moved, &t->lock);
    pthread_mutex_unlock(&t->lock);
}

static void resume_workers(trainer *t)
{
    pthread_mutex_lock(&t->lock);
    atomic_store_explicit(&t->pause, 0, memory_order_release);
    pthread_cond_broadcast(&t->moved);
    pthread_mutex_unlock(&t->lock);
}

/* Takes a snapshot through the monitor's save and saved callbacks; with
 * `then_stop` the workers stop instead of going on.  Returns 0 or -1. */
static int take_snapshot(trainer *t, worker *ws, int started,
                         const train_monitor *mon, train_state *st,
                         int then_stop, w2v_err *err)
{
    pause_workers(t, started);
    st->words_done = atomic_load(&t->words_done) + atomic_load(&t->words_others);
    st->elapsed = training_seconds(t);
    int rc = 0;
    for (int i = 0; i < started && !rc; i++)
        rc = record_worker(&ws[i], &st->thread[i], err);
    if (!rc)
        rc = mon->save(t->m, st, mon->ctx, err);
    atomic_store(&t->snapshot_asked, 0);
    if (then_stop || rc)
        atomic_store(&t->stop, 1);
    resume_workers(t);
    if (rc == 0 && mon->saved && mon->saved(mon->ctx, err)) {
        atomic_store(&t->stop, 1);
        rc = -1;
    }
    return rc;
}

/* 1 when a thread of this run failed or its training diverged. */
static int failed_here(const trainer *t, const worker *ws, int started)
{
    if (atomic_load(&t->diverged_epoch))
        return 1;
    for (int i = 0; i < started; i++)
        if (ws[i].failed)
            return 1;
    return 0;
}

/* With peers: one sync (train_monitor.sync), passing on `asked`, then what
 * it agreed: the peers' progress for the schedule, a snapshot or a stop on
 * every peer at once.  Returns 0 to go on, 1 when this run is over (every
 * peer done, stopped or failed; the result in *result), -1 on an error. */
static int sync_with_peers(trainer *t, worker *ws, int started, int running,
                           const train_monitor *mon, train_state *st,
                           train_request asked, int *result, w2v_err *err)
{
    int64_t mine = atomic_load(&t->words_done);
    train_sync s = {mine, !running, asked, failed_here(t, ws, started)};
    if (mon->sync(t->m, &s, mon->ctx, err)) {
        atomic_store(&t->stop, 1);
        return -1;
    }
    atomic_store(&t->words_others, s.words_done - mine);
    pthread_mutex_lock(&t->lock); /* threads waiting for a sync may go on */
    atomic_store(&t->synced_at, w2v_now());
    pthread_cond_broadcast(&t->moved);
    pthread_mutex_unlock(&t->lock);
    if (s.failed) {
        atomic_store(&t->stop, 1);
        if (failed_here(t, ws, started))
            return 1; /* train_run reports this run's own failure */
        w2v_fail(err, "another process of the job failed (its message says "
                      "why)");
        return -1;
    }
    if (s.request == TRAIN_STOP) {
        if (mon->save && take_snapshot(t, ws, started, mon, st, 1, err))
            return -1;
        atomic_store(&t->stop, 1);
        *result = TRAIN_STOPPED;
        return 1;
    }
    if (s.request == TRAIN_SNAPSHOT && mon->save &&
        take_snapshot(t, ws, started, mon, st, 0, err))
        return -1;
    return s.done;
}

/* The calling thread's part while the workers run: progress reports,
 * requests, snapshots and syncs with peers.  Returns 0, TRAIN_STOPPED, or
 * -1 when a save or a sync failed (message in err). */
static int watch(trainer *t, worker *ws, int started,
                 const train_monitor *mon, train_state *st, train_stats *stats,
                 w2v_err *err)
{
    double last_report = t->start, last_save = t->start, last_sync = t->start;
    train_request asked = TRAIN_GO_ON; /* with peers: for the next sync */
    int result = 0;
    for (;;) {
        pthread_mutex_lock(&t->lock);
        int running = t->ended < started;
        pthread_mutex_unlock(&t->lock);
        if (!running && !(mon && mon->sync))
            return result;
        if (stopping(t)) /* a thread failed: none may wait for a snapshot */
            resume_workers(t);
        double ms = MONITOR_POLL_MS;
        if (mon && mon->sync && 1000.0 * mon->sync_every < ms)
            ms = 1000.0 * mon->sync_every;
        struct timespec nap = {0, (long)(ms * 1e6)};
        nanosleep(&nap, NULL);
        if (!mon)
            continue;
        double now = w2v_now();
        if (mon->progress && now - last_report >= mon->interval) {
            snapshot_stats(t, ws, stats);
            mon->progress(stats, mon->ctx);
            last_report = w2v_now();
        }
        train_request req = !result && mon->poll ? mon->poll(mon->ctx)
                                                 : TRAIN_GO_ON;
        int due = mon->save &&
                  (req == TRAIN_SNAPSHOT || atomic_load(&t->snapshot_asked) ||
                   (mon->save_every > 0 && now - last_save >= mon->save_every));
        if (mon->sync) {
            if (req > asked)
                asked = req;
            if (due && asked < TRAIN_SNAPSHOT)
                asked = TRAIN_SNAPSHOT;
            if (running && now - last_sync < mon->sync_every)
                continue;
            if (asked != TRAIN_GO_ON)
                last_save = now;
            int over = sync_with_peers(t, ws, started, running, mon, st,
                                       asked, &result, err);
            asked = TRAIN_GO_ON;
            last_sync = w2v_now();
            if (over)
                return over < 0 ? -1 : result;
            continue;
        }
        if (stopping(t) || result)
            continue;
        if (req == TRAIN_STOP) {
            if (mon->save && take_snapshot(t, ws, started, mon, st, 1, err))
                return -1;
            atomic_store(&t->stop, 1);
            result = TRAIN_STOPPED;
        } else if (due) {
            if (take_snapshot(t, ws, started, mon, st, 0, err))
                return -1;
            last_save = w2v_now();
        }
    }
}

int train_run(model *m, const corpus *c, const train_config *cfg,
              const kernel *k, const train_monitor *monitor,
              const train_state *resume, train_stats *final, w2v_err *err)
{
    trainer t = {.m = m, .c = c, .cfg = cfg, .k = k};
    memset(final, 0, sizeof *final);
    const int n = (int)cfg->threads;
    int started = 0, rc = -1;
    worker *ws = NULL;
    pthread_t *tids = NULL;
    train_state st = {0};
    if (resume && resume->iter != cfg->iter)
        return w2v_fail(err, "the saved run has %lld epochs, not %lld",
                        (long long)resume->iter, (long long)cfg->iter);
    if (trainer_init(&t, err) || train_state_init(&st, n, cfg->iter, err))
        goto out;
    t.save_at_epochs = monitor && monitor->save && monitor->save_at_epochs;
    t.exact_epochs = !(monitor && monitor->sync);
    t.first_thread = monitor ? monitor->first_thread : 0;
    t.stale_limit = monitor && monitor->sync ? STALE_SYNCS * monitor->sync_every
                                             : 0.0;
    atomic_init(&t.words_done, 0);
    atomic_init(&t.words_others, resume ? resume->words_done : 0);
    atomic_init(&t.stop, 0);
    atomic_init(&t.pause, 0);
    atomic_init(&t.diverged_epoch, 0);
    atomic_init(&t.snapshot_asked, 0);
    atomic_init(&t.epochs_saved, 0);
    t.elapsed_before = resume ? resume->elapsed : 0.0;
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
    if (resume && resume->threads == n)
        for (int i = 0; i < n; i++)
            restore_worker(&ws[i], &resume->thread[i]);
    else if (resume)
        resplit_workers(&t, ws, resume);
    /* the schedule's counter: this run's words, its peers' apart */
    for (int i = 0; i < n; i++)
        atomic_fetch_add(&t.words_done, ws[i].reported);
    atomic_fetch_sub(&t.words_others, atomic_load(&t.words_done));
    int64_t furthest = 0;
    for (int i = 0; i < n; i++) {
        atomic_init(&ws[i].pub_loss, ws[i].loss);
        atomic_init(&ws[i].pub_hs_loss, ws[i].obj.hs_loss);
        atomic_init(&ws[i].pub_pairs, ws[i].pairs);
        if (ws[i].epoch > furthest)
            furthest = ws[i].epoch;
    }
    atomic_store(&t.epochs_saved, furthest); /* those epoch ends are saved */
    final->pairs = 0;
    t.start = w2v_now();
    atomic_init(&t.synced_at, t.start);
    for (; started < n; started++)
        if (pthread_create(&tids[started], NULL, worker_main, &ws[started])) {
            w2v_fail(err, "cannot start training thread %d", started + 1);
            atomic_store(&t.stop, 1);
            break;
        }
    int watched = watch(&t, ws, started, monitor, &st, final, err);
    for (int i = 0; i < started; i++)
        pthread_join(tids[i], NULL);
    cache_stats(ws, started, final);
    final->tail_takes = t.tail_takes;
    if (started < n || watched < 0)
        goto out;
    for (int i = 0; i < n; i++)
        if (ws[i].failed) {
            *err = ws[i].err;
            goto out;
        }
    snapshot_stats(&t, ws, final);
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
    if (watched == TRAIN_STOPPED) {
        rc = TRAIN_STOPPED;
        goto out;
    }
    rc = epoch_table(&t, ws, final, err);
out:
    if (ws)
        free_workers(ws, n);
    free(tids);
    train_state_free(&st);
    trainer_free(&t);
    if (rc)
        train_stats_free(final);
    return rc;
}
