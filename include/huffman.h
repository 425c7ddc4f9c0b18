/* huffman.h - the binary Huffman tree of hierarchical softmax (README,
 * Theory T4), laid out as in the original word2vec.
 *
 * Leaves are the n words; the n - 1 inner nodes are rows 0..n-2 of emb_out,
 * the root being row n - 2.  Word w's path from the root is stored in the
 * flat arrays at entries start[w]..start[w+1]-1: points[i] is the inner node
 * at depth i and codes[i] the branch taken there (0 or 1).  With the
 * original's convention the branch's label is 1 - code, so
 *     p(w | in) = prod_i sig((1 - 2 codes[i]) * (u_{points[i]} . in)). */
#ifndef W2V_HUFFMAN_H
#define W2V_HUFFMAN_H

#include <stdint.h>

#include "w2v.h"

typedef struct huffman_tree {
    int64_t n;        /* words (leaves); 0 = not built */
    int64_t *start;   /* [n + 1] offsets of each word's path */
    uint8_t *codes;   /* [start[n]] branch bits, root first */
    int32_t *points;  /* [start[n]] inner nodes (0..n-2), root first */
} huffman_tree;

/* Builds the tree over counts[0..n), which must be non-increasing (word ids
 * in frequency order, as vocab_finalize leaves them), with the two-queue
 * method in O(n + total path length).  Ties between a leaf and an inner node
 * go to the inner node, as in the original.  n = 1 gives an empty path (the
 * single word has probability 1).  On failure *t is left empty. */
int huffman_build(huffman_tree *t, const int64_t *counts, int64_t n,
                  w2v_err *err);

/* Frees the arrays; safe on a zeroed or already freed tree. */
void huffman_free(huffman_tree *t);

#endif
