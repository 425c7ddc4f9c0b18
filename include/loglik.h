/* loglik.h - held-out log-likelihood of a trained model (theory.md
 * sections 1 and 2): the exact full-softmax average log p(c | w) over every
 * (center, context) pair of a text, and the NS loss for comparison. */
#ifndef W2V_LOGLIK_H
#define W2V_LOGLIK_H

#include <stdint.h>

#include "corpus.h"
#include "kernel.h"
#include "vectors.h"
#include "w2v.h"

typedef struct loglik_result {
    int64_t tokens;   /* words read */
    int64_t skipped;  /* words not in the vocabulary (left out) */
    int64_t pairs;    /* (center, context) pairs scored */
    double loglik;    /* average log p(c | w), natural log; 0 when no pairs */
    double ns_loss;   /* average -log sig(u_c.v_w) - sum_k log sig(-u_n.v_w) */
} loglik_result;

/* How loglik_run works: the settings of loglik_eval, the threads, and a
 * progress callback. */
typedef struct loglik_config {
    int64_t window;
    int64_t negative;
    uint64_t seed;
    int threads; /* scoring threads (>= 1); the result does not depend on it */
    /* Called from the calling thread after each part of the text, with the
     * bytes of the text scored so far and its size; may be NULL. */
    void (*progress)(int64_t done, int64_t total, void *ctx);
    void *progress_ctx;
} loglik_config;

/* Scores the text `text` with input vectors `in` (rows v_w) and output
 * vectors `out` (rows u_c), which must hold the same words in the same order
 * with the same dimension.  The text is read as training reads it (a line
 * is a sentence, lines longer than 1000 words are cut), words not in the
 * vocabulary are dropped and counted, and every pair within `window` (no
 * random shrink, no subsampling) is scored:
 *     log p(c | w) = u_c . v_w - log sum_j exp(u_j . v_w)       (exact)
 *     NS loss with `negative` noise words drawn from the text's own
 *     in-vocabulary unigram counts^0.75, draws equal to c skipped.
 * O(|V| d) per center word.  Fails on mismatched vectors, a read error, or
 * a text without any in-vocabulary word. */
int loglik_eval(const vectors *in, const vectors *out, const corpus *text,
                int64_t window, int64_t negative, uint64_t seed,
                const kernel *k, loglik_result *r, w2v_err *err);

/* loglik_eval with cfg's settings: the centers are scored in batches, one
 * kernel->gemm_nt per batch against all output rows, the batches shared by
 * cfg->threads threads; the log-sum-exp is taken in double.  The noise
 * words are drawn in the text's order by the calling thread, so every
 * thread count gives the same result (and the draws of loglik_eval). */
int loglik_run(const vectors *in, const vectors *out, const corpus *text,
               const loglik_config *cfg, const kernel *k, loglik_result *r,
               w2v_err *err);

#endif
