/* kmeans.h - word classes: k-means on the cosine of word vectors.
 *
 * The rows are scaled to unit length (a zero row stays zero) and each
 * centroid is the mean of its rows scaled back to unit length (spherical
 * k-means); a row belongs to the centroid with the largest dot product
 * (ties: the lowest class).  Seeding is k-means++ (Arthur & Vassilvitskii
 * 2007) with squared distance 2 - 2 cos, from `seed`.  Each round computes
 * the centroids from the classes and then every row's class again, until a
 * round changes no class or max_iter rounds have run.  A class left empty
 * (before a round, and at the end) takes the row farthest from its own
 * centroid, so every class holds a row.  Scores are computed in
 * fixed blocks of rows and centroids with the kernel's gemm_nt, so the
 * result does not depend on the number of threads. */
#ifndef W2V_KMEANS_H
#define W2V_KMEANS_H

#include <stdint.h>

#include "kernel.h"
#include "w2v.h"

typedef struct kmeans_config {
    int64_t k;        /* classes, 1..n */
    int64_t max_iter; /* rounds at most (the original word2vec runs 10) */
    uint64_t seed;
    int threads;
} kmeans_config;

typedef struct kmeans_result {
    int32_t *classes;   /* n classes in 0..k-1, or NULL */
    int64_t rounds;     /* rounds run */
    int64_t changed;    /* classes the last round changed (0: converged) */
    int64_t reseeded;   /* times an empty class took a row */
    double cost;        /* sum over the rows of 1 - cos(row, centroid of
                           its class), the centroids of the final classes */
} kmeans_result;

/* Clusters n rows of dim floats (row i at rows + i * stride) into cfg->k
 * classes with kernel kern.  Fails when k is not in 1..n, when n or dim is
 * 0, or on allocation failure; on failure res is empty. */
int kmeans_cosine(const float *rows, int64_t n, int64_t dim, int64_t stride,
                  const kmeans_config *cfg, const kernel *kern,
                  kmeans_result *res, w2v_err *err);

/* Frees res->classes; safe on a zeroed result. */
void kmeans_result_free(kmeans_result *res);

#endif
