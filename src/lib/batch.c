/* batch.c - the HogBatch step (see batch.h). */
#include "batch.h"

#include <stdlib.h>
#include <string.h>

int ns_batch_init(ns_batch *b, int64_t dim, int max_in, int max_out,
                  w2v_err *err)
{
    memset(b, 0, sizeof *b);
    b->stride = w2v_row_stride(dim);
    b->max_in = max_in;
    b->max_out = max_out;
    size_t out_bytes = sizeof(float) * (size_t)(max_out * b->stride);
    size_t score_bytes = sizeof(float) * (size_t)(max_in * max_out);
    if (!(b->out = w2v_alloc_aligned(out_bytes, err)) ||
        !(b->out_copies = w2v_malloc(sizeof *b->out_copies * (size_t)max_out,
                                     err)) ||
        !(b->scores = w2v_alloc_aligned(score_bytes, err)) ||
        !(b->scores_t = w2v_alloc_aligned(score_bytes, err))) {
        ns_batch_free(b);
        return -1;
    }
    for (int j = 0; j < max_out; j++)
        b->out_copies[j] = b->out + j * b->stride;
    return 0;
}

void ns_batch_free(ns_batch *b)
{
    free(b->out);
    free(b->out_copies);
    free(b->scores);
    free(b->scores_t);
    memset(b, 0, sizeof *b);
}

double ns_batch_step(ns_batch *b, const kernel *k, float *const *in_rows,
                     const int *label, int m, float *const *out_rows,
                     const int *weight, int n, float lr)
{
    /* whole padded rows: the zero padding adds nothing to the products */
    const int64_t st = b->stride;
    const float *const *ins = (const float *const *)in_rows;
    float *Gt = b->scores_t; /* [n][m]: S^T, then G^T */
    float *G = b->scores;    /* [m][n] */
    for (int j = 0; j < n; j++)
        memcpy(b->out + j * st, out_rows[j], sizeof(float) * (size_t)st);
    k->gemm_nt_rows(b->out_copies, n, ins, m, Gt, m, st);
    double loss = k->ns_batch_grad(Gt, G, m, n, label, weight, lr);
    /* the output rows from the input rows, not yet changed; then the
     * input rows from the copies of the output rows */
    for (int j = 0; j < n; j++)
        k->axpy_rows(Gt + j * m, ins, m, out_rows[j], st);
    for (int i = 0; i < m; i++)
        k->axpy_rows(G + i * n, b->out_copies, n, in_rows[i], st);
    return loss;
}
