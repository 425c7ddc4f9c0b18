/* objective_softmax.c - exact full-softmax step (theory.md section 1).
 *
 * The m targets of one call share the center's normalizer Z(in), so the
 * whole step costs one scoring pass (scores = emb_out . in, gemm_nt with one
 * row) and one update pass over emb_out, whatever m is.  With p_j the model
 * probabilities and n_j the number of times j is among the targets, the
 * summed loss is m log Z - sum_t s_t, and the descent step is
 *     grad += lr * sum_j (n_j - m p_j) u_j,    u_j += lr * (n_j - m p_j) in,
 * where row j's contribution to grad is taken before row j is updated. */
#include <math.h>

#include "objective.h"
#include "train.h"

double objective_softmax(objective_ctx *c, const float *in,
                         const int32_t *targets, int m, float lr, float *grad)
{
    const model *mo = c->m;
    const kernel *k = c->k;
    const int64_t words = mo->vocab.size, dim = mo->dim, stride = mo->stride;
    float *coef = c->scores;
    k->gemm_nt(in, 0, mo->emb_out, stride, coef, words, 1, words, dim);

    float top = coef[0];
    for (int64_t j = 1; j < words; j++)
        if (coef[j] > top)
            top = coef[j];
    double target_scores = 0.0;
    for (int i = 0; i < m; i++)
        target_scores += coef[targets[i]];
    /* exp(s_j - max) <= 1 never overflows; the sum is kept in double */
    double z = 0.0;
    for (int64_t j = 0; j < words; j++) {
        coef[j] = expf(coef[j] - top);
        z += coef[j];
    }
    double log_z = (double)top + log(z);
    double loss = (double)m * log_z - target_scores;

    /* coef_j = lr * (n_j - m p_j) */
    float scale = (float)(-(double)lr * (double)m / z);
    for (int64_t j = 0; j < words; j++)
        coef[j] *= scale;
    for (int i = 0; i < m; i++)
        coef[targets[i]] += lr;
    for (int64_t j = 0; j < words; j++) {
        if (coef[j] == 0.0f) /* p_j underflowed: nothing to add */
            continue;
        float *u = mo->emb_out + j * stride;
        k->axpy(coef[j], u, grad, dim);
        k->axpy(coef[j], in, u, dim);
    }
    return loss;
}
