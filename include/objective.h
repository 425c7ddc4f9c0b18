/* objective.h - the training objectives behind one step interface.
 *
 * A step trains one input vector `in` (d floats: a center word's row for
 * skip-gram, the mean of the context rows for CBOW) to predict each of the
 * words targets[0..m).  It updates the output rows it touches in place,
 * ADDS the gradient step for `in` to grad (the caller applies it), and
 * returns the summed loss of the m predictions (natural log):
 *   ns:      -log sig(u_t . in) - sum_noise log sig(-u_n . in)   (per target)
 *   softmax: -log p(t | in), p = exp(u . in) / sum_j exp(u_j . in)
 *   hs:      -sum over t's Huffman path of log sig(+-u_node . in)
 *   hs+ns:   the hs loss plus the ns loss
 * A step with m > 1 must equal m steps of one target each up to the order
 * in which `in` sees the updates (softmax shares one normalizer for all m:
 * README, "Objectives"). */
#ifndef W2V_OBJECTIVE_H
#define W2V_OBJECTIVE_H

#include <stdint.h>

#include "huffman.h"
#include "kernel.h"
#include "model.h"
#include "noise.h"
#include "rng.h"

/* LOSS_HS_NS is the original's -hs 1 with -negative k: both objectives at
 * once, each with its own output matrix (emb_hs for the tree, emb_out for
 * negative sampling), their input steps added up. */
typedef enum loss_kind { LOSS_NS, LOSS_SOFTMAX, LOSS_HS, LOSS_HS_NS } loss_kind;

/* The exponent of the noise distribution: P_n(w) ~ count_w^NOISE_POWER. */
#define NOISE_POWER 0.75

/* What an objective needs beyond the model, built from the vocabulary's
 * counts and shared (read-only) by every thread. */
typedef struct objective {
    loss_kind loss;
    alias_table noise;  /* ns: the noise distribution */
    huffman_tree tree;  /* hs: the Huffman tree over the words */
} objective;

/* Builds what `loss` needs for m's vocabulary (finalized, non-empty). */
int objective_init(objective *o, loss_kind loss, const model *m,
                   w2v_err *err);

/* Frees it; safe on a zeroed objective. */
void objective_free(objective *o);

/* Per-thread state of the objectives, allocated once per thread. */
typedef struct objective_ctx {
    const model *m;
    const objective *obj;
    const kernel *k;
    int negative;    /* noise words per target (ns) */
    rng *rng;
    float **rows;    /* [negative + 1] output rows of one ns step */
    float *scores;   /* softmax: [centers * V] scratch, aligned; else NULL */
    float *batch_in; /* softmax: [centers * stride] copies of the inputs */
    double hs_loss;  /* hs+ns: the hs part of the losses returned so far */
} objective_ctx;

typedef double (*objective_fn)(objective_ctx *c, const float *in,
                               const int32_t *targets, int m, float lr,
                               float *grad);

/* Negative sampling (README, "Objectives"); noise draws equal to the
 * target are skipped, as in the original.  Needs obj->noise. */
double objective_ns(objective_ctx *c, const float *in, const int32_t *targets,
                    int m, float lr, float *grad);

/* Exact full softmax (README, "Objectives"): one O(V d) pass for all m
 * targets, which share the normalizer.  Needs c->scores. */
double objective_softmax(objective_ctx *c, const float *in,
                         const int32_t *targets, int m, float lr, float *grad);

/* The full softmax for b centers in one scoring pass and one update pass
 * over emb_out.  Center i's input row is ins[i], its targets are
 * targets[offsets[i] .. offsets[i+1]); its input step is ADDED to grads +
 * i * grad_stride.  Each center's loss and step are exact at the parameters
 * as they were when the call began: the b centers see each other's output
 * row updates only after the call, as Hogwild threads do (b = 1 is
 * objective_softmax).  Needs c->scores of b * V floats and, for b > 1,
 * c->batch_in of b * stride floats. */
double objective_softmax_centers(objective_ctx *c, const float *const *ins,
                                 int b, const int32_t *targets,
                                 const int *offsets, float lr, float *grads,
                                 int64_t grad_stride);

/* Hierarchical softmax over obj->tree, the inner nodes being the rows of
 * model_tree_row(); O(code length * d) per target. */
double objective_hs(objective_ctx *c, const float *in, const int32_t *targets,
                    int m, float lr, float *grad);

/* Both, as the original: per target the hs step, then the ns step, both
 * input steps added to grad; the hs part of the loss is also added to
 * c->hs_loss.  Needs obj->tree and obj->noise. */
double objective_hs_ns(objective_ctx *c, const float *in,
                       const int32_t *targets, int m, float lr, float *grad);

/* The step function of a loss. */
objective_fn objective_step(loss_kind loss);

/* Name of a loss for messages: "ns", "softmax", "hs". */
const char *loss_name(loss_kind loss);

#endif
