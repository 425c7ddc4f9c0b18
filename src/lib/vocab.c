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

/* Copies word[0..len) and a NUL into the arena *head. */
static char *chunk_store(vocab_chunk **head, const char *word, int len,
                         w2v_err *err)
{
    vocab_chunk *c = *head;
    if (!c || c->cap - c->used < (size_t)len + 1) {
        size_t cap = CHUNK_BYTES > len + 1 ? CHUNK_BYTES : (size_t)len + 1;
        vocab_chunk *n = w2v_malloc(sizeof *n + cap, err);
        if (!n)
            return NULL;
        n->next = c;
        n->used = 0;
        n->cap = cap;
        *head = c = n;
    }
    char *p = c->data + c->used;
    memcpy(p, word, (size_t)len);
    p[len] = '\0';
    c->used += (size_t)len + 1;
    return p;
}

static char *arena_store(vocab *v, const char *word, int len, w2v_err *err)
{
    return chunk_store(&v->arena, word, len, err);
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

/* What the sort compares of a word: its count, its first 8 bytes as a
 * big-endian number (zero-padded, so that the numbers order as the bytes
 * do, a prefix first), and its id for the rest. */
typedef struct sort_key {
    int64_t count;
    uint64_t head;
    int64_t id;
} sort_key;

/* Orders by count descending, then bytes ascending (shorter prefix first). */
static int cmp_keys(const void *pa, const void *pb, void *ctx)
{
    const sort_key *a = pa, *b = pb;
    if (a->count != b->count)
        return a->count > b->count ? -1 : 1;
    if (a->head != b->head)
        return a->head < b->head ? -1 : 1;
    const vocab *v = ctx;
    int la = v->lens[a->id], lb = v->lens[b->id];
    int c = memcmp(v->words[a->id], v->words[b->id],
                   (size_t)(la < lb ? la : lb));
    return c != 0 ? c : (la > lb) - (la < lb);
}

/* Renumbers the words in cmp_keys order (ids 0..size-1). */
static int sort_by_frequency(vocab *v, w2v_err *err)
{
    int64_t n = v->size;
    sort_key *order = w2v_malloc(sizeof *order * (size_t)(n + 1), err);
    char **words = w2v_malloc(sizeof *words * (size_t)(n + 1), err);
    int32_t *lens = w2v_malloc(sizeof *lens * (size_t)(n + 1), err);
    uint32_t *hashes = w2v_malloc(sizeof *hashes * (size_t)(n + 1), err);
    int64_t *counts = w2v_malloc(sizeof *counts * (size_t)(n + 1), err);
    if (!order || !words || !lens || !hashes || !counts) {
        free(order), free(words), free(lens), free(hashes), free(counts);
        return -1;
    }
    for (int64_t i = 0; i < n; i++) {
        uint64_t head = 0;
        for (int b = 0; b < 8; b++)
            head = head << 8 |
                   (b < v->lens[i] ? (unsigned char)v->words[i][b] : 0);
        order[i] = (sort_key){v->counts[i], head, i};
    }
    qsort_r(order, (size_t)n, sizeof *order, cmp_keys, v);
    for (int64_t i = 0; i < n; i++) {
        int64_t id = order[i].id;
        words[i] = v->words[id];
        lens[i] = v->lens[id];
        hashes[i] = v->hashes[id];
        counts[i] = v->counts[id];
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
 * max_vocab of them. */
typedef struct table_bound {
    int64_t max_vocab;  /* 0 = unbounded */
    int64_t limit;      /* max_vocab + slack; INT64_MAX when unbounded */
} table_bound;

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

/* The counting table of one thread.  Counting looks every token up, so a
 * lookup reads one 32-byte slot: the word's first 16 bytes (zero-padded:
 * no word holds a NUL), or for a longer word its first 8 and a pointer to
 * all of it, with its hash, its length and its count.  `order` lists the
 * occupied slots in the order their words first came: the ids vocab_add
 * would have given them, so the vocabulary made from the table is the one
 * that adding the words one by one to a vocab makes. */
enum { SLOT_INLINE = 16 };

typedef struct count_slot {
    uint64_t w0;           /* bytes 0..7 */
    union {
        uint64_t w1;       /* bytes 8..15, for words of SLOT_INLINE or less */
        const char *whole; /* the word, in the table's arena, for longer ones */
    } u;
    int64_t count;
    uint64_t key;          /* hash << 32 | length; 0 = empty */
} count_slot;

typedef struct count_table {
    count_slot *slots;
    int64_t n_slots;    /* a power of two, at least twice size */
    int64_t size;       /* words */
    uint32_t *order;    /* slot of each word, the first seen first */
    int64_t order_cap;
    vocab_chunk *arena; /* the words longer than SLOT_INLINE */
} count_table;

/* A word as the table compares it. */
typedef struct count_word {
    uint64_t w0, w1, key;
    const char *bytes;
    int len;
} count_word;

/* The word whose first bytes, zero-padded to 16, are lo and hi. */
static inline count_word count_word_make(const char *bytes, int len,
                                         uint64_t lo, uint64_t hi)
{
    uint32_t h;
    if (len <= SLOT_INLINE) {
        uint64_t x = (lo ^ (uint64_t)len) * 0x9e3779b97f4a7c15ull;
        x ^= hi * 0xc4ceb9fe1a85ec53ull;
        x ^= x >> 32;
        x *= 0xff51afd7ed558ccdull;
        h = (uint32_t)(x >> 32);
    } else {
        h = word_hash(bytes, len);
        hi = 0;
    }
    return (count_word){lo, hi, (uint64_t)h << 32 | (uint32_t)len, bytes, len};
}

/* bytes[0..len) with at least 16 bytes readable from bytes. */
static inline count_word count_word_padded(const char *bytes, int len)
{
    uint64_t lo = word_load_le64(bytes), hi = word_load_le64(bytes + 8);
    if (len < 8) {
        lo &= ((uint64_t)1 << (8 * len)) - 1;
        hi = 0;
    } else if (len < 16) {
        hi &= ((uint64_t)1 << (8 * (len - 8))) - 1;
    }
    return count_word_make(bytes, len, lo, hi);
}

/* bytes[0..len), wherever it lies. */
static count_word count_word_any(const char *bytes, int len)
{
    unsigned char head[16] = {0};
    memcpy(head, bytes, (size_t)(len < 16 ? len : 16));
    return count_word_make(bytes, len, word_load_le64(head),
                           word_load_le64(head + 8));
}

/* The word held in slot s. */
static inline count_word count_word_of_slot(const count_slot *s)
{
    int len = (int)(uint32_t)s->key;
    return (count_word){s->w0, len <= SLOT_INLINE ? s->u.w1 : 0, s->key,
                        len <= SLOT_INLINE ? NULL : s->u.whole, len};
}

/* n_slots empty slots.  A lookup goes to a random slot: a large table gets
 * huge pages (w2v_alloc_huge), or nearly every lookup would miss the TLB. */
static count_slot *slots_alloc(int64_t n_slots, w2v_err *err)
{
    size_t bytes = sizeof(count_slot) * (size_t)n_slots;
    count_slot *slots = w2v_alloc_huge(bytes, err);
    if (slots)
        memset(slots, 0, bytes); /* empty */
    return slots;
}

static int count_table_init(count_table *t, int64_t n_slots, w2v_err *err)
{
    memset(t, 0, sizeof *t);
    if (!(t->slots = slots_alloc(n_slots, err)))
        return -1;
    t->n_slots = n_slots;
    return 0;
}

static void count_table_free(count_table *t)
{
    free(t->slots);
    free(t->order);
    arena_free(t->arena);
    memset(t, 0, sizeof *t);
}

/* The slot holding w, or the empty one where it would go. */
static inline count_slot *count_probe(const count_table *t,
                                      const count_word *w)
{
    uint64_t mask = (uint64_t)t->n_slots - 1;
    for (uint64_t i = (w->key >> 32) & mask;; i = (i + 1) & mask) {
        count_slot *s = &t->slots[i];
        if (s->key == 0)
            return s;
        if (s->key == w->key && s->w0 == w->w0 &&
            (w->len <= SLOT_INLINE
                 ? s->u.w1 == w->w1
                 : memcmp(s->u.whole, w->bytes, (size_t)w->len) == 0))
            return s;
    }
}

/* Moves the words into n_slots fresh slots, in their order. */
static int count_resize(count_table *t, int64_t n_slots, w2v_err *err)
{
    count_slot *fresh = slots_alloc(n_slots, err);
    if (!fresh)
        return -1;
    uint64_t mask = (uint64_t)n_slots - 1;
    for (int64_t k = 0; k < t->size; k++) {
        const count_slot *s = &t->slots[t->order[k]];
        uint64_t i = (s->key >> 32) & mask;
        while (fresh[i].key != 0)
            i = (i + 1) & mask;
        fresh[i] = *s;
        t->order[k] = (uint32_t)i;
    }
    free(t->slots);
    t->slots = fresh;
    t->n_slots = n_slots;
    return 0;
}

/* Puts w, seen count times, in the empty slot s. */
static int count_insert(count_table *t, count_slot *s, const count_word *w,
                        int64_t count, w2v_err *err)
{
    if (t->size == t->order_cap) {
        int64_t cap = t->order_cap ? 2 * t->order_cap : 1024;
        if (cap > INT32_MAX)
            return w2v_fail(err, "vocabulary too large (over %d words)",
                            INT32_MAX);
        uint32_t *order = realloc(t->order, sizeof *order * (size_t)cap);
        if (!order)
            return w2v_fail(err, "out of memory growing the vocabulary to "
                                 "%lld words", (long long)cap);
        t->order = order;
        t->order_cap = cap;
    }
    if (w->len <= SLOT_INLINE)
        s->u.w1 = w->w1;
    else if (!(s->u.whole = chunk_store(&t->arena, w->bytes, w->len, err)))
        return -1;
    s->w0 = w->w0;
    s->key = w->key;
    s->count = count;
    t->order[t->size++] = (uint32_t)(s - t->slots);
    if (2 * t->size > t->n_slots)
        return count_resize(t, 2 * t->n_slots, err);
    return 0;
}

/* Adds count to w, inserting it when new. */
static inline int count_add(count_table *t, const count_word *w,
                            int64_t count, w2v_err *err)
{
    count_slot *s = count_probe(t, w);
    if (s->key != 0) {
        s->count += count;
        return 0;
    }
    return count_insert(t, s, w, count, err);
}

/* One Misra-Gries reduction of a counting table holding more than `keep`
 * words: subtracts the (keep+1)-th largest count k from every count and
 * drops the words left at 0 or below, so at most `keep` remain, the others
 * in their order (the long ones move to a fresh arena, so that the dropped
 * ones free their memory).  At least keep+1 counts were >= k, so the
 * counts' total drops by at least (keep+1) * k. */
static int count_reduce(count_table *t, int64_t keep, w2v_err *err)
{
    int64_t *scratch = w2v_malloc(sizeof *scratch * (size_t)t->size, err);
    if (!scratch)
        return -1;
    for (int64_t k = 0; k < t->size; k++)
        scratch[k] = t->slots[t->order[k]].count;
    int64_t cut = select_descending(scratch, t->size, keep);
    free(scratch);
    count_table fresh;
    if (count_table_init(&fresh, t->n_slots, err))
        return -1;
    fresh.order = t->order;
    fresh.order_cap = t->order_cap;
    t->order = NULL;
    for (int64_t k = 0; k < t->size; k++) {
        const count_slot *s = &t->slots[fresh.order[k]];
        if (s->count - cut <= 0)
            continue;
        count_word w = count_word_of_slot(s);
        if (count_insert(&fresh, count_probe(&fresh, &w), &w, s->count - cut,
                         err)) {
            count_table_free(&fresh);
            return -1;
        }
    }
    count_table_free(t);
    *t = fresh;
    return 0;
}

/* Reduces t, which reached b->limit words, counting it in *reductions.
 * Callers test the limit themselves: that test runs once per token. */
static int count_reduce_full(count_table *t, const table_bound *b,
                             int64_t *reductions, w2v_err *err)
{
    (*reductions)++;
    return count_reduce(t, b->max_vocab, err);
}

/* Words a counting thread reads at a time: all hashed, and their slots
 * prefetched, before the first is looked up, so that memory is fetched
 * meanwhile; and how far ahead the walks over a table's words prefetch. */
enum { COUNT_AHEAD = 32 };

/* Makes the empty v hold t's words, in t's order, with their counts. */
static int count_to_vocab(const count_table *t, vocab *v, w2v_err *err)
{
    while (v->cap < t->size)
        if (grow_arrays(v, err))
            return -1;
    for (int64_t k = 0; k < t->size; k++) {
        if (k + COUNT_AHEAD < t->size)
            __builtin_prefetch(&t->slots[t->order[k + COUNT_AHEAD]]);
        const count_slot *s = &t->slots[t->order[k]];
        int len = (int)(uint32_t)s->key;
        unsigned char head[16];
        const char *word = (const char *)head;
        if (len <= SLOT_INLINE) {
            for (int b = 0; b < 8; b++) {
                head[b] = (unsigned char)(s->w0 >> (8 * b));
                head[8 + b] = (unsigned char)(s->u.w1 >> (8 * b));
            }
        } else {
            word = s->u.whole;
        }
        if (!(v->words[k] = arena_store(v, word, len, err)))
            return -1;
        v->lens[k] = len;
        v->hashes[k] = word_hash(word, len);
        v->counts[k] = s->count;
        v->size = k + 1;
    }
    return rehash(v, word_table_slots_for(v->size), err);
}

/* One counting thread: its byte range into its own table. */
typedef struct count_job {
    count_table t;
    const corpus *c;
    int64_t begin, end;
    table_bound bound;
    vocab_stats stats;
    int failed;
    w2v_err err;
} count_job;


/* bytes[0..len), at least 16 bytes readable from bytes, into *w. */
static inline void count_word_set(count_word *w, const char *bytes, int len)
{
    *w = count_word_padded(bytes, len);
}

static void *count_range(void *arg)
{
    count_job *j = arg;
    token_reader r;
    char scratch[W2V_MAX_WORD + 1 + READER_PAD];
    const char *words[COUNT_AHEAD];
    int lens[COUNT_AHEAD], n;
    count_word ahead[COUNT_AHEAD];
    j->failed = 1;
    if (reader_init(&r, j->c, j->begin, j->end, COUNT_READ_BUFFER, &j->err))
        return NULL;
    while ((n = reader_next_words(&r, scratch, words, lens, COUNT_AHEAD,
                                  &j->err)) > 0) {
        j->stats.tokens += n;
        const count_slot *slots = j->t.slots;
        uint64_t mask = (uint64_t)j->t.n_slots - 1;
        for (int i = 0; i < n; i++) {
            count_word_set(&ahead[i], words[i], lens[i]);
            __builtin_prefetch(&slots[(ahead[i].key >> 32) & mask]);
        }
        for (int i = 0; i < n; i++)
            if (count_add(&j->t, &ahead[i], 1, &j->err) ||
                (j->t.size >= j->bound.limit &&
                 count_reduce_full(&j->t, &j->bound, &j->stats.reductions,
                                   &j->err)))
                goto out;
    }
    if (n < 0)
        goto out;
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
        if (count_table_init(&jobs[i].t, word_table_slots_for(0), err))
            goto out;
    }
    /* thread 0 counts on from the words v holds, in their order */
    for (int64_t id = 0; id < v->size; id++) {
        count_word w = count_word_any(v->words[id], v->lens[id]);
        if (count_add(&jobs[0].t, &w, v->counts[id], err))
            goto out;
    }
    if (run_threads(count_range, jobs, sizeof *jobs, threads, err))
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
    /* merged one table at a time into thread 0's, each freed once merged:
     * the merged table stays within the bound like the others */
    count_table *all = &jobs[0].t;
    for (int i = 1; i < threads; i++) {
        const count_table *part = &jobs[i].t;
        for (int64_t k = 0; k < part->size; k++) {
            /* prefetched: the slot of the word 2 * COUNT_AHEAD on, and
             * the slot in `all` of the word COUNT_AHEAD on */
            int64_t far = k + 2 * COUNT_AHEAD, near = k + COUNT_AHEAD;
            if (far < part->size)
                __builtin_prefetch(&part->slots[part->order[far]]);
            if (near < part->size) {
                uint64_t key = part->slots[part->order[near]].key;
                __builtin_prefetch(
                    &all->slots[(key >> 32) & ((uint64_t)all->n_slots - 1)]);
            }
            const count_slot *s = &part->slots[part->order[k]];
            count_word w = count_word_of_slot(s);
            if (count_add(all, &w, s->count, err) ||
                (all->size >= bound.limit &&
                 count_reduce_full(all, &bound, &stats->reductions, err)))
                goto out;
        }
        count_table_free(&jobs[i].t);
    }
    int64_t total = v->total;
    vocab_free(v);
    if (vocab_init(v, err) || count_to_vocab(all, v, err))
        goto out;
    v->total = total;
    count_table_free(all);
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
    for (int i = 0; i < threads; i++)
        count_table_free(&jobs[i].t);
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
