/* phrases.c - counting word pairs, scoring them and writing the text with
 * the phrases joined (phrases.h). */
#include "phrases.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* Bytes of each reader's buffer, and of the output buffer. */
enum { PHRASE_READ_BUFFER = 1 << 20, PHRASE_WRITE_BUFFER = 1 << 20 };

const char *phrase_scoring_name(phrase_scoring s)
{
    return s == PHRASE_SCORE_NPMI ? "npmi" : "default";
}

/* ---- the pair table ---- */

static inline uint64_t pair_key(int64_t a, int64_t b)
{
    return (uint64_t)a << 32 | (uint64_t)b;
}

/* splitmix64's finalizer: every key bit moves the low bits that pick the
 * slot. */
static inline uint64_t pair_hash(uint64_t key)
{
    key = (key ^ (key >> 30)) * 0xbf58476d1ce4e5b9ull;
    key = (key ^ (key >> 27)) * 0x94d049bb133111ebull;
    return key ^ (key >> 31);
}

/* Slots for n pairs: the smallest power of two >= max(1024, 2 n). */
static int64_t pair_slots_for(int64_t n)
{
    int64_t s = 1024;
    while (s < 2 * n)
        s *= 2;
    return s;
}

static int pair_table_init(pair_table *t, int64_t n_slots, w2v_err *err)
{
    t->size = 0;
    t->n_slots = n_slots;
    t->slots = w2v_malloc(sizeof *t->slots * (size_t)n_slots, err);
    if (!t->slots) {
        t->n_slots = 0;
        return -1;
    }
    memset(t->slots, 0xff, sizeof *t->slots * (size_t)n_slots);
    return 0;
}

static void pair_table_free(pair_table *t)
{
    free(t->slots);
    memset(t, 0, sizeof *t);
}

/* The slot holding key, or the empty slot where it would go. */
static inline pair_slot *pair_probe(const pair_table *t, uint64_t key)
{
    uint64_t mask = (uint64_t)t->n_slots - 1;
    for (uint64_t i = pair_hash(key) & mask;; i = (i + 1) & mask)
        if (t->slots[i].key == key || t->slots[i].key == PAIR_SLOT_EMPTY)
            return &t->slots[i];
}

/* Moves the pairs of t with count >= min_count into a table of n_slots. */
static int pair_table_rebuild(pair_table *t, int64_t n_slots,
                              int64_t min_count, w2v_err *err)
{
    pair_table fresh;
    if (pair_table_init(&fresh, n_slots, err))
        return -1;
    for (int64_t i = 0; i < t->n_slots; i++) {
        const pair_slot *s = &t->slots[i];
        if (s->key == PAIR_SLOT_EMPTY || s->count < min_count)
            continue;
        *pair_probe(&fresh, s->key) = *s;
        fresh.size++;
    }
    pair_table_free(t);
    *t = fresh;
    return 0;
}

static int pair_table_add(pair_table *t, uint64_t key, int64_t count,
                          w2v_err *err)
{
    pair_slot *s = pair_probe(t, key);
    if (s->key == key) {
        s->count += count;
        return 0;
    }
    s->key = key;
    s->count = count;
    t->size++;
    if (2 * t->size > t->n_slots)
        return pair_table_rebuild(t, 2 * t->n_slots, 0, err);
    return 0;
}

/* Drops the pairs with count < min_count; the table shrinks to fit. */
static int pair_table_prune(pair_table *t, int64_t min_count, w2v_err *err)
{
    int64_t kept = 0;
    for (int64_t i = 0; i < t->n_slots; i++)
        kept += t->slots[i].key != PAIR_SLOT_EMPTY &&
                t->slots[i].count >= min_count;
    return pair_table_rebuild(t, pair_slots_for(kept), min_count, err);
}

/* Prunes t, as the vocabulary is pruned, until it holds fewer than
 * max_pairs pairs: first the pairs seen once, then at most twice, ...
 * (*min_reduce is the last bound used). */
