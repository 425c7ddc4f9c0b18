/* classes.h - word classes instead of word vectors: what `w2v classes`
 * and `w2v train -classes K` share. */
#ifndef W2V_CLASSES_H
#define W2V_CLASSES_H

#include <stdio.h>

#include "kmeans.h"

/* k-means rounds at most unless -kmeans-iter says (the original's). */
#define KMEANS_ITER_DEFAULT 10

/* Clusters the n rows of m (row i at m + i * stride, dim floats, labelled
 * words[i]) into cfg->k classes and writes "word class\n" lines to fp
 * (named `name` in messages) in row order, as the original word2vec
 * does.  Prints a summary line on stderr unless quiet (a JSON object when
 * json).  Returns 0, or -1 with the message in err. */
int write_classes(FILE *fp, const char *name, const char *const *words,
                  const float *m, int64_t n, int64_t dim, int64_t stride,
                  const kmeans_config *cfg, const kernel *kern, int quiet,
                  int json, w2v_err *err);

#endif
