/* vectors.h - word vector files in the original word2vec formats.
 *
 * Text:   "V d\n", then per word "word v1 v2 ... vd\n" (single spaces).
 * Binary: "V d\n", then per word the word bytes, one space, d float32
 *         little-endian, "\n".
 * Both are what the original word2vec tools and gensim read and write.
 * Headerless text (GloVe): the text rows without the "V d" line; d is the
 * number of values on the first row. */
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

typedef enum vec_format {
    VEC_AUTO,
    VEC_TEXT,
    VEC_BINARY,
    VEC_TEXT_NOHEADER,
} vec_format;

typedef struct vectors {
    int64_t n;      /* rows loaded */
    int64_t dim;    /* floats per vector */
    int64_t stride; /* floats between row starts: w2v_row_stride(dim) */
    float *data;    /* n * stride floats, W2V_ALIGN-aligned, padding zeroed */
    char **words;   /* n NUL-terminated words, file order */
    char *pool;     /* storage behind words */
    word_table table; /* word -> row */
    vec_format format; /* how the file was read (never VEC_AUTO) */
    char warning[512]; /* empty, or one line the caller should print */
    /* the words of the rows past the loaded ones (vec_load_opts.rest) */
    int64_t rest_first;   /* file row (0-based) of rest_words[0] */
    int64_t n_rest;
    char **rest_words;
    char *rest_pool;
    word_table rest_table; /* word -> index in rest_words (first row) */
} vectors;

typedef struct vec_load_opts {
    vec_format format; /* VEC_AUTO detects it */
    int64_t limit;     /* > 0: the vectors of the first `limit` rows only */
    int rest;          /* also read the words of the rows past the limit
                        * (vectors_find_rest) */
} vec_load_opts;

/* Loads a vector file ("-": standard input) of any format.  VEC_AUTO tells
 * binary from text by the first row, and text without a header from text
 * with one when the first line is not two integers but a word and numbers
 * of which one at least is not whole ("the 0.418 -0.2"; a headerless file
 * of whole numbers needs VEC_TEXT_NOHEADER).  Regular files are mapped;
 * other input (pipes) is read through a window of about one row, so memory
 * holds the matrix and little more; a pipe is read to its end even when
 * the limit stops the parsing early, so that the writer finishes.  With
 * o->rest, the words of the rows past the limit are read too (no values
 * parsed; a malformed row there ends the list quietly).  Rejects malformed
 * files with a message naming the file ("standard input" for "-") and the
 * row.  On failure *v is left empty. */
int vectors_load_opts(const char *path, const vec_load_opts *o, vectors *v,
                      w2v_err *err);

/* vectors_load_opts with format fmt, the given limit and no rest. */
int vectors_load(const char *path, vec_format fmt, int64_t limit, vectors *v,
                 w2v_err *err);

/* Duplicate words are not an error: the first row of each is kept, later
 * ones are dropped, and v->warning says how many and names the first. */

/* Row of `word` (exact bytes), or -1 when it is not loaded. */
int64_t vectors_find(const vectors *v, const char *word);

/* File row (0-based) of the first row past the loaded ones whose word is
 * `word`, or -1 (also when the rest was not read). */
int64_t vectors_find_rest(const vectors *v, const char *word);

/* Frees what vectors_load allocated; safe on a zeroed struct. */
void vectors_free(vectors *v);

#endif