static int pair_table_bound(pair_table *t, int64_t max_pairs,
                            int64_t *min_reduce, int64_t *reductions,
                            w2v_err *err)
{
    while (max_pairs > 0 && t->size >= max_pairs) {
        if (pair_table_prune(t, ++*min_reduce, err))
            return -1;
        ++*reductions;
    }
    return 0;
}

/* ---- counting ---- */

/* One counting thread: the pairs of its byte range into its own table. */
typedef struct pair_job {
    const corpus *c;
    const vocab *words;
    int64_t begin, end, max_pairs;
    pair_table pairs;
    int64_t first_id, last_id; /* of the range's first and last tokens,
                                  -1 for a rare word */
    int any;                   /* the range holds a token */
    int64_t min_reduce, reductions;
    int failed;
    w2v_err err;
} pair_job;

/* Pairs are added in batches whose slots are prefetched first: the table
 * is far larger than the caches, and each add is a miss. */
enum { PAIR_BATCH = 16 };

static int add_batch(pair_job *j, const uint64_t *keys, int n)
{
    for (int i = 0; i < n; i++)
        if (pair_table_add(&j->pairs, keys[i], 1, &j->err) ||
            pair_table_bound(&j->pairs, j->max_pairs, &j->min_reduce,
                             &j->reductions, &j->err))
            return -1;
    return 0;
}

static void *count_pairs(void *arg)
{
    pair_job *j = arg;
    token_reader r;
    char word[W2V_MAX_WORD + 1];
    int len, got, batched = 0;
    uint64_t batch[PAIR_BATCH];
    int64_t prev = -1;
    j->failed = 1;
    j->min_reduce = 1;
    if (pair_table_init(&j->pairs, pair_slots_for(0), &j->err))
        return NULL;
    if (reader_init(&r, j->c, j->begin, j->end, PHRASE_READ_BUFFER, &j->err))
        return NULL;
    while ((got = reader_next(&r, word, &len, &j->err)) != READ_END) {
        if (got == READ_ERROR)
            goto out;
        if (got != READ_WORD)
            continue; /* pairs are counted across line breaks */
        int64_t id = vocab_find(j->words, word, len);
        if (!j->any) {
            j->first_id = id;
            j->any = 1;
        }
        if (prev >= 0 && id >= 0) {
            uint64_t key = pair_key(prev, id);
            uint64_t mask = (uint64_t)j->pairs.n_slots - 1;
            __builtin_prefetch(&j->pairs.slots[pair_hash(key) & mask], 1);
            batch[batched++] = key;
            if (batched == PAIR_BATCH) {
                if (add_batch(j, batch, batched))
                    goto out;
                batched = 0;
            }
        }
        prev = id;
    }
    if (add_batch(j, batch, batched))
        goto out;
    j->last_id = prev;
    j->failed = 0;
out:
    reader_free(&r);
    return NULL;
}

/* Counts the words into m->words (then keeps those >= min_count). */
static int count_words(phrase_model *m, const corpus *c,
                       const phrase_count_config *cfg, phrase_stats *stats,
                       w2v_err *err)
{
    vocab_count_config vc = {.threads = cfg->threads,
                             .min_range_bytes = cfg->min_range_bytes,
                             .max_vocab = cfg->max_vocab};
    vocab_stats vs;
    if (vocab_count(&m->words, c, &vc, &vs, err))
        return -1;
    stats->threads = vs.threads;
    stats->tokens = vs.tokens;
    stats->truncated = vs.truncated;
    stats->words_limited = vs.limited;
    stats->words_kept = vs.kept;
    stats->words_cut_count = vs.cut_count;
    m->tokens = vs.tokens;
    return vocab_finalize(&m->words, cfg->min_count, err);
}

/* Counts the pairs into m->pairs with one thread per byte range, merged
 * into the first range's table, then keeps those >= min_count. */
