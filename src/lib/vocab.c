/* vocab.c - counting, pruning, sorting, saving and reading the vocabulary. */
#include "vocab.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* Words live in an arena of chunks, freed all at once. */
struct vocab_chunk {
    vocab_chunk *next;
    size_t used, cap;
    char data[];
};

enum { CHUNK_BYTES = 1 << 20 };
/* Bytes of each counting thread's read buffer. */
enum { COUNT_READ_BUFFER = 1 << 20 };

static char *arena_store(vocab *v, const char *word, int len, w2v_err *err)
{
    vocab_chunk *c = v->arena;
    if (!c || c->cap - c->used < (size_t)len + 1) {
        size_t cap = CHUNK_BYTES > len + 1 ? CHUNK_BYTES : (size_t)len + 1;
        vocab_chunk *n = w2v_malloc(sizeof *n + cap, err);
        if (!n)
            return NULL;
        n->next = c;
        n->used = 0;
        n->cap = cap;
        v->arena = c = n;
    }
    char *p = c->data + c->used;
    memcpy(p, word, (size_t)len);
    p[len] = '\0';
    c->used += (size_t)len + 1;
    return p;
}

static void arena_free(vocab_chunk *c)
{
    while (c) {
        vocab_chunk *next = c->next;
        free(c);
        c = next;
    }
}

int vocab_init(vocab *v, w2v_err *err)
{
    memset(v, 0, sizeof *v);
    return word_table_init(&v->table, word_table_slots_for(0), err);
}

void vocab_free(vocab *v)
{
    free(v->words);
    free(v->lens);
    free(v->hashes);
    free(v->counts);
    word_table_free(&v->table);
    arena_free(v->arena);
    memset(v, 0, sizeof *v);
}

/* Rebuilds the table for the current words, sized for them. */
static int rehash(vocab *v, int64_t n_slots, w2v_err *err)
{
    return word_table_rebuild(&v->table, n_slots, v->hashes, v->lens, v->size,
                              err);
}

int64_t vocab_find(const vocab *v, const char *word, int len)
{
    return word_table_find(&v->table, v->words, word, len);
}

static int grow_arrays(vocab *v, w2v_err *err)
{
    int64_t cap = v->cap ? 2 * v->cap : 1024;
    if (cap > INT32_MAX)
        return w2v_fail(err, "vocabulary too large (over %d words)", INT32_MAX);
    char **words = realloc(v->words, sizeof *words * (size_t)cap);
    if (words)
        v->words = words;
    int32_t *lens = realloc(v->lens, sizeof *lens * (size_t)cap);
    if (lens)
        v->lens = lens;
    uint32_t *hashes = realloc(v->hashes, sizeof *hashes * (size_t)cap);
    if (hashes)
        v->hashes = hashes;
    int64_t *counts = realloc(v->counts, sizeof *counts * (size_t)cap);
    if (counts)
        v->counts = counts;
    if (!words || !lens || !hashes || !counts)
        return w2v_fail(err, "out of memory growing the vocabulary to %lld words",
                        (long long)cap);
    v->cap = cap;
    return 0;
}

int64_t vocab_add(vocab *v, const char *word, int len, int64_t count,
                  w2v_err *err)
{
    uint32_t h = word_hash(word, len);
    uint64_t i = word_table_probe(&v->table, v->words, word, len, h);
    int64_t found = word_table_id(&v->table, i);
    if (found >= 0) {
        v->counts[found] += count;
        return found;
    }
    if (v->size == v->cap && grow_arrays(v, err))
        return -1;
    int64_t id = v->size;
    if (!(v->words[id] = arena_store(v, word, len, err)))
        return -1;
    v->lens[id] = len;
    v->hashes[id] = h;
    v->counts[id] = count;
    word_table_set(&v->table, i, h, len, id);
    v->size++;
    if (2 * v->size > v->table.n_slots &&
        rehash(v, 2 * v->table.n_slots, err))
        return -1;
    return id;
}

/* Keeps the words for which keep[id] is set, in their current order, with
 * a fresh arena (so pruned words free their memory) and a table of n_slots
 * slots (a power of two, at least twice the words kept). */
