/* loglik.c - held-out log-likelihood of the full softmax and the NS loss. */
#include "loglik.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "noise.h"
#include "objective.h"
#include "sentence.h"

enum { READ_BUFFER = 1 << 20 };

static int check_pair(const vectors *in, const vectors *out, w2v_err *err)
{
    if (in->n != out->n || in->dim != out->dim)
        return w2v_fail(err, "the vectors (%lld x %lld) and the context "
                             "vectors (%lld x %lld) differ in size",
                        (long long)in->n, (long long)in->dim,
                        (long long)out->n, (long long)out->dim);
    if (in->n == 0)
        return w2v_fail(err, "the vector files hold no words");
    for (int64_t w = 0; w < in->n; w++)
        if (strcmp(in->words[w], out->words[w]) != 0)
            return w2v_fail(err, "the vectors and the context vectors differ "
                                 "at row %lld ('%s' vs '%s'): they must come "
                                 "from the same training run",
                            (long long)w + 1, in->words[w], out->words[w]);
    return 0;
}

/* First pass: in-vocabulary counts of the text, for the noise table. */
static int count_words(sentence_reader *text, int32_t *sent, int64_t *counts,
                       w2v_err *err)
{
    while (!text->at_end) {
        int len = sentence_next(text, sent, err);
        if (len < 0)
            return -1;
        for (int i = 0; i < len; i++)
            counts[sent[i]]++;
    }
    return 0;
}

int loglik_eval(const vectors *in, const vectors *out, const corpus *text,
                int64_t window, int64_t negative, uint64_t seed,
                const kernel *k, loglik_result *r, w2v_err *err)
{
    memset(r, 0, sizeof *r);
    if (check_pair(in, out, err))
        return -1;
    sentence_reader rd;
    memset(&rd, 0, sizeof rd);
    alias_table noise;
    memset(&noise, 0, sizeof noise);
    const int64_t words = in->n;
    int32_t *sent = w2v_malloc(sizeof *sent * SENTENCE_MAX, err);
    int64_t *counts = w2v_calloc((size_t)words, sizeof *counts, err);
    float *scores = w2v_alloc_aligned(sizeof(float) * (size_t)words, err);
    int rc = -1;
    if (!sent || !counts || !scores ||
        sentence_reader_init(&rd, text, 0, text->size, READ_BUFFER,
                             &in->table, in->words, NULL, NULL, err) ||
        count_words(&rd, sent, counts, err))
        goto out;
    int64_t known = 0;
    for (int64_t w = 0; w < words; w++)
        known += counts[w];
    if (known == 0) {
        w2v_fail(err, "%s: no word of the text is in the vocabulary",
                 text->name);
        goto out;
    }
    if (noise_build(&noise, counts, words, NOISE_POWER, err))
        goto out;
    rng rg;
    rng_seed(&rg, seed, 0);
    sentence_rewind(&rd);
    rd.tokens_read = rd.known = 0; /* count the scoring pass alone */
    double loglik = 0.0, ns_loss = 0.0;
    while (!rd.at_end) {
        int len = sentence_next(&rd, sent, err);
        if (len < 0)
            goto out;
        for (int i = 0; i < len; i++) {
            int lo = i - window > 0 ? i - (int)window : 0;
            int hi = i + window < len - 1 ? i + (int)window : len - 1;
            if (hi - lo < 1)
                continue;
            const float *v = in->data + (int64_t)sent[i] * in->stride;
            k->gemm_nt(v, 0, out->data, out->stride, scores, words, 1, words,
                       in->dim);
            float top = scores[0];
            for (int64_t j = 1; j < words; j++)
                if (scores[j] > top)
                    top = scores[j];
            double z = 0.0;
            for (int64_t j = 0; j < words; j++)
                z += exp((double)scores[j] - top);
            double log_z = (double)top + log(z);
            for (int j = lo; j <= hi; j++) {
                if (j == i)
                    continue;
                int32_t ctx = sent[j];
                loglik += (double)scores[ctx] - log_z;
                ns_loss += kernel_neg_log_sigmoid(scores[ctx]);
                for (int64_t d = 0; d < negative; d++) {
                    uint32_t n = alias_draw(&noise, &rg);
                    if (n != (uint32_t)ctx)
                        ns_loss += kernel_neg_log_sigmoid(-scores[n]);
                }
                r->pairs++;
            }
        }
    }
    r->tokens = rd.tokens_read;
    r->skipped = rd.tokens_read - rd.known;
    if (r->pairs > 0) {
        r->loglik = loglik / (double)r->pairs;
        r->ns_loss = ns_loss / (double)r->pairs;
    }
    rc = 0;
out:
    alias_free(&noise);
    sentence_reader_free(&rd);
    free(sent);
    free(counts);
    free(scores);
    return rc;
}