static int count_all_pairs(phrase_model *m, const corpus *c,
                           const phrase_count_config *cfg, int threads,
                           phrase_stats *stats, w2v_err *err)
{
    pair_job *jobs = w2v_calloc((size_t)threads, sizeof *jobs, err);
    pthread_t *tids = w2v_calloc((size_t)threads, sizeof *tids, err);
    int started = 0, rc = -1;
    if (!jobs || !tids)
        goto out;
    int64_t per_thread = cfg->max_vocab / threads;
    for (int i = 0; i < threads; i++) {
        jobs[i].c = c;
        jobs[i].words = &m->words;
        jobs[i].begin = corpus_range_start(c, i, threads);
        jobs[i].end = corpus_range_start(c, i + 1, threads);
        jobs[i].max_pairs = cfg->max_vocab > 0 && per_thread < 1 ? 1
                                                                 : per_thread;
    }
    for (; started < threads; started++)
        if (pthread_create(&tids[started], NULL, count_pairs, &jobs[started])) {
            w2v_fail(err, "cannot start counting thread");
            break;
        }
    for (int i = 0; i < started; i++)
        pthread_join(tids[i], NULL);
    if (started < threads)
        goto out;
    for (int i = 0; i < threads; i++)
        if (jobs[i].failed) {
            *err = jobs[i].err;
            goto out;
        }
    pair_table *all = &jobs[0].pairs;
    int64_t min_reduce = 1, reductions = 0, pruned_below = 0;
    for (int i = 0; i < threads; i++) {
        reductions += jobs[i].reductions;
        if (jobs[i].reductions && jobs[i].min_reduce > pruned_below)
            pruned_below = jobs[i].min_reduce;
    }
    /* the other tables, and the pair across each boundary between ranges */
    int64_t last = jobs[0].any ? jobs[0].last_id : -1;
    for (int i = 1; i < threads; i++) {
        const pair_table *part = &jobs[i].pairs;
        for (int64_t s = 0; s < part->n_slots; s++)
            if (part->slots[s].key != PAIR_SLOT_EMPTY &&
                (pair_table_add(all, part->slots[s].key, part->slots[s].count,
                                err) ||
                 pair_table_bound(all, cfg->max_vocab, &min_reduce,
                                  &reductions, err)))
                goto out;
        if (!jobs[i].any)
            continue;
        if (last >= 0 && jobs[i].first_id >= 0 &&
            (pair_table_add(all, pair_key(last, jobs[i].first_id), 1, err) ||
             pair_table_bound(all, cfg->max_vocab, &min_reduce, &reductions,
                              err)))
            goto out;
        last = jobs[i].last_id;
    }
    if (min_reduce > 1 && min_reduce > pruned_below)
        pruned_below = min_reduce;
    stats->pairs_counted = all->size;
    stats->pair_reductions = reductions;
    stats->pairs_pruned_below = pruned_below;
    if (pair_table_prune(all, m->min_count, err))
        goto out;
    m->pairs = *all;
    memset(all, 0, sizeof *all);
    rc = 0;
out:
    if (jobs)
        for (int i = 0; i < threads; i++)
            pair_table_free(&jobs[i].pairs);
    free(jobs);
    free(tids);
    return rc;
}

int phrase_count(phrase_model *m, const corpus *c,
                 const phrase_count_config *cfg, phrase_stats *stats,
                 w2v_err *err)
{
    memset(m, 0, sizeof *m);
    memset(stats, 0, sizeof *stats);
    m->min_count = cfg->min_count;
    if (vocab_init(&m->words, err) || count_words(m, c, cfg, stats, err) ||
        count_all_pairs(m, c, cfg, stats->threads, stats, err)) {
        phrase_model_free(m);
        return -1;
    }
    return 0;
}

void phrase_model_free(phrase_model *m)
{
    vocab_free(&m->words);
    pair_table_free(&m->pairs);
    vocab_free(&m->joinable);
    pair_table_free(&m->phrases);
}