static int compact(vocab *v, const unsigned char *keep, int64_t n_slots,
                   w2v_err *err)
{
    vocab_chunk *old = v->arena;
    v->arena = NULL;
    int64_t n = 0;
    for (int64_t id = 0; id < v->size; id++) {
        if (!keep[id])
            continue;
        char *w = arena_store(v, v->words[id], v->lens[id], err);
        if (!w) {
            arena_free(old);
            return -1;
        }
        v->words[n] = w;
        v->lens[n] = v->lens[id];
        v->hashes[n] = v->hashes[id];
        v->counts[n] = v->counts[id];
        n++;
    }
    arena_free(old);
    v->size = n;
    return rehash(v, n_slots, err);
}

int vocab_prune(vocab *v, int64_t min_count, w2v_err *err)
{
    unsigned char *keep = w2v_malloc((size_t)v->size + 1, err);
    if (!keep)
        return -1;
    int64_t n = 0;
    for (int64_t id = 0; id < v->size; id++) {
        keep[id] = v->counts[id] >= min_count;
        n += keep[id];
    }
    int rc = compact(v, keep, word_table_slots_for(n), err);
    free(keep);
    return rc;
}

/* Orders by count descending, then bytes ascending (shorter prefix first). */
static int word_before(const vocab *v, int64_t a, int64_t b)
{
    if (v->counts[a] != v->counts[b])
        return v->counts[a] > v->counts[b];
    int la = v->lens[a], lb = v->lens[b];
    int c = memcmp(v->words[a], v->words[b], (size_t)(la < lb ? la : lb));
    return c != 0 ? c < 0 : la < lb;
}

static int cmp_ids(const void *pa, const void *pb, void *ctx)
{
    const vocab *v = ctx;
    int64_t a = *(const int64_t *)pa, b = *(const int64_t *)pb;
    return word_before(v, a, b) ? -1 : word_before(v, b, a);
}

/* Renumbers the words in word_before order (ids 0..size-1). */
static int sort_by_frequency(vocab *v, w2v_err *err)
{
    int64_t n = v->size;
    int64_t *order = w2v_malloc(sizeof *order * (size_t)(n + 1), err);
    char **words = w2v_malloc(sizeof *words * (size_t)(n + 1), err);
    int32_t *lens = w2v_malloc(sizeof *lens * (size_t)(n + 1), err);
    uint32_t *hashes = w2v_malloc(sizeof *hashes * (size_t)(n + 1), err);
    int64_t *counts = w2v_malloc(sizeof *counts * (size_t)(n + 1), err);
    if (!order || !words || !lens || !hashes || !counts) {
        free(order), free(words), free(lens), free(hashes), free(counts);
        return -1;
    }
    for (int64_t i = 0; i < n; i++)
        order[i] = i;
    qsort_r(order, (size_t)n, sizeof *order, cmp_ids, v);
    for (int64_t i = 0; i < n; i++) {
        words[i] = v->words[order[i]];
        lens[i] = v->lens[order[i]];
        hashes[i] = v->hashes[order[i]];
        counts[i] = v->counts[order[i]];
    }
    free(order);
    free(v->words), free(v->lens), free(v->hashes), free(v->counts);
    v->words = words, v->lens = lens, v->hashes = hashes, v->counts = counts;
    v->cap = n + 1;
    return rehash(v, word_table_slots_for(n), err);
}

int vocab_finalize_at_most(vocab *v, int64_t min_count, int64_t max_words,
                           int64_t *min_count_used, w2v_err *err)
{
    if (vocab_prune(v, min_count, err) || sort_by_frequency(v, err))
        return -1;
    /* sorted, so every word past max_words counts at most counts[max_words]
     * (and at least min_count): one more than that is the raised bound */
    if (max_words > 0 && v->size > max_words) {
        min_count = v->counts[max_words] + 1;
        if (vocab_prune(v, min_count, err))
            return -1;
    }
    v->total = 0;
    for (int64_t id = 0; id < v->size; id++)
        v->total += v->counts[id];
    if (min_count_used)
        *min_count_used = min_count;
    return 0;
}

int vocab_finalize(vocab *v, int64_t min_count, w2v_err *err)
{
    return vocab_finalize_at_most(v, min_count, 0, NULL, err);
}

static void swap_counts(int64_t *a, int64_t i, int64_t j)
{
    int64_t t = a[i];
    a[i] = a[j];
    a[j] = t;
}

