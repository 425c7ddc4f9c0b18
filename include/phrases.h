/* phrases.h - joining frequent word pairs into phrases ("new york" becomes
 * "new_york"), as the original word2phrase does.
 *
 * Counting: every word is counted, then every pair of adjacent tokens both
 * of whose words occur at least min_count times.  As in the original, a
 * pair is counted across a line break (its counting pass never resets the
 * previous word) but never joined across one.  Pairs seen fewer than
 * min_count times are dropped.
 *
 * Scoring, for a pair (a, b) with counts n_a, n_b, n_ab among N tokens:
 *   default  (n_ab - min_count) / n_a / n_b * N, evaluated in single
 *            precision in this order, as the original does, so the same
 *            pairs pass the same threshold;
 *   npmi     ln(p_ab / (p_a p_b)) / -ln(p_ab) with p = n / N, in [-1, 1]
 *            (gensim's normalized pointwise mutual information).
 * A pair is a phrase when its score is above the threshold.
 *
 * Writing: tokens go out in order, one space between them, a newline for
 * each line break; a token is joined to the previous one with '_' when the
 * two are on one line, the pair is a phrase and the previous token was not
 * itself joined to the one before it (a joined pair consumes both words). */
#ifndef W2V_PHRASES_H
#define W2V_PHRASES_H

#include <stdint.h>
#include <stdio.h>

#include "corpus.h"
#include "vocab.h"
#include "w2v.h"

typedef enum phrase_scoring {
    PHRASE_SCORE_DEFAULT, /* the original's */
    PHRASE_SCORE_NPMI,    /* normalized pointwise mutual information */
} phrase_scoring;

/* Name of a scoring ("default", "npmi"). */
const char *phrase_scoring_name(phrase_scoring s);

/* Counts of pairs of word ids, in an open-addressing table kept at most
 * half full. */
typedef struct pair_slot {
    uint64_t key;  /* first id << 32 | second id, or PAIR_SLOT_EMPTY */
    int64_t count;
} pair_slot;

#define PAIR_SLOT_EMPTY UINT64_MAX

typedef struct pair_table {
    pair_slot *slots;
    int64_t n_slots; /* a power of two */
    int64_t size;    /* pairs held */
} pair_table;

/* What the counting pass needs to know. */
typedef struct phrase_count_config {
    int64_t min_count;       /* words and pairs rarer than this never join */
    int threads;             /* at most this many counting threads */
    int64_t min_range_bytes; /* ... each with a byte range at least this
                                long (VOCAB_RANGE_BYTES) */
    int64_t max_vocab;       /* words a word table and pairs a pair table
                                may hold, 0 = no limit (see phrase_count) */
} phrase_count_config;

/* Statistics of a counting pass. */
typedef struct phrase_stats {
    int threads;               /* counting threads used */
    int64_t tokens;            /* words read */
    int64_t truncated;         /* words cut to W2V_MAX_WORD bytes */
    int words_limited;         /* 1: more than max_vocab distinct words, so
                                  only the max_vocab most frequent were kept
                                  (with exact counts: vocab_count) */
    int64_t words_kept;        /* words kept by the counting */
    int64_t words_cut_count;   /* count of the least frequent word kept */
    int64_t pairs_counted;     /* distinct pairs of frequent words */
    int64_t pair_reductions;   /* times a pair table was pruned */
    int64_t pairs_pruned_below; /* pairs seen fewer times were dropped */
} phrase_stats;

/* The counts behind the decisions. */
typedef struct phrase_model {
    vocab words;      /* words seen at least min_count times, ids by count */
    pair_table pairs; /* their pairs seen at least min_count times; after
                         phrase_select only the phrases */
    vocab joinable;   /* after phrase_select: the words of the phrases ... */
    pair_table phrases; /* ... and the phrases by their ids there: small
                           tables for the writer's lookups */
    int64_t tokens;   /* N: tokens counted */
    int64_t min_count;
} phrase_model;

/* Counts corpus c into m (which it initializes), with up to cfg->threads
 * threads each on its own byte range; the result does not depend on the
 * thread count unless pruning happens.  The words are counted by
 * vocab_count (at most max_vocab of them, the most frequent, with exact
 * counts: a second pass when more are seen).  Pairs are bounded
 * over all threads together: each of T threads prunes its table when it
 * holds max_vocab / T pairs, and the merged table when it holds max_vocab,
 * dropping the pairs seen once, then at most twice, and so on.  On
 * failure m is freed. */
int phrase_count(phrase_model *m, const corpus *c,
                 const phrase_count_config *cfg, phrase_stats *stats,
                 w2v_err *err);

/* Count of the pair "a b" in m (0 when it is not held). */
int64_t phrase_pair_count(const phrase_model *m, const char *a, int a_len,
                          const char *b, int b_len);

/* Score of a pair with counts n_a, n_b and n_ab among `tokens` tokens (see
 * above).  For PHRASE_SCORE_DEFAULT the value is a float. */
double phrase_score(phrase_scoring s, int64_t n_a, int64_t n_b, int64_t n_ab,
                    int64_t min_count, int64_t tokens);

/* 1 when `score` (from phrase_score) is above threshold: for the default
 * scoring both are compared as floats, as the original does. */
int phrase_passes(phrase_scoring s, double score, double threshold);

/* Fails when threshold is no valid threshold for s (npmi: outside
 * [-1, 1]; any finite number otherwise). */
int phrase_threshold_check(phrase_scoring s, double threshold, w2v_err *err);

/* Keeps in m->pairs only the pairs whose score passes threshold and fills
 * m->joinable and m->phrases; returns how many, or -1 on allocation
 * failure. */
int64_t phrase_select(phrase_model *m, phrase_scoring s, double threshold,
                      w2v_err *err);

/* How phrase_write splits the work. */
typedef struct phrase_write_config {
    int threads;         /* at most this many threads */
    int64_t chunk_bytes; /* each writes chunks of about this many bytes
                            (PHRASE_CHUNK_BYTES) into memory, written out
                            in order */
} phrase_write_config;

#define PHRASE_CHUNK_BYTES ((int64_t)1 << 23)

/* Writes corpus c with the phrases of m (after phrase_select) joined to
 * out (named out_name in messages); *joined gets the number of joins.
 * The text does not depend on the thread count: a chunk starts at its
 * first token (after the first item) that cannot be joined to the one
 * before it, where the state of the writer is known, and the chunk before
 * it reads on up to there. */
int phrase_write(const phrase_model *m, const corpus *c,
                 const phrase_write_config *cfg, FILE *out,
                 const char *out_name, int64_t *joined, w2v_err *err);

/* Frees what phrase_count and phrase_select allocated; safe on a zeroed
 * model. */
void phrase_model_free(phrase_model *m);

#endif
