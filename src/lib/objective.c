/* objective.c - the state each objective builds from the vocabulary, and
 * the table of step functions (objective.h). */
#include "objective.h"

#include <string.h>

int objective_init(objective *o, loss_kind loss, const model *m,
                   w2v_err *err)
{
    memset(o, 0, sizeof *o);
    o->loss = loss;
    const vocab *v = &m->vocab;
    switch (loss) {
    case LOSS_NS:
        return noise_build(&o->noise, v->counts, v->size, NOISE_POWER, err);
    case LOSS_HS:
        return huffman_build(&o->tree, v->counts, v->size, err);
    case LOSS_HS_NS:
        return huffman_build(&o->tree, v->counts, v->size, err) ||
                       noise_build(&o->noise, v->counts, v->size, NOISE_POWER,
                                   err)
                   ? -1
                   : 0;
    case LOSS_SOFTMAX:
        return 0;
    }
    return w2v_fail(err, "unknown loss %d", (int)loss);
}

void objective_free(objective *o)
{
    alias_free(&o->noise);
    huffman_free(&o->tree);
}

double objective_hs_ns(objective_ctx *c, const float *in,
                       const int32_t *targets, int m, float lr, float *grad)
{
    double loss = 0.0;
    for (int i = 0; i < m; i++) {
        double hs = objective_hs(c, in, targets + i, 1, lr, grad);
        c->hs_loss += hs;
        loss += hs + objective_ns(c, in, targets + i, 1, lr, grad);
    }
    return loss;
}

objective_fn objective_step(loss_kind loss)
{
    switch (loss) {
    case LOSS_NS:
        return objective_ns;
    case LOSS_SOFTMAX:
        return objective_softmax;
    case LOSS_HS:
        return objective_hs;
    case LOSS_HS_NS:
        return objective_hs_ns;
    }
    return NULL;
}

const char *loss_name(loss_kind loss)
{
    switch (loss) {
    case LOSS_NS:
        return "ns";
    case LOSS_SOFTMAX:
        return "softmax";
    case LOSS_HS:
        return "hs";
    case LOSS_HS_NS:
        return "hs+ns";
    }
    return "?";
}