/* The value at index k (0-based) of a[0..n) sorted in descending order, for
 * k < n; reorders a.  Quickselect with a three-way partition (counting
 * tables hold long runs of equal counts) around pivots drawn by a fixed
 * xorshift sequence: expected linear time on any input, deterministic. */
static int64_t select_descending(int64_t *a, int64_t n, int64_t k)
{
    uint64_t rng = 0x9e3779b97f4a7c15ull;
    int64_t lo = 0, hi = n;
    for (;;) {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        int64_t pivot = a[lo + (int64_t)(rng % (uint64_t)(hi - lo))];
        /* [lo, above) > pivot, [above, i) == pivot, [below, hi) < pivot */
        int64_t above = lo, i = lo, below = hi;
        while (i < below) {
            if (a[i] > pivot)
                swap_counts(a, above++, i++);
            else if (a[i] < pivot)
                swap_counts(a, i, --below);
            else
                i++;
        }
        if (k < above)
            hi = above;
        else if (k >= below)
            lo = below;
        else
            return pivot;
    }
}

/* One Misra-Gries reduction of a counting table holding more than `keep`
 * words: subtracts the (keep+1)-th largest count k from every count and
 * drops the words left at 0 or below, so at most `keep` remain.  At least
 * keep+1 counts were >= k, so the counts' total drops by at least
 * (keep+1) * k.  The table is rebuilt with n_slots slots. */
static int reduce_table(vocab *v, int64_t keep, int64_t n_slots, w2v_err *err)
{
    int64_t *scratch = w2v_malloc(sizeof *scratch * (size_t)v->size, err);
    unsigned char *alive = w2v_malloc((size_t)v->size, err);
    int rc = -1;
    if (scratch && alive) {
        memcpy(scratch, v->counts, sizeof *scratch * (size_t)v->size);
        int64_t k = select_descending(scratch, v->size, keep);
        for (int64_t id = 0; id < v->size; id++) {
            v->counts[id] -= k;
            alive[id] = v->counts[id] > 0;
        }
        rc = compact(v, alive, n_slots, err);
    }
    free(scratch);
    free(alive);
    return rc;
}

/* Keeps the first n words (of a sorted vocabulary: the n most frequent). */
static int keep_first(vocab *v, int64_t n, w2v_err *err)
{
    unsigned char *keep = w2v_malloc((size_t)v->size + 1, err);
    if (!keep)
        return -1;
    for (int64_t id = 0; id < v->size; id++)
        keep[id] = id < n;
    int rc = compact(v, keep, word_table_slots_for(n), err);
    free(keep);
    return rc;
}

/* A bounded counting table: the words it may hold before it is reduced to
 * max_vocab of them, and the slots that hold that many without growing. */
typedef struct table_bound {
    int64_t max_vocab;  /* 0 = unbounded */
    int64_t limit;      /* max_vocab + slack; INT64_MAX when unbounded */
    int64_t n_slots;
} table_bound;

/* Reduces v, which reached b->limit words, counting it in *reductions.
 * Callers test the limit themselves: that test runs once per token. */
static int reduce_full_table(vocab *v, const table_bound *b,
                             int64_t *reductions, w2v_err *err)
{
    (*reductions)++;
    return reduce_table(v, b->max_vocab, b->n_slots, err);
}

/* Runs fn on each of the n jobs (job_size bytes apart) in a thread of its
 * own and waits for all.  Fails when a thread cannot be started (the
 * started ones are still waited for). */
static int run_threads(void *(*fn)(void *), void *jobs, size_t job_size,
                       int n, w2v_err *err)
{
    pthread_t *tids = w2v_calloc((size_t)n, sizeof *tids, err);
    if (!tids)
        return -1;
    int started = 0;
    for (; started < n; started++)
        if (pthread_create(&tids[started], NULL, fn,
                           (char *)jobs + job_size * (size_t)started))
            break;
    for (int i = 0; i < started; i++)
        pthread_join(tids[i], NULL);
    free(tids);
    if (started < n)
        return w2v_fail(err, "cannot start counting thread");
    return 0;
}

/* One counting thread: its byte range into its own table. */
typedef struct count_job {
    vocab v;
    const corpus *c;
    int64_t begin, end;
    table_bound bound;
    vocab_stats stats;
    int failed;
    w2v_err err;
} count_job;

