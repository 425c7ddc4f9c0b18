/* corpus_cache.c - a byte range of the corpus as word ids (corpus_cache.h). */
#include "corpus_cache.h"

#include <stdlib.h>
#include <string.h>

/* Longest encoding of one event (an id below 2^35). */
enum { EVENT_MAX_BYTES = 5 };
/* The data grows by a quarter, and by at least this many bytes. */
enum { GROW_MIN = 1 << 20 };

int64_t corpus_cache_estimate(const int64_t *counts, int64_t words)
{
    int64_t bytes = 0, events = 0;
    for (int64_t i = 0; i < words; i++) {
        bytes += counts[i] * corpus_cache_event_bytes(i);
        events += counts[i];
    }
    return bytes + events / CORPUS_CACHE_MARK_EVERY * (int64_t)sizeof(cache_mark);
}

int64_t corpus_cache_bytes(const corpus_cache *k)
{
    return k->cap + k->marks_cap * (int64_t)sizeof(cache_mark);
}

/* Frees the memory and marks the cache as not to be used again. */
static void drop(corpus_cache *k)
{
    free(k->data);
    free(k->marks);
    k->data = NULL;
    k->marks = NULL;
    k->len = k->cap = k->n_marks = k->marks_cap = 0;
    k->state = CORPUS_CACHE_DROPPED;
}

/* 1 when `bytes` are more than this process may use at all: not asked of
 * malloc, which may promise them (overcommit) or, under a sanitizer, end
 * the process. */
static int beyond_memory(int64_t bytes)
{
    int64_t all = w2v_memory_bytes();
    return all > 0 && bytes > all;
}

/* Gives back the room past what the events and marks take. */
static void shrink(corpus_cache *k)
{
    /* a smaller block never fails to be had in practice; if it does, the
     * larger one stays */
    unsigned char *data = realloc(k->data, (size_t)(k->len ? k->len : 1));
    if (data) {
        k->data = data;
        k->cap = k->len ? k->len : 1;
    }
    if (k->n_marks) {
        cache_mark *marks = realloc(k->marks,
                                    sizeof *marks * (size_t)k->n_marks);
        if (marks) {
            k->marks = marks;
            k->marks_cap = k->n_marks;
        }
    }
}

/* The cache cannot have the room it needs: it keeps what it holds, or
 * holding nothing is dropped (0); for a required one an error (-1). */
static int out_of_room(corpus_cache *k, int64_t wanted, w2v_err *err)
{
    int64_t had = corpus_cache_bytes(k);
    if (!k->required && k->events > 0) {
        k->state = CORPUS_CACHE_PARTIAL;
        shrink(k);
        return 0;
    }
    drop(k);
    if (!k->required)
        return 0;
    return w2v_fail(err, "the corpus cache does not fit in memory: %.1f MB "
                         "held, %.1f MB wanted (use -corpus-cache auto or "
                         "off)",
                    (double)had / 1e6, (double)wanted / 1e6);
}

int corpus_cache_init(corpus_cache *k, int64_t reserve, int64_t limit,
                      int required, w2v_err *err)
{
    memset(k, 0, sizeof *k);
    k->limit = limit;
    k->required = required;
    if (reserve > limit)
        reserve = limit;
    if (reserve < EVENT_MAX_BYTES)
        reserve = EVENT_MAX_BYTES;
    if ((uint64_t)reserve > SIZE_MAX || beyond_memory(reserve) ||
        !(k->data = malloc((size_t)reserve)))
        return out_of_room(k, reserve, err);
    k->cap = reserve;
    return 0;
}

void corpus_cache_start(corpus_cache *k)
{
    if (k->state == CORPUS_CACHE_DROPPED)
        return;
    k->state = CORPUS_CACHE_RECORDING;
    k->len = k->n_marks = k->events = k->words = 0;
    k->end_offset = 0;
    k->end_after_word = 0;
}

/* Makes room for one more event (and its mark); 0 or out_of_room's. */
static int grow(corpus_cache *k, w2v_err *err)
{
    int64_t marks_cap = k->marks_cap, cap = k->cap;
    if (k->n_marks == k->marks_cap)
        marks_cap = k->marks_cap ? 2 * k->marks_cap : 64;
    if (k->len + EVENT_MAX_BYTES > k->cap)
        cap = k->cap + (k->cap / 4 > GROW_MIN ? k->cap / 4 : GROW_MIN);
    int64_t wanted = cap + marks_cap * (int64_t)sizeof(cache_mark);
    if (wanted > k->limit) { /* whatever fits under the limit */
        cap = k->limit - marks_cap * (int64_t)sizeof(cache_mark);
        if (cap < k->len + EVENT_MAX_BYTES)
            return out_of_room(k, wanted, err);
        wanted = k->limit;
    }
    if (beyond_memory(wanted))
        return out_of_room(k, wanted, err);
    if (cap != k->cap) {
        unsigned char *data = realloc(k->data, (size_t)cap);
        if (!data)
            return out_of_room(k, wanted, err);
        k->data = data;
        k->cap = cap;
    }
    if (marks_cap != k->marks_cap) {
        cache_mark *marks = realloc(k->marks, sizeof *marks * (size_t)marks_cap);
        if (!marks)
            return out_of_room(k, wanted, err);
        k->marks = marks;
        k->marks_cap = marks_cap;
    }
    return 0;
}

int corpus_cache_add(corpus_cache *k, int64_t event, int64_t offset,
                     w2v_err *err)
{
    if (k->state != CORPUS_CACHE_RECORDING)
        return 0;
    if ((k->len + EVENT_MAX_BYTES > k->cap || k->n_marks == k->marks_cap) &&
        grow(k, err))
        return -1;
    if (k->state != CORPUS_CACHE_RECORDING)
        return 0;
    uint64_t v = (uint64_t)(event + 1);
    unsigned char *p = k->data + k->len;
    while (v >= 0x80) {
        *p++ = (unsigned char)(v | 0x80);
        v >>= 7;
    }
    *p++ = (unsigned char)v;
    k->len = p - k->data;
    k->words += event >= 0;
    k->end_offset = offset;
    k->end_after_word = event >= 0;
    if (++k->events % CORPUS_CACHE_MARK_EVERY == 0)
        k->marks[k->n_marks++] = (cache_mark){offset, event >= 0};
    return 0;
}

void corpus_cache_finish(corpus_cache *k, int64_t end_offset)
{
    if (k->state != CORPUS_CACHE_RECORDING)
        return;
    k->state = CORPUS_CACHE_COMPLETE;
    k->end_offset = end_offset;
    k->end_after_word = 0;
    shrink(k);
}

void corpus_cache_free(corpus_cache *k)
{
    free(k->data);
    free(k->marks);
    memset(k, 0, sizeof *k);
}
