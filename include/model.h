/* model.h - the trained parameters: a vocabulary and its two embedding
 * matrices.
 *
 *   emb_in   [V][stride]  input (word) vectors v_w, the -output file
 *   emb_out  [V][stride]  output (context) vectors u_c, the -save-context
 *                         file; for hierarchical softmax, rows 0..V-2 are
 *                         the Huffman tree's inner nodes
 *   emb_hs   [V][stride]  only when both objectives train at once (-hs 1
 *                         with -negative k): the inner nodes, emb_out then
 *                         being negative sampling's
 *
 * Rows are padded from dim to stride = w2v_row_stride(dim) floats so that
 * every row starts on a W2V_ALIGN boundary; the padding stays zero. */
#ifndef W2V_MODEL_H
#define W2V_MODEL_H

#include <stdint.h>

#include "vocab.h"
#include "w2v.h"

typedef struct model {
    vocab vocab;          /* finalized: ids in frequency order */
    int64_t dim, stride;  /* stride = w2v_row_stride(dim) floats */
    float *emb_in;        /* [V][stride] */
    float *emb_out;       /* [V][stride] */
    float *emb_hs;        /* [V][stride], or NULL */
} model;

/* Bytes of one matrix for V words of dimension dim, or -1 when that does
 * not fit in a size_t. */
int64_t model_matrix_bytes(int64_t words, int64_t dim);

/* Allocates the matrices for m->vocab (finalized, non-empty) and
 * initializes them as the original does: emb_in uniform in
 * [-0.5/d, 0.5/d] from `seed`, emb_out zero.  Fails, naming the memory it
 * would need, when the matrices cannot be allocated. */
int model_init(model *m, int64_t dim, int64_t seed, w2v_err *err);

/* Row w of emb_in / emb_out. */
static inline float *model_in_row(const model *m, int64_t w)
{
    return m->emb_in + w * m->stride;
}
static inline float *model_out_row(const model *m, int64_t w)
{
    return m->emb_out + w * m->stride;
}

/* Adds emb_hs (zeros), for training both objectives at once. */
int model_init_tree_rows(model *m, w2v_err *err);

/* Row `node` of the inner nodes of the Huffman tree: emb_hs when there is
 * one, else emb_out. */
static inline float *model_tree_row(const model *m, int64_t node)
{
    return (m->emb_hs ? m->emb_hs : m->emb_out) + node * m->stride;
}

/* Frees the matrices and the vocabulary; safe on a zeroed model. */
void model_free(model *m);

#endif
