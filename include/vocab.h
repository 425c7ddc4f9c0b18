/* vocab.h - the vocabulary: an open-addressing hash table of words with
 * int64 counts, pruned and sorted into frequency order (ids 0..size-1). */
#ifndef W2V_VOCAB_H
#define W2V_VOCAB_H

#include <stdint.h>
#include <stdio.h>

#include "corpus.h"
#include "wordhash.h"
#include "w2v.h"

typedef struct vocab_chunk vocab_chunk;

typedef struct vocab {
    int64_t size;      /* words */
    int64_t cap;       /* room in the arrays below */
    char **words;      /* NUL-terminated, in the arena */
    int32_t *lens;     /* byte lengths */
    uint32_t *hashes;  /* hash of each word (low bits pick the slot) */
    int64_t *counts;
    word_table table;  /* word -> id, at most half full */
    vocab_chunk *arena;
    int64_t total;     /* sum of counts (after vocab_finalize) */
} vocab;

/* Statistics of a counting pass, for the program to report. */
typedef struct vocab_stats {
    int threads;        /* counting threads used */
    int64_t tokens;     /* words read */
    int64_t truncated;  /* words cut to W2V_MAX_WORD bytes */
    int limited;        /* 1: more than max_vocab distinct words, so only the
                           most frequent were kept (fields below) */
    int64_t reductions; /* times a table was reduced (0: the first pass
                           counted exactly and there was no second pass) */
    int64_t candidates; /* words recounted in the second pass */
    int64_t guaranteed_above; /* every word seen more than this many times
                                 was kept (when reductions > 0) */
    int64_t kept;       /* words kept */
    int64_t cut_count;  /* count of the least frequent word kept */
} vocab_stats;

int vocab_init(vocab *v, w2v_err *err);
void vocab_free(vocab *v);

/* Id of word[0..len), or -1. */
int64_t vocab_find(const vocab *v, const char *word, int len);

/* Adds `count` to word[0..len), inserting it when new; returns its id, or
 * -1 on allocation failure.  Ids are only stable until the next
 * prune/finalize. */
int64_t vocab_add(vocab *v, const char *word, int len, int64_t count,
                  w2v_err *err);

/* Removes every word with count < min_count (ids change). */
int vocab_prune(vocab *v, int64_t min_count, w2v_err *err);

/* Drops words with count < min_count, sorts by count descending and then by
 * byte order, assigns ids 0..size-1 in that order and sets total. */
int vocab_finalize(vocab *v, int64_t min_count, w2v_err *err);

/* vocab_finalize, keeping at most max_words words (0 = no limit) by raising
 * min_count as needed: to one more than the count of the (max_words+1)-th
 * most frequent word.  Words tied at the cut all go, so fewer than
 * max_words may remain (possibly none, when all are tied); a kept word is
 * never rarer than a dropped one, whatever its bytes.  *min_count_used
 * (when not NULL) gets the bound applied: min_count, or the raised one. */
int vocab_finalize_at_most(vocab *v, int64_t min_count, int64_t max_words,
                           int64_t *min_count_used, w2v_err *err);

/* How vocab_count splits the work and bounds its memory. */
typedef struct vocab_count_config {
    int threads;             /* at most this many counting threads */
    int64_t min_range_bytes; /* ... each with a byte range at least this
                                long (VOCAB_RANGE_BYTES; smaller inputs use
                                fewer threads, as threads cost more than
                                they save there) */
    int64_t max_vocab;       /* words kept, 0 = no limit (vocab_count) */
    int64_t table_slack;     /* words a table holds past max_vocab before it
                                is reduced; 0 = VOCAB_TABLE_SLACK(max_vocab).
                                Smaller only reduces more often (tests). */
} vocab_count_config;

/* The smallest byte range worth a counting thread of its own. */
#define VOCAB_RANGE_BYTES ((int64_t)1 << 22)

/* The default slack of a table bounded at n words: n, and at least 1024 so
 * that small bounds do not rebuild their table every few words. */
#define VOCAB_TABLE_SLACK(n) ((n) > 1024 ? (int64_t)(n) : (int64_t)1024)

/* Counts every word of the corpus into v (empty, as vocab_init leaves it)
 * with up to cfg->threads threads, each on its own byte range with its own
 * table, the tables merged at the end.
 *
 * Without a bound (max_vocab 0), or when the corpus has at most max_vocab
 * distinct words, this is one exact pass and the result does not depend on
 * the thread count.  When it has more, v ends with at most max_vocab words,
 * each with its EXACT count, sorted as vocab_finalize sorts (count
 * descending, then bytes): the most frequent of the candidates below.
 *
 * Memory: no table ever holds more than L = max_vocab + slack words: one
 * that reaches L is reduced (Misra-Gries): the (max_vocab+1)-th largest
 * count k is subtracted from every count and the words left at 0 or below
 * are dropped, which leaves at most max_vocab words.  The threads' tables are
 * then added into the first one at a time, each freed once added, with the
 * same reductions.  So the first pass holds at most threads * L words, the
 * merge no more, and the second pass L words and threads * L counts.
 *
 * Guarantee: a reduction by k takes at least (max_vocab+1) k off the total
 * of all the tables' counts, and that total never exceeds the tokens read,
 * so the k's of all the reductions (in any table) sum to at most tokens /
 * (max_vocab+1): no count falls short of the truth by more.  Every word
 * seen MORE than tokens / (max_vocab+1) times (stats->guaranteed_above) is
 * therefore still a candidate at the end, whatever the thread count or the
 * order of the text, and is kept (there are at most max_vocab such words,
 * each more frequent than any other word).  Which rarer words fill the
 * remaining places may depend on the order of the text and on the thread
 * count.
 *
 * Exactness: when any reduction happened, the candidates (at most L words)
 * are counted again in a second pass over the corpus (always re-readable:
 * standard input is spooled), by as many threads over the same byte
 * ranges, counting only the candidates.  Without a reduction the first
 * pass was exact and there is no second pass. */
int vocab_count(vocab *v, const corpus *c, const vocab_count_config *cfg,
                vocab_stats *stats, w2v_err *err);

/* The vocabulary as bytes, to send to another process: per word in id
 * order a u32 length, the bytes and an i64 count (little-endian).  *buf is
 * allocated (free it); *bytes gets its length. */
int vocab_pack(const vocab *v, unsigned char **buf, size_t *bytes,
               w2v_err *err);

/* Adds the packed words to v (after its own: a packed, finalized
 * vocabulary unpacked into an empty one has the same ids) and sets total
 * to the sum of all counts.  Fails on bytes that vocab_pack did not make. */
int vocab_unpack(vocab *v, const unsigned char *buf, size_t bytes,
                 w2v_err *err);

/* CRC-32C of the packed vocabulary: equal checksums, equal vocabularies. */
uint32_t vocab_checksum(const vocab *v);

/* Writes "word count\n" lines in id order. */
int vocab_save(const vocab *v, FILE *fp, const char *name, w2v_err *err);

/* Reads "word count" lines from path ("-": standard input) (the
 * -save-vocab format, or the original's, whose "</s>" entry is skipped)
 * into an empty vocab.  Repeated words add up; counts that add up past
 * INT64_MAX are refused.  Errors name the file and line. */
int vocab_read(vocab *v, const char *path, w2v_err *err);

#endif
