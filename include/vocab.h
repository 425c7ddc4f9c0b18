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
    int64_t reductions; /* times the table was pruned at max_vocab */
    int64_t pruned_below; /* after pruning, words with count < this were dropped */
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

/* How vocab_count splits the work. */
typedef struct vocab_count_config {
    int threads;             /* at most this many counting threads */
    int64_t min_range_bytes; /* ... each with a byte range at least this
                                long (VOCAB_RANGE_BYTES; smaller inputs use
                                fewer threads, as threads cost more than
                                they save there) */
    int64_t max_vocab;       /* words a table may hold, 0 = no limit */
} vocab_count_config;

/* The smallest byte range worth a counting thread of its own. */
#define VOCAB_RANGE_BYTES ((int64_t)1 << 22)

/* Counts every word of the corpus into v, with up to cfg->threads threads
 * each on its own byte range, merged at the end (the result does not
 * depend on the thread count unless pruning happens).  When max_vocab > 0
 * and a thread's table reaches max_vocab words, its rare words are pruned
 * as in the original word2vec: words seen once, then at most twice, and so
 * on. */
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
 * into an empty vocab.  Repeated words add up.  Errors name the file and
 * line. */
int vocab_read(vocab *v, const char *path, w2v_err *err);

#endif