static int64_t pair_count_of_ids(const phrase_model *m, int64_t a, int64_t b)
{
    if (!m->pairs.slots)
        return 0;
    const pair_slot *s = pair_probe(&m->pairs, pair_key(a, b));
    return s->key == PAIR_SLOT_EMPTY ? 0 : s->count;
}

int64_t phrase_pair_count(const phrase_model *m, const char *a, int a_len,
                          const char *b, int b_len)
{
    int64_t ia = vocab_find(&m->words, a, a_len);
    int64_t ib = vocab_find(&m->words, b, b_len);
    return ia < 0 || ib < 0 ? 0 : pair_count_of_ids(m, ia, ib);
}

/* ---- scoring ---- */

double phrase_score(phrase_scoring s, int64_t n_a, int64_t n_b, int64_t n_ab,
                    int64_t min_count, int64_t tokens)
{
    if (s == PHRASE_SCORE_NPMI) {
        double n = (double)tokens;
        double p_a = (double)n_a / n, p_b = (double)n_b / n;
        double p_ab = (double)n_ab / n;
        return log(p_ab / (p_a * p_b)) / -log(p_ab);
    }
    float score = (float)(n_ab - min_count) / (float)n_a;
    score = score / (float)n_b;
    score = score * (float)tokens;
    return score;
}

int phrase_passes(phrase_scoring s, double score, double threshold)
{
    if (s == PHRASE_SCORE_NPMI)
        return score > threshold;
    return (float)score > (float)threshold;
}

int phrase_threshold_check(phrase_scoring s, double threshold, w2v_err *err)
{
    if (!isfinite(threshold))
        return w2v_fail(err, "the threshold must be a finite number");
    if (s == PHRASE_SCORE_NPMI && (threshold < -1 || threshold > 1))
        return w2v_fail(err, "with npmi scoring the threshold must be in "
                             "[-1, 1] (got %g)", threshold);
    return 0;
}

/* The words of the phrases in m->pairs, with ids of their own, and the
 * phrases by those ids. */
static int index_phrases(phrase_model *m, w2v_err *err)
{
    const pair_table *t = &m->pairs;
    vocab_free(&m->joinable);
    pair_table_free(&m->phrases);
    if (vocab_init(&m->joinable, err) ||
        pair_table_init(&m->phrases, pair_slots_for(t->size), err))
        return -1;
    for (int64_t i = 0; i < t->n_slots; i++) {
        uint64_t key = t->slots[i].key;
        if (key == PAIR_SLOT_EMPTY)
            continue;
        int64_t ids[2] = {(int64_t)(key >> 32), (int64_t)(uint32_t)key};
        for (int j = 0; j < 2; j++) {
            int64_t id = ids[j];
            if ((ids[j] = vocab_add(&m->joinable, m->words.words[id],
                                    m->words.lens[id], 0, err)) < 0)
                return -1;
        }
        if (pair_table_add(&m->phrases, pair_key(ids[0], ids[1]), 1, err))
            return -1;
    }
    return 0;
}

int64_t phrase_select(phrase_model *m, phrase_scoring s, double threshold,
                      w2v_err *err)
{
    pair_table *t = &m->pairs;
    const int64_t *counts = m->words.counts;
    int64_t kept = 0;
    /* a phrase keeps its count, anything else goes below the cut */
    for (int64_t i = 0; i < t->n_slots; i++) {
        pair_slot *p = &t->slots[i];
        if (p->key == PAIR_SLOT_EMPTY)
            continue;
        int64_t a = (int64_t)(p->key >> 32), b = (int64_t)(uint32_t)p->key;
        double score = phrase_score(s, counts[a], counts[b], p->count,
                                    m->min_count, m->tokens);
        if (phrase_passes(s, score, threshold))
            kept++;
        else
            p->count = -1;
    }
    if (pair_table_prune(t, 0, err) || index_phrases(m, err))
        return -1;
    return kept;
}

