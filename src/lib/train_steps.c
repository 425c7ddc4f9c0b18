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
            loss += ns_batch_step(&w->nsb, t->k, w->in_rows, NULL, n_ctx,
                                  w->obj.rows, NULL, n_out, alpha);
            w->pairs += n_ctx;
        }
        uint32_t *swap = noise;
        noise = noise_next;
        noise_next = swap;
        n_noise = n_next;
    }
    return loss;
}

/* Takes the window at the first untrained position of `word` in the
 * block ids: returns it or -1.  Windows are taken in order per word (the
 * block's first untrained window is always its word's first too), so every
 * head stays at its word's first untrained position, and position p is
 * untrained exactly when head[ids[p]] == p.  The word's following
 * position is prefetched in both arrays: its next[] entry, which the
 * word's next take reads, and its text, which that window's contexts are
 * gathered from. */
static int32_t take_window(combine_scratch *cs, const int32_t *ids,
                           uint32_t word)
{
    int32_t q = cs->head[word];
    if (q >= 0) {
        int32_t after = cs->next[q];
        cs->head[word] = after;
        if (after >= 0) {
            __builtin_prefetch(&cs->next[after]);
            __builtin_prefetch(&ids[after]);
        }
    }
    return q;
}

/* Appends the context rows of the window at position q of the block of
 * n_sent sentences ending at ends[] to group g from index n, each labelled
 * `target` and prefetched; returns the new count. */
static int add_window(worker *w, const int32_t *ids, const int *ends,
                      int n_sent, int32_t q, int g, int target, int n)
{
    combine_scratch *cs = &w->comb;
    const model *m = w->t->m;
    const int max_in = (int)(2 * w->t->cfg->window * w->t->cfg->combine);
    int lo = 0, hi = n_sent - 1; /* q's sentence: the first ending after q */
    while (lo < hi) {
        int mid = lo + (hi - lo) / 2;
        if (ends[mid] > q)
            hi = mid;
        else
            lo = mid + 1;
    }
    int first = lo > 0 ? ends[lo - 1] : 0;
    int n_ctx = gather_contexts(w, ids + first, ends[lo] - first, q - first,
                                w->contexts);
    for (int c = 0; c < n_ctx; c++, n++) {
        float *row = m->emb_in + (int64_t)w->contexts[c] * m->stride;
        prefetch_row(row, m->dim);
        cs->in_rows[g * max_in + n] = row;
        cs->labels[g * max_in + n] = target;
    }
    return n;
}

/* Forms group g from the first untrained window at or after *p (which it
 * advances past it): that window's center and noise words are the group's
 * output words, and up to combine - 1 later untrained windows centered on
 * them join it, one per output word a round.  Prefetches every row of the
 * group; returns 0 when the block has no untrained window left. */
static int form_group(worker *w, const int32_t *ids, const int *ends,
                      int n_sent, int *p, int g)
{
    const trainer *t = w->t;
    const model *m = t->m;
    const int combine = (int)t->cfg->combine;
    const int negative = (int)t->cfg->negative;
    combine_scratch *cs = &w->comb;
    const int len = ends[n_sent - 1];
    while (*p < len && cs->head[ids[*p]] != *p)
        (*p)++;
    if (*p == len)
        return 0;
    int32_t center = take_window(cs, ids, (uint32_t)ids[*p]);
    uint32_t *words = cs->words + g * (negative + 1);
    int *weights = cs->weights + g * (negative + 1);
    int n_out = 1;
    words[0] = (uint32_t)ids[center];
    weights[0] = 1;
    for (int d = 0; d < negative; d++) {
        uint32_t x = alias_draw(&t->obj.noise, &w->rng);
        int j = 0;
        while (j < n_out && words[j] != x)
            j++;
        if (j == 0)
            continue; /* the center is no noise word of its own */
        if (j < n_out) {
            weights[j]++;
        } else {
            words[n_out] = x;
            weights[n_out++] = 1;
        }
    }
    float **out_rows = cs->out_rows + g * (negative + 1);
    for (int j = 0; j < n_out; j++) {
        out_rows[j] = m->emb_out + (int64_t)words[j] * m->stride;
        prefetch_row(out_rows[j], m->dim);
    }
    int n_in = add_window(w, ids, ends, n_sent, center, g, 0, 0), windows = 1;
    for (int joined = 1; joined && windows < combine;) {
        joined = 0;
        for (int j = 0; j < n_out && windows < combine; j++) {
            int32_t q = take_window(cs, ids, words[j]);
            if (q < 0)
                continue;
            n_in = add_window(w, ids, ends, n_sent, q, g, j, n_in);
            windows++;
            joined = 1;
        }
    }
    cs->n_in[g] = n_in;
    cs->n_out[g] = n_out;
    return 1;
}

/* Skip-gram with context combining (pSGNScc, Rengasamy et al. 2017): the
 * block's windows are trained in groups (form_group) that share one set of
 * output rows, each window predicting its own center against all the other
 * output words (noise drawn twice counts twice), in one batched step
 * (batch.h).  Each window is trained once, its contexts inside its own
 * sentence, as without combining; the busy output rows are fetched and
 * written once per group instead of once per window.  The next group is
 * formed, and its rows prefetched, before this one is trained. */
double train_skipgram_combined(worker *w, const int32_t *ids, const int *ends,
                               int n_sent, float alpha)
{
    const trainer *t = w->t;
    const int max_in = (int)(2 * t->cfg->window * t->cfg->combine);
    const int max_out = (int)t->cfg->negative + 1;
    combine_scratch *cs = &w->comb;
    const int len = ends[n_sent - 1];
    for (int p = len - 1; p >= 0; p--) { /* each word's positions, in order */
        cs->next[p] = cs->head[ids[p]];
        cs->head[ids[p]] = p;
    }
    double loss = 0.0;
    int p = 0, g = 0;
    int more = form_group(w, ids, ends, n_sent, &p, g);
    while (more) {
        more = form_group(w, ids, ends, n_sent, &p, g ^ 1);
        if (cs->n_in[g] > 0) {
            loss += ns_batch_step(&w->nsb, t->k, cs->in_rows + g * max_in,
                                  cs->labels + g * max_in, cs->n_in[g],
                                  cs->out_rows + g * max_out,
                                  cs->weights + g * max_out, cs->n_out[g],
                                  alpha);
            w->pairs += cs->n_in[g];
        }
        g ^= 1;
    }
    return loss; /* every window taken: every head is back at -1 */
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
