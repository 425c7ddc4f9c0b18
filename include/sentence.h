/* sentence.h - the text as training sees it: sentences of word ids.
 *
 * Reading one sentence: tokens are read from a byte range of the corpus,
 * looked up in a word table (words not in it are dropped and counted),
 * optionally subsampled, and the sentence ends at a newline or when it
 * holds SENTENCE_MAX words, as in the original (a text8-style corpus is one
 * line, cut into pieces of SENTENCE_MAX words).  Training and the held-out
 * log-likelihood read the text through this one function. */
#ifndef W2V_SENTENCE_H
#define W2V_SENTENCE_H

#include <stdint.h>

#include "corpus.h"
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
    int64_t tokens_read;      /* every token */
    int64_t known;            /* tokens found in the table (before
                                 subsampling): what the learning-rate
                                 schedule counts */
    int at_end;               /* the range is exhausted */
} sentence_reader;

/* Prepares a reader over [begin, end) of c with a read buffer of buf_size
 * bytes, looking words up in (table, words); keep and r may be NULL for no
 * subsampling. */
int sentence_reader_init(sentence_reader *s, const corpus *c, int64_t begin,
                         int64_t end, int64_t buf_size,
                         const word_table *table, char *const *words,
                         const uint64_t *keep, rng *r, w2v_err *err);

/* Rewinds to the start of the range (for the next pass); the counters go
 * on accumulating. */
void sentence_rewind(sentence_reader *s);

/* Reads the next sentence into ids[0 .. SENTENCE_MAX) and returns its
 * length; lines left empty (no known word, or all subsampled away) are
 * passed over, so 0 means the end of the range (s->at_end is then set).
 * -1 on a read error (message in err). */
int sentence_next(sentence_reader *s, int32_t *ids, w2v_err *err);

void sentence_reader_free(sentence_reader *s);

#endif