/* ---- writing ---- */

/* Output text: flushed to fp when full, or, without fp, grown in memory. */
typedef struct out_buffer {
    FILE *fp;
    const char *name;
    char *data;
    size_t used, cap;
} out_buffer;

static int out_flush(out_buffer *o, w2v_err *err)
{
    if (o->used && fwrite(o->data, 1, o->used, o->fp) != o->used)
        return w2v_fail_errno(err, "%s: write failed", o->name);
    o->used = 0;
    return 0;
}

/* Room for n more bytes. */
static inline int out_reserve(out_buffer *o, size_t n, w2v_err *err)
{
    if (o->used + n <= o->cap)
        return 0;
    if (o->fp)
        return out_flush(o, err);
    size_t cap = 2 * o->cap > o->used + n ? 2 * o->cap : o->used + n;
    char *data = realloc(o->data, cap);
    if (!data)
        return w2v_fail(err, "out of memory (%zu bytes of output)", cap);
    o->data = data;
    o->cap = cap;
    return 0;
}

/* The items (tokens and line breaks) from `begin` to the end of the file,
 * read as two ranges: the chunk [begin, end) and what follows it. */
typedef struct item_stream {
    token_reader chunk, after;
    int has_after;
    int in_after;
    int64_t after_items; /* items read from `after` so far */
} item_stream;

static int stream_init(item_stream *s, const corpus *c, int64_t begin,
                       int64_t end, w2v_err *err)
{
    memset(s, 0, sizeof *s);
    s->has_after = end < c->size;
    if (reader_init(&s->chunk, c, begin, end, PHRASE_READ_BUFFER, err))
        return -1;
    if (s->has_after &&
        reader_init(&s->after, c, end, c->size, PHRASE_READ_BUFFER, err)) {
        reader_free(&s->chunk);
        return -1;
    }
    return 0;
}

static void stream_free(item_stream *s)
{
    reader_free(&s->chunk);
    if (s->has_after)
        reader_free(&s->after);
}

static int stream_next(item_stream *s, char *word, int *len, w2v_err *err)
{
    if (!s->in_after) {
        int got = reader_next(&s->chunk, word, len, err);
        if (got != READ_END || !s->has_after)
            return got;
        s->in_after = 1;
    }
    int got = reader_next(&s->after, word, len, err);
    s->after_items += got == READ_WORD || got == READ_SENTENCE_END;
    return got;
}

/* a, b: ids in m->joinable */
static int is_phrase(const phrase_model *m, int64_t a, int64_t b)
{
    return a >= 0 && b >= 0 &&
           pair_probe(&m->phrases, pair_key(a, b))->key != PAIR_SLOT_EMPTY;
}

/* Writes the items of the chunk [begin, end) that are its own into o:
 * from its first token after the first item that is not a phrase with the
 * item before it (from the start of the file for the first chunk), up to
 * the same point of the next chunk, read past `end` as far as needed. */
static int write_chunk(const phrase_model *m, const corpus *c, int64_t begin,
                       int64_t end, out_buffer *o, int64_t *joined,
                       w2v_err *err)
{
    item_stream s;
    char word[W2V_MAX_WORD + 1];
    int len, got, rc = -1;
    int64_t prev = -1, items = 0, joins = 0;
    int line_start = 1, prev_free = 0, started = begin == 0;
    if (stream_init(&s, c, begin, end, err))
        return -1;
    while ((got = stream_next(&s, word, &len, err)) != READ_END) {
        if (got == READ_ERROR)
            goto out;
        items++;
        if (got == READ_SENTENCE_END) {
            if (started) {
                if (out_reserve(o, 1, err))
                    goto out;
                o->data[o->used++] = '\n';
            }
            line_start = 1;
            continue;
        }
        int64_t id = vocab_find(&m->joinable, word, len);
        int phrase = !line_start && is_phrase(m, prev, id);
        if (!phrase && s.after_items >= 2)
            break; /* where the next chunk starts */
        if (!started && !(started = !phrase && items >= 2)) {
            prev = id;
            line_start = 0;
            continue;
        }
        int join = phrase && prev_free;
        if (out_reserve(o, (size_t)len + 1, err))
            goto out;
        if (!line_start)
            o->data[o->used++] = join ? '_' : ' ';
        memcpy(o->data + o->used, word, (size_t)len);
        o->used += (size_t)len;
        joins += join;
        prev_free = !join;
        prev = id;
        line_start = 0;
    }
    *joined += joins;
    rc = 0;
out:
    stream_free(&s);
    return rc;
}

