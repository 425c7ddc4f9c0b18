/* objective_ns.c - negative sampling (SGNS) step. */
#include "objective.h"

double objective_ns(objective_ctx *c, const float *in, const int32_t *targets,
                    int m, float lr, float *grad)
{
    const model *mo = c->m;
    double loss = 0.0;
    for (int i = 0; i < m; i++) {
        uint32_t target = (uint32_t)targets[i];
        int n = 0;
        c->rows[n++] = model_out_row(mo, target);
        for (int d = 0; d < c->negative; d++) {
            uint32_t noise = alias_draw(&c->obj->noise, c->rng);
            if (noise != target)
                c->rows[n++] = model_out_row(mo, noise);
        }
        loss += c->k->ns_step(in, c->rows, n, mo->dim, lr, grad);
    }
    return loss;
}
