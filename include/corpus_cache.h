/* corpus_cache.h - one byte range of the corpus kept as word ids, so that
 * the epochs after the first need not read and hash its text again.
 *
 * The cache holds the events the sentence reader acts on (sentence.h), in
 * the order of the text: every word found in the vocabulary, by id, before
 * subsampling (which is drawn afresh every epoch), and a sentence end for
 * the first newline after such a word.  What it leaves out changes no
 * sentence: a word not in the vocabulary is dropped by the reader anyway,
 * and a newline with no known word since the last sentence end meets an
 * empty sentence, which the reader passes over.
 *
 * Each event is one LEB128 varint of id + 1, 0 standing for a sentence end:
 * ids below 127 take one byte, below 16383 two, below 2^21 - 1 three.
 *
 * Every CORPUS_CACHE_MARK_EVERY events a mark notes where the text reader
 * stood right after that event, so that a place in the cache maps back to a
 * corpus offset by reading at most that many events of text again
 * (sentence_tell). */
#ifndef W2V_CORPUS_CACHE_H
#define W2V_CORPUS_CACHE_H

#include <stdint.h>

#include "w2v.h"

/* Events between two marks. */
enum { CORPUS_CACHE_MARK_EVERY = 4096 };

/* The event that ends a sentence (word events are ids, 0 and up). */
#define CORPUS_CACHE_SENTENCE_END ((int64_t)-1)

/* Where the text reader stood right after an event. */
typedef struct cache_mark {
    int64_t offset;  /* corpus offset of the next byte it looks at */
    int after_word;  /* the event was a word (so a newline next is kept) */
} cache_mark;

typedef enum corpus_cache_state {
    CORPUS_CACHE_EMPTY,     /* nothing recorded yet */
    CORPUS_CACHE_RECORDING, /* a pass over the range is being recorded */
    CORPUS_CACHE_COMPLETE,  /* holds the whole range */
    CORPUS_CACHE_PARTIAL,   /* went over its limit, or memory ran out, after
                               some events: holds the range up to end_offset,
                               and the rest is read from the text */
    CORPUS_CACHE_DROPPED,   /* could not hold one event: freed, not used
                               again */
} corpus_cache_state;

typedef struct corpus_cache {
    corpus_cache_state state;
    unsigned char *data; /* the events, encoded */
    int64_t len, cap;    /* bytes used and allocated */
    cache_mark *marks;   /* one after every CORPUS_CACHE_MARK_EVERY events */
    int64_t n_marks, marks_cap;
    int64_t events;      /* events recorded */
    int64_t words;       /* of which words */
    int64_t end_offset;  /* where the text reader stood after the last
                            event: the range's end when complete */
    int end_after_word;  /* that event was a word */
    int64_t limit;       /* most bytes data and marks may take */
    int required;        /* 1: memory running out is an error; 0: the cache
                            keeps what it holds instead (as when over
                            `limit`) */
} corpus_cache;

/* Bytes the encoding of `event` takes. */
static inline int corpus_cache_event_bytes(int64_t event)
{
    uint64_t v = (uint64_t)(event + 1);
    int n = 1;
    while (v >= 0x80) {
        v >>= 7;
        n++;
    }
    return n;
}

/* Bytes a cache of the words counted in counts[0..words) would take: each
 * occurrence of id i costs corpus_cache_event_bytes(i), plus the marks
 * (sentence ends are not counted: they are not known before reading). */
int64_t corpus_cache_estimate(const int64_t *counts, int64_t words);

/* Prepares an empty cache that may take `limit` bytes, reserving `reserve`
 * of them now (at most limit); with `required`, failing to reserve them is
 * an error, without it the cache is dropped and the call succeeds.  More
 * than w2v_memory_bytes() is never asked of malloc: it fails at once. */
int corpus_cache_init(corpus_cache *k, int64_t reserve, int64_t limit,
                      int required, w2v_err *err);

/* Starts recording a pass from the range's start, forgetting what was
 * recorded before.  Does nothing to a dropped cache. */
void corpus_cache_start(corpus_cache *k);

/* Appends `event` (a word id, or CORPUS_CACHE_SENTENCE_END) read by a text
 * reader that now stands at `offset`.  Past the limit, or out of memory,
 * the cache keeps the events before this one (CORPUS_CACHE_PARTIAL, its
 * spare room given back) or, holding none, is dropped (0); out of memory
 * for a required cache, -1 with the message in err. */
int corpus_cache_add(corpus_cache *k, int64_t event, int64_t offset,
                     w2v_err *err);

/* Ends the recording at the end of the range, where the text reader stood
 * at end_offset; the cache is complete, its spare room given back. */
void corpus_cache_finish(corpus_cache *k, int64_t end_offset);

/* The event encoded at data[*pos] (pos < len), advancing *pos past it. */
static inline int64_t corpus_cache_event(const corpus_cache *k, int64_t *pos)
{
    const unsigned char *p = k->data + *pos;
    if (p[0] < 0x80) { /* the common case: one of the 127 first words */
        *pos += 1;
        return (int64_t)p[0] - 1;
    }
    uint64_t v = p[0] & 0x7F;
    int n = 1;
    do {
        v |= (uint64_t)(p[n] & 0x7F) << (7 * n);
    } while (p[n++] & 0x80);
    *pos += n;
    return (int64_t)v - 1;
}

/* Memory the cache holds (its events and marks), in bytes. */
int64_t corpus_cache_bytes(const corpus_cache *k);

/* Frees it; safe on a zeroed cache. */
void corpus_cache_free(corpus_cache *k);

#endif