/* One writing thread: chunk [begin, end) into its buffer. */
typedef struct write_job {
    const phrase_model *m;
    const corpus *c;
    int64_t begin, end, joined;
    out_buffer out;
    int failed;
    w2v_err err;
} write_job;

static void *write_job_run(void *arg)
{
    write_job *j = arg;
    j->out.used = 0;
    j->failed = write_chunk(j->m, j->c, j->begin, j->end, &j->out, &j->joined,
                            &j->err) != 0;
    return NULL;
}

int phrase_write(const phrase_model *m, const corpus *c,
                 const phrase_write_config *cfg, FILE *out,
                 const char *out_name, int64_t *joined, w2v_err *err)
{
    int64_t chunk = cfg->chunk_bytes > 0 ? cfg->chunk_bytes : 1;
    int64_t n_chunks = (c->size + chunk - 1) / chunk;
    int threads = cfg->threads;
    *joined = 0;
    if (!m->phrases.slots)
        return w2v_fail(err, "phrase_write: no phrases selected");
    if (threads > n_chunks)
        threads = (int)n_chunks;
    if (threads <= 1) { /* one pass, straight to the file */
        out_buffer o = {out, out_name, NULL, 0, PHRASE_WRITE_BUFFER};
        if (!(o.data = w2v_malloc(o.cap, err)))
            return -1;
        int rc = write_chunk(m, c, 0, c->size, &o, joined, err) ||
                 out_flush(&o, err);
        free(o.data);
        return rc ? -1 : 0;
    }
    /* rounds of `threads` chunks, each into memory, then written in order */
    write_job *jobs = w2v_calloc((size_t)threads, sizeof *jobs, err);
    pthread_t *tids = w2v_calloc((size_t)threads, sizeof *tids, err);
    int rc = jobs && tids ? 0 : -1;
    for (int64_t first = 0; rc == 0 && first < n_chunks; first += threads) {
        int n = n_chunks - first < threads ? (int)(n_chunks - first) : threads;
        int started = 0;
        for (int t = 0; t < n; t++) {
            write_job *j = &jobs[t];
            j->m = m;
            j->c = c;
            j->begin = (first + t) * chunk;
            j->end = j->begin + chunk < c->size ? j->begin + chunk : c->size;
            j->out.name = out_name;
        }
        for (; started < n; started++)
            if (pthread_create(&tids[started], NULL, write_job_run,
                               &jobs[started])) {
                rc = w2v_fail(err, "cannot start a writing thread");
                break;
            }
        for (int t = 0; t < started; t++)
            pthread_join(tids[t], NULL);
        for (int t = 0; rc == 0 && t < n; t++) {
            write_job *j = &jobs[t];
            if (j->failed) {
                *err = j->err;
                rc = -1;
            } else if (j->out.used &&
                       fwrite(j->out.data, 1, j->out.used, out) !=
                           j->out.used) {
                rc = w2v_fail_errno(err, "%s: write failed", out_name);
            }
        }
    }
    if (jobs)
        for (int t = 0; t < threads; t++) {
            *joined += jobs[t].joined;
            free(jobs[t].out.data);
        }
    free(jobs);
    free(tids);
    return rc;
}
