/* train_steps.c - training one sentence: skip-gram (per pair, batched
 * softmax centers, shared-negative HogBatch windows) and CBOW, each over
 * the objective step interface of objective.h. */
#include <string.h>

#include "train_internal.h"

/* Context word ids of sent[i] within a window shrunk by a uniform random
 * amount (README, "Theory"), stored at out; returns how many. */
static int gather_contexts(worker *w, const int32_t *sent, int len, int i,
                           int32_t *out)
{
    int window = (int)w->t->cfg->window;
    int reach = window - (int)rng_below(&w->rng, (uint32_t)window);
    int lo = i - reach > 0 ? i - reach : 0;
    int hi = i + reach < len - 1 ? i + reach : len - 1;
    int m = 0;
    for (int j = lo; j <= hi; j++)
        if (j != i)
            out[m++] = sent[j];
    return m;
}

/* Skip-gram: each center word's input row predicts its context words, in
 * groups of targets_per_step per objective call (1 = classic per pair). */
double train_skipgram(worker *w, const int32_t *sent, int len, float alpha)
{
    const trainer *t = w->t;
    const model *m = t->m;
    double loss = 0.0;
    for (int i = 0; i < len; i++) {
        float *in = m->emb_in + (int64_t)sent[i] * m->stride;
        int n = gather_contexts(w, sent, len, i, w->contexts);
        for (int first = 0; first < n; first += t->targets_per_step) {
            int group = n - first < t->targets_per_step ? n - first
                                                        : t->targets_per_step;
            memset(w->grad, 0, sizeof(float) * (size_t)m->dim);
            loss += t->objective(&w->obj, in, w->contexts + first, group,
                                 alpha, w->grad);
            t->k->axpy(1.0f, w->grad, in, m->dim);
        }
        w->pairs += n;
    }
    return loss;
}

/* Skip-gram with the full softmax: centers_per_step consecutive centers
 * share one scoring pass and one update pass over emb_out (each with all
 * its contexts, see objective_softmax_centers). */
double train_skipgram_softmax(worker *w, const int32_t *sent, int len,
                              float alpha)
{
    const trainer *t = w->t;
    const model *m = t->m;
    double loss = 0.0;
    for (int first = 0; first < len; first += t->centers_per_step) {
        int b = len - first < t->centers_per_step ? len - first
                                                  : t->centers_per_step;
        int n = 0;
        for (int i = 0; i < b; i++) {
            w->offsets[i] = n;
            w->ins[i] = m->emb_in + (int64_t)sent[first + i] * m->stride;
            n += gather_contexts(w, sent, len, first + i, w->contexts + n);
        }
        w->offsets[b] = n;
        memset(w->grads, 0, sizeof(float) * (size_t)(b * m->stride));
        loss += objective_softmax_centers(&w->obj, w->ins, b, w->contexts,
                                          w->offsets, alpha, w->grads,
                                          m->stride);
        for (int i = 0; i < b; i++)
            t->k->axpy(1.0f, w->grads + i * m->stride,
                       m->emb_in + (int64_t)sent[first + i] * m->stride,
                       m->dim);
        w->pairs += n;
    }
    return loss;
}

/* Asks for the cache lines of a row of dim floats. */
static inline void prefetch_row(const float *row, int64_t dim)
{
    for (int64_t off = 0; off < dim; off += 64 / (int64_t)sizeof(float))
        __builtin_prefetch(row + off);
}

/* Draws the noise words of one window into noise[], skipping the center;
 * returns how many. */
static int draw_noise(worker *w, uint32_t center, uint32_t *noise)
{
    int n = 0;
    for (int d = 0; d < w->t->cfg->negative; d++) {
        uint32_t x = alias_draw(&w->t->obj.noise, &w->rng);
        if (x != center)
            noise[n++] = x;
    }
    return n;
}

/* Skip-gram with shared negatives (HogBatch, batch.h): the context rows of
 * a window predict the center's output row against one set of noise words
 * drawn for the whole window.  The rows the next window adds (its center's
 * output row, its noise rows, the context word entering on the right) are
 * prefetched while this window computes. */
double train_skipgram_batched(worker *w, const int32_t *sent, int len,
                              float alpha)
{
    const trainer *t = w->t;
    const model *m = t->m;
    const int64_t stride = m->stride;
    const int window = (int)t->cfg->window;
    uint32_t *noise = w->noise, *noise_next = w->noise + t->cfg->negative;
    double loss = 0.0;
    int n_noise = len > 0 ? draw_noise(w, (uint32_t)sent[0], noise) : 0;
    for (int i = 0; i < len; i++) {
        int n_next = 0;
        if (i + 1 < len) {
            n_next = draw_noise(w, (uint32_t)sent[i + 1], noise_next);
            prefetch_row(m->emb_out + (int64_t)sent[i + 1] * stride, m->dim);
            for (int j = 0; j < n_next; j++)
                prefetch_row(m->emb_out + (int64_t)noise_next[j] * stride,
                             m->dim);
            if (i + 1 + window < len)
                prefetch_row(m->emb_in + (int64_t)sent[i + 1 + window] * stride,
                             m->dim);
        }
        int n_ctx = gather_contexts(w, sent, len, i, w->contexts);
        if (n_ctx > 0) {
            for (int c = 0; c < n_ctx; c++)
                w->in_rows[c] = m->emb_in + (int64_t)w->contexts[c] * stride;
            int n_out = 0;
            w->obj.rows[n_out++] = m->emb_out + (int64_t)sent[i] * stride;
            for (int j = 0; j < n_noise; j++)
                w->obj.rows[n_out++] = m->emb_out + (int64_t)noise[j] * stride;
            loss += ns_batch_step(&w->nsb, t->k, w->in_rows, n_ctx,
                                  w->obj.rows, n_out, alpha);
            w->pairs += n_ctx;
        }
        uint32_t *swap = noise;
        noise = noise_next;
        noise_next = swap;
        n_noise = n_next;
    }
    return loss;
}

/* CBOW: the mean of the context rows predicts the center word; the input
 * gradient step is added to every context row, as in the original. */
double train_cbow(worker *w, const int32_t *sent, int len, float alpha)
{
    const trainer *t = w->t;
    const model *m = t->m;
    const int64_t dim = m->dim;
    double loss = 0.0;
    for (int i = 0; i < len; i++) {
        int n = gather_contexts(w, sent, len, i, w->contexts);
        if (n == 0)
            continue;
        memset(w->mean, 0, sizeof(float) * (size_t)dim);
        for (int c = 0; c < n; c++)
            t->k->axpy(1.0f / (float)n,
                       m->emb_in + (int64_t)w->contexts[c] * m->stride,
                       w->mean, dim);
        memset(w->grad, 0, sizeof(float) * (size_t)dim);
        loss += t->objective(&w->obj, w->mean, &sent[i], 1, alpha, w->grad);
        for (int c = 0; c < n; c++)
            t->k->axpy(1.0f, w->grad,
                       m->emb_in + (int64_t)w->contexts[c] * m->stride, dim);
        w->pairs++;
    }
    return loss;
}
