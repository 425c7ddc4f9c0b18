/* objective_softmax.c - exact full-softmax step (README, Theory T1).
 *
 * The m targets of one center share the center's normalizer Z(in), so a
 * center costs one scoring pass (scores = emb_out . in) and one update pass
 * over emb_out, whatever m is.  With p_j the model probabilities and n_j the
 * number of times j is among the targets, the summed loss is
 * m log Z - sum_t s_t, and the descent step is
 *     grad += lr * sum_j (n_j - m p_j) u_j,    u_j += lr * (n_j - m p_j) in,
 * where row j's contribution to grad is taken before row j is updated.
 *
 * objective_softmax_centers does this for b centers in the same two passes
 * (gemm_nt with b rows, then b rank-1 updates per row while the row is in
 * cache), so emb_out, which is far larger than the caches for a real
 * vocabulary, is streamed once per b centers instead of once per center. */
#include <math.h>
#include <string.h>

#include "objective.h"

/* Turns row `scores` (V floats) into the coefficients lr * (n_j - m p_j)
 * of the m targets; returns the summed loss m log Z - sum_t s_t. */
static double coefficients(float *scores, int64_t words,
                           const int32_t *targets, int m, float lr)
{
    float top = scores[0];
    for (int64_t j = 1; j < words; j++)
        if (scores[j] > top)
            top = scores[j];
    double target_scores = 0.0;
    for (int i = 0; i < m; i++)
        target_scores += scores[targets[i]];
    /* exp(s_j - max) <= 1 never overflows; the sum is kept in double */
    double z = 0.0;
    for (int64_t j = 0; j < words; j++) {
        scores[j] = expf(scores[j] - top);
        z += scores[j];
    }
    float scale = (float)(-(double)lr * (double)m / z);
    for (int64_t j = 0; j < words; j++)
        scores[j] *= scale;
    for (int i = 0; i < m; i++)
        scores[targets[i]] += lr;
    return (double)m * ((double)top + log(z)) - target_scores;
}

double objective_softmax_centers(objective_ctx *c, const float *const *ins,
                                 int b, const int32_t *targets,
                                 const int *offsets, float lr, float *grads,
                                 int64_t grad_stride)
{
    const model *mo = c->m;
    const kernel *k = c->k;
    const int64_t words = mo->vocab.size, dim = mo->dim, stride = mo->stride;
    float *coef = c->scores;
    /* the inputs as one matrix, as they are when the step begins */
    const float *block = ins[0];
    int64_t block_stride = 0;
    if (b > 1) {
        for (int i = 0; i < b; i++)
            memcpy(c->batch_in + i * stride, ins[i],
                   sizeof(float) * (size_t)dim);
        block = c->batch_in;
        block_stride = stride;
    }
    k->gemm_nt(block, block_stride, mo->emb_out, stride, coef, words, b, words,
               dim);
    double loss = 0.0;
    for (int i = 0; i < b; i++)
        loss += coefficients(coef + i * words, words, targets + offsets[i],
                             offsets[i + 1] - offsets[i], lr);
    for (int64_t j = 0; j < words; j++) {
        float *u = mo->emb_out + j * stride;
        for (int i = 0; i < b; i++) /* p_j underflowed: nothing to add */
            if (coef[i * words + j] != 0.0f)
                k->axpy(coef[i * words + j], u, grads + i * grad_stride, dim);
        for (int i = 0; i < b; i++)
            if (coef[i * words + j] != 0.0f)
                k->axpy(coef[i * words + j], block + i * block_stride, u, dim);
    }
    return loss;
}

double objective_softmax(objective_ctx *c, const float *in,
                         const int32_t *targets, int m, float lr, float *grad)
{
    const float *ins[1] = {in};
    const int offsets[2] = {0, m};
    return objective_softmax_centers(c, ins, 1, targets, offsets, lr, grad, 0);
}