static void *count_range(void *arg)
{
    count_job *j = arg;
    token_reader r;
    char word[W2V_MAX_WORD + 1];
    int len, got;
    j->failed = 1;
    if (reader_init(&r, j->c, j->begin, j->end, COUNT_READ_BUFFER, &j->err))
        return NULL;
    while ((got = reader_next(&r, word, &len, &j->err)) != READ_END) {
        if (got == READ_ERROR)
            goto out;
        if (got != READ_WORD)
            continue;
        j->stats.tokens++;
        if (vocab_add(&j->v, word, len, 1, &j->err) < 0 ||
            (j->v.size >= j->bound.limit &&
             reduce_full_table(&j->v, &j->bound, &j->stats.reductions,
                               &j->err)))
            goto out;
    }
    j->stats.truncated = r.truncated;
    j->failed = 0;
out:
    reader_free(&r);
    return NULL;
}

/* One thread of the second pass: the exact counts, over its byte range, of
 * the words of a table that no thread changes meanwhile. */
typedef struct recount_job {
    const vocab *v;
    const corpus *c;
    int64_t begin, end;
    int64_t *counts;  /* v->size of them, by id */
    int failed;
    w2v_err err;
} recount_job;

static void *recount_range(void *arg)
{
    recount_job *j = arg;
    token_reader r;
    char word[W2V_MAX_WORD + 1];
    int len, got;
    j->failed = 1;
    if (reader_init(&r, j->c, j->begin, j->end, COUNT_READ_BUFFER, &j->err))
        return NULL;
    while ((got = reader_next(&r, word, &len, &j->err)) != READ_END) {
        if (got == READ_ERROR)
            goto out;
        int64_t id = got == READ_WORD ? vocab_find(j->v, word, len) : -1;
        if (id >= 0)
            j->counts[id]++;
    }
    j->failed = 0;
out:
    reader_free(&r);
    return NULL;
}

/* Replaces the counts of v's words by their exact counts in c, read again
 * by `threads` threads over byte ranges. */
static int recount(vocab *v, const corpus *c, int threads, w2v_err *err)
{
    recount_job *jobs = w2v_calloc((size_t)threads, sizeof *jobs, err);
    int rc = -1;
    if (!jobs)
        return -1;
    for (int i = 0; i < threads; i++) {
        jobs[i] = (recount_job){.v = v, .c = c,
                                .begin = corpus_range_start(c, i, threads),
                                .end = corpus_range_start(c, i + 1, threads)};
        if (!(jobs[i].counts = w2v_calloc((size_t)v->size + 1,
                                          sizeof *jobs[i].counts, err)))
            goto out;
    }
    if (run_threads(recount_range, jobs, sizeof *jobs, threads, err))
        goto out;
    for (int i = 0; i < threads; i++)
        if (jobs[i].failed) {
            *err = jobs[i].err;
            goto out;
        }
    for (int64_t id = 0; id < v->size; id++) {
        v->counts[id] = 0;
        for (int i = 0; i < threads; i++)
            v->counts[id] += jobs[i].counts[id];
    }
    rc = 0;
out:
    for (int i = 0; i < threads; i++)
        free(jobs[i].counts);
    free(jobs);
    return rc;
}

