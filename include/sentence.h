/* sentence.h - the text as training sees it: sentences of word ids.
 *
 * Reading one sentence: tokens are read from a byte range of the corpus,
 * looked up in a word table (words not in it are dropped and counted),
 * optionally subsampled, and the sentence ends at a newline or when it
 * holds SENTENCE_MAX words, as in the original (a text8-style corpus is one
 * line, cut into pieces of SENTENCE_MAX words).  Training and the held-out
 * log-likelihood read the text through this one function.
 *
 * With a corpus cache attached (corpus_cache.h), a pass over the whole range
 * from its start also records the range as word ids, and the passes after
 * it read the ids instead of the text (of a partial cache, the ids and then
 * the text from where they stop): the same sentences, the same subsampling
 * draws. */
#ifndef W2V_SENTENCE_H
#define W2V_SENTENCE_H

#include <stdint.h>

#include "corpus.h"
#include "corpus_cache.h"
#include "rng.h"
#include "wordhash.h"

/* Longest sentence, in words kept (after subsampling). */
enum { SENTENCE_MAX = 1000 };

typedef struct sentence_reader {
    token_reader tokens;
    const word_table *table;  /* the vocabulary: word -> id */
    char *const *words;       /* its words, by id */
    const uint64_t *keep;     /* subsampling thresholds (noise.h), or NULL */
    rng *rng;                 /* draws for subsampling */
    int64_t tokens_read;      /* every token read from the text (words
                                 read from the cache are not tokens) */
    int64_t known;            /* tokens found in the table (before
                                 subsampling): what the learning-rate
                                 schedule counts */
    int at_end;               /* the range is exhausted */
    int after_word;           /* reading text: a known word since the last
                                 sentence end (a newline is an event) */
    corpus_cache *cache;      /* the range as ids, or NULL */
    int recording;            /* this pass over the text fills the cache */
    int replaying;            /* this pass reads the recorded cache */
    int64_t cache_pos;        /* replaying: the next byte of the cache */
    int64_t cache_events;     /* replaying: events read in this pass */
    int64_t replay_end;       /* replaying: the pass ends after this many
                                 events of the cache (INT64_MAX: all) */
    /* At the end of what is claimed of the range (tokens.end reading text,
     * replay_end replaying): claims more, moving that end further, and
     * returns 1, or returns 0 where the range ends.  The words read then
     * go on as if the range had ended further from the start (no sentence
     * is cut).  NULL: the range is fixed. */
    int (*extend)(void *arg, struct sentence_reader *s);
    void *extend_arg;
} sentence_reader;

/* Prepares a reader over [begin, end) of c with a read buffer of buf_size
 * bytes, looking words up in (table, words); keep and r may be NULL for no
 * subsampling. */
int sentence_reader_init(sentence_reader *s, const corpus *c, int64_t begin,
                         int64_t end, int64_t buf_size,
                         const word_table *table, char *const *words,
                         const uint64_t *keep, rng *r, w2v_err *err);

/* Attaches cache k (empty or dropped; it stays the caller's) to s: the
 * next pass over the whole range from its start records it (this one when
 * s stands at the start), and the passes after that one read it. */
void sentence_reader_use_cache(sentence_reader *s, corpus_cache *k);

/* Rewinds to the start of the range (for the next pass); the counters go
 * on accumulating. */
void sentence_rewind(sentence_reader *s);

/* Where s stands between two sentences, as the text reader would say it
 * (reader_tell): the offset of the next byte and whether the token
 * straddling it is still to be skipped.  While replaying the cache this
 * reads at most CORPUS_CACHE_MARK_EVERY events of text again; -1 on a read
 * error (message in err). */
int sentence_tell(sentence_reader *s, int64_t *offset, int *skip_partial,
                  w2v_err *err);

/* Continues at what sentence_tell said (reader_seek): from the text; at
 * the start of the range this is sentence_rewind. */
void sentence_seek(sentence_reader *s, int64_t offset, int skip_partial);

/* Reads the next sentence into ids[0 .. SENTENCE_MAX) and returns its
 * length; lines left empty (no known word, or all subsampled away) are
 * passed over, so 0 means the end of the range (s->at_end is then set).
 * -1 on a read error (message in err). */
int sentence_next(sentence_reader *s, int32_t *ids, w2v_err *err);

void sentence_reader_free(sentence_reader *s);

#endif
