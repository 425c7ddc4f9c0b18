/* vectors.h - word vector files in the original word2vec formats.
 *
 * Text:   "V d\n", then per word "word v1 v2 ... vd\n" (single spaces).
 * Binary: "V d\n", then per word the word bytes, one space, d float32
 *         little-endian, "\n".
 * Both are what the original word2vec tools and gensim read and write. */
#ifndef W2V_VECTORS_H
#define W2V_VECTORS_H

#include <stdint.h>
#include <stdio.h>

#include "w2v.h"
#include "wordhash.h"

/* Writes n rows of matrix m (row i starts at m + i * stride, first dim
 * floats used) labelled words[i] to fp.  Text values use "%.9g", which reads
 * back to the identical float.  `name` is used in error messages only. */
int vectors_write(FILE *fp, const char *name, const char *const *words,
                  const float *m, int64_t n, int64_t dim, int64_t stride,
                  int binary, w2v_err *err);

typedef enum vec_format { VEC_AUTO, VEC_TEXT, VEC_BINARY } vec_format;

typedef struct vectors {
    int64_t n;      /* rows loaded */
    int64_t dim;    /* floats per vector */
    int64_t stride; /* floats between row starts: w2v_row_stride(dim) */
    float *data;    /* n * stride floats, W2V_ALIGN-aligned, padding zeroed */
    char **words;   /* n NUL-terminated words, file order */
    char *pool;     /* storage behind words */
    word_table table; /* word -> row */
    vec_format format; /* how the file was read: VEC_TEXT or VEC_BINARY */
    char warning[512]; /* empty, or one line the caller should print */
} vectors;

/* Loads a vector file of either format (VEC_AUTO detects it); limit > 0
 * loads only the first `limit` rows.  Rejects malformed files with a message
 * naming the file and the row.  On failure *v is left empty. */
int vectors_load(const char *path, vec_format fmt, int64_t limit, vectors *v,
                 w2v_err *err);

/* Duplicate words are not an error: the first row of each is kept, later
 * ones are dropped, and v->warning says how many and names the first. */

/* Row of `word` (exact bytes), or -1 when it is not loaded. */
int64_t vectors_find(const vectors *v, const char *word);

/* Frees what vectors_load allocated; safe on a zeroed struct. */
void vectors_free(vectors *v);

#endif