int vocab_count(vocab *v, const corpus *c, const vocab_count_config *cfg,
                vocab_stats *stats, w2v_err *err)
{
    int threads = cfg->threads;
    int64_t bytes = c->end - c->begin;
    if (cfg->min_range_bytes > 0 && threads > bytes / cfg->min_range_bytes)
        threads = (int)(bytes / cfg->min_range_bytes);
    if (threads < 1)
        threads = 1;
    table_bound bound = {.max_vocab = cfg->max_vocab, .limit = INT64_MAX};
    if (bound.max_vocab > 0) {
        int64_t slack = cfg->table_slack;
        if (slack <= 0)
            slack = VOCAB_TABLE_SLACK(bound.max_vocab);
        bound.limit = bound.max_vocab + slack;
        bound.n_slots = word_table_slots_for(bound.limit);
    }
    count_job *jobs = w2v_calloc((size_t)threads, sizeof *jobs, err);
    int rc = -1;
    memset(stats, 0, sizeof *stats);
    if (!jobs)
        return -1;
    for (int i = 0; i < threads; i++) {
        jobs[i].c = c;
        jobs[i].begin = corpus_range_start(c, i, threads);
        jobs[i].end = corpus_range_start(c, i + 1, threads);
        jobs[i].bound = bound;
        if (i > 0 && vocab_init(&jobs[i].v, err))
            goto out;
    }
    jobs[0].v = *v; /* thread 0 counts straight into v */
    int run = run_threads(count_range, jobs, sizeof *jobs, threads, err);
    *v = jobs[0].v;
    if (run)
        goto out;
    stats->threads = threads;
    for (int i = 0; i < threads; i++) {
        if (jobs[i].failed) {
            *err = jobs[i].err;
            goto out;
        }
        stats->tokens += jobs[i].stats.tokens;
        stats->truncated += jobs[i].stats.truncated;
        stats->reductions += jobs[i].stats.reductions;
    }
    /* merged one table at a time, each freed once merged: the merged table
     * stays within the bound like the others */
    for (int i = 1; i < threads; i++) {
        vocab *part = &jobs[i].v;
        for (int64_t id = 0; id < part->size; id++)
            if (vocab_add(v, part->words[id], part->lens[id], part->counts[id],
                          err) < 0 ||
                (v->size >= bound.limit &&
                 reduce_full_table(v, &bound, &stats->reductions, err)))
                goto out;
        vocab_free(part);
    }
    if (bound.max_vocab > 0 &&
        (stats->reductions > 0 || v->size > bound.max_vocab)) {
        stats->limited = 1;
        if (stats->reductions > 0) {
            stats->candidates = v->size;
            stats->guaranteed_above = stats->tokens / (bound.max_vocab + 1);
            if (recount(v, c, threads, err))
                goto out;
        }
        if (sort_by_frequency(v, err) ||
            (v->size > bound.max_vocab && keep_first(v, bound.max_vocab, err)))
            goto out;
        stats->kept = v->size;
        stats->cut_count = v->size > 0 ? v->counts[v->size - 1] : 0;
    }
    rc = 0;
out:
    for (int i = 1; i < threads; i++)
        vocab_free(&jobs[i].v);
    free(jobs);
    return rc;
}

int vocab_save(const vocab *v, FILE *fp, const char *name, w2v_err *err)
{
    for (int64_t id = 0; id < v->size; id++)
        if (fprintf(fp, "%s %lld\n", v->words[id], (long long)v->counts[id]) < 0)
            break;
    if (ferror(fp))
        return w2v_fail_errno(err, "%s: write failed", name);
    return 0;
}

int vocab_read(vocab *v, const char *path, w2v_err *err)
{
    int from_stdin = strcmp(path, "-") == 0;
    FILE *fp = from_stdin ? stdin : fopen(path, "rb");
    if (!fp)
        return w2v_fail_errno(err, "%s: cannot open", path);
    if (from_stdin)
        path = "standard input";
    char line[W2V_MAX_WORD + 64];
    int64_t lineno = 0, total = 0;
    int rc = -1;
    while (fgets(line, sizeof line, fp)) {
        lineno++;
        size_t n = strlen(line);
        if (n == sizeof line - 1 && line[n - 1] != '\n') {
            w2v_fail(err, "%s:%lld: line too long (words are at most %d bytes)",
                     path, (long long)lineno, W2V_MAX_WORD);
            goto out;
        }
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            line[--n] = '\0';
        if (n == 0)
            continue;
        char *sep = strrchr(line, ' ');
        char *end;
        errno = 0;
        long long count = sep ? strtoll(sep + 1, &end, 10) : -1;
        if (!sep || sep == line || end == sep + 1 || *end || errno || count < 0) {
            w2v_fail(err, "%s:%lld: expected 'word count'", path,
                     (long long)lineno);
            goto out;
        }
        *sep = '\0';
        if (strcmp(line, "</s>") == 0)
            continue;
        if (count > INT64_MAX - total) { /* no sum of counts may overflow */
            w2v_fail(err, "%s:%lld: the counts add up to more than %lld", path,
                     (long long)lineno, (long long)INT64_MAX);
            goto out;
        }
        total += count;
        if (vocab_add(v, line, (int)(sep - line), count, err) < 0)
            goto out;
    }
    if (ferror(fp)) {
        w2v_fail_errno(err, "%s: read error", path);
        goto out;
    }
    rc = 0;
out:
    if (!from_stdin)
        fclose(fp);
    return rc;
}
