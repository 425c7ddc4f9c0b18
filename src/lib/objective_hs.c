/* objective_hs.c - hierarchical softmax step over the Huffman tree.
 *
 * Each node on the target's path is a binary prediction with label
 * 1 - code (the original's convention): s = in . u_node,
 * g = lr * (label - sig(s)), grad += g u_node, u_node += g in, and the loss
 * is -log sig(s) for label 1, -log sig(-s) for label 0.  Unlike ns_step the
 * labels differ per node, so the loop is written here with dot and axpy. */
#include <math.h>

#include "objective.h"

double objective_hs(objective_ctx *c, const float *in, const int32_t *targets,
                    int m, float lr, float *grad)
{
    const model *mo = c->m;
    const kernel *k = c->k;
    const huffman_tree *tree = &c->obj->tree;
    const int64_t dim = mo->dim;
    double loss = 0.0;
    for (int i = 0; i < m; i++) {
        int64_t word = targets[i];
        for (int64_t j = tree->start[word]; j < tree->start[word + 1]; j++) {
            float *u = model_tree_row(mo, tree->points[j]);
            double s = k->dot(in, u, dim);
            int label = 1 - tree->codes[j];
            loss += kernel_neg_log_sigmoid(label ? s : -s);
            float g = (float)((double)lr * (label - 1.0 / (1.0 + exp(-s))));
            k->axpy(g, u, grad, dim);
            k->axpy(g, in, u, dim);
        }
    }
    return loss;
}
