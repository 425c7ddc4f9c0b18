/* batch.h - shared-negative batching (HogBatch, Ji et al. 2016,
 * arXiv:1604.04661).
 *
 * For one center word, the m context words' input rows all predict the
 * center's output row (label 1) against the same n - 1 noise rows (label 0);
 * with context combining (train_skipgram_combined) the windows of several
 * centers share one set of output rows, each window with its own target.
 * The step is three small matrix products over the rows where they are:
 *     S^T = Out In^T                   [n x m]
 *     G   = lr * (label - sigmoid(S))  [m x n], also kept as G^T
 *     Out += G^T In,  In += G Out      [n x d], [m x d]
 * in that order (scores and gradients by kernel gemm_nt_rows and
 * ns_batch_grad, a row of S^T being one output row's scores), the second
 * of the updates against copies of the output rows taken
 * before the first, so every delta is computed from the values before the
 * step; each is added straight to its shared row (Hogwild), one pass per
 * row (kernel axpy_rows).  Each row is fetched once per window instead of
 * once per pair, which is what makes it faster than the per-pair update;
 * only the n output rows are copied, not the m input rows. */
#ifndef W2V_BATCH_H
#define W2V_BATCH_H

#include <stdint.h>

#include "kernel.h"
#include "w2v.h"

/* Per-thread scratch of the batched step, allocated once. */
typedef struct ns_batch {
    int64_t stride;      /* floats per row: w2v_row_stride(dim) */
    int max_in, max_out;
    float *out;          /* copies of the output rows: [max_out][stride] */
    const float **out_copies; /* [max_out]: out + j * stride */
    float *scores;       /* [max_in][max_out]: G */
    float *scores_t;     /* [max_out][max_in]: S^T, then G^T */
} ns_batch;

int ns_batch_init(ns_batch *b, int64_t dim, int max_in, int max_out,
                  w2v_err *err);
void ns_batch_free(ns_batch *b);

/* One batched step: each of in_rows[0..m) predicts out_rows[label[i]]
 * (label 1) against every other output row (label 0), whose term counts
 * weight[j] times (a noise word drawn that often); m <= max_in,
 * n <= max_out.  label NULL means every row's target is out_rows[0], weight
 * NULL means 1 each.  Every row holds w2v_row_stride(dim) floats whose
 * padding beyond dim is zero, as the model's rows do: the products run over
 * the whole padded row (no scalar tails) and leave the padding zero.  Rows
 * may repeat (their deltas add up).  Returns the loss summed over the m
 * predictions, each -log sig(s_it) - sum_j!=t weight_j log sig(-s_ij)
 * (t = label[i]), before the update. */
double ns_batch_step(ns_batch *b, const kernel *k, float *const *in_rows,
                     const int *label, int m, float *const *out_rows,
                     const int *weight, int n, float lr);

#endif
