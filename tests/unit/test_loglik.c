/* test_loglik.c - the kernel's log-sum-exp against libm, and the batched,
 * threaded loglik_run against the one-center-at-a-time computation it
 * replaced (same pairs, same noise draws). */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"
#include "loglik.h"
#include "noise.h"
#include "objective.h"
#include "rng.h"

static double reference_lse(const float *s, int64_t n)
{
    double top = s[0];
    for (int64_t j = 1; j < n; j++)
        top = s[j] > top ? s[j] : top;
    double z = 0.0;
    for (int64_t j = 0; j < n; j++)
        z += exp((double)s[j] - top);
    return top + log(z);
}

TEST(loglik_log_sum_exp_every_body)
{
    int nk;
    const kernel *const *ks = kernel_all(&nk);
    unsigned cpu = kernel_cpu_features();
    enum { MAX_N = 1031 };
    float *s = malloc(MAX_N * sizeof *s);
    rng r;
    rng_seed(&r, 5, 0);
    const int64_t sizes[] = {1, 2, 7, 8, 9, 15, 16, 17, 100, 1031};
    const double spreads[] = {0.0, 1e-3, 1.0, 30.0, 800.0};
    for (int b = 0; b < nk; b++) {
        if (!kernel_runs_with(ks[b], cpu))
            continue;
        double worst = 0.0;
        for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++)
            for (size_t k = 0; k < sizeof spreads / sizeof spreads[0]; k++) {
                int64_t n = sizes[i];
                for (int64_t j = 0; j < n; j++)
                    s[j] = (float)((rng_uniform(&r) - 0.5) * spreads[k] +
                                   (k == 4 ? 50.0 : -3.0));
                double want = reference_lse(s, n);
                double got = ks[b]->log_sum_exp(s, n);
                double rel = fabs(got - want) / fmax(fabs(want), 1.0);
                worst = rel > worst ? rel : worst;
            }
        CHECK_MSG(worst < 1e-13, "%s: relative error %g", ks[b]->name, worst);
        /* the largest term alone, and terms far below it */
        s[0] = -1e30f;
        s[1] = 88.0f;
        s[2] = -1e30f;
        CHECK_NEAR(ks[b]->log_sum_exp(s, 3), 88.0, 1e-12);
    }
    free(s);
}

/* The computation loglik_run replaced: each center scored alone against
 * every output row, every pair in order with its noise draws. */
static void reference_loglik(const vectors *in, const vectors *out,
                             const int32_t *ids, const int *sentence_len,
                             int n_sentences, int64_t window,
                             int64_t negative, uint64_t seed, double *loglik,
                             double *ns_loss, int64_t *pairs)
{
    int64_t *counts = calloc((size_t)in->n, sizeof *counts);
    int64_t total = 0;
    for (int t = 0; t < n_sentences; t++)
        for (int i = 0; i < sentence_len[t]; i++)
            counts[ids[total++]]++;
    alias_table noise;
    w2v_err err;
    noise_build(&noise, counts, in->n, NOISE_POWER, &err);
    rng r;
    rng_seed(&r, seed, 0);
    double *scores = malloc((size_t)in->n * sizeof *scores);
    *loglik = *ns_loss = 0.0;
    *pairs = 0;
    const int32_t *sent = ids;
    for (int t = 0; t < n_sentences; sent += sentence_len[t++]) {
        int len = sentence_len[t];
        for (int i = 0; i < len; i++) {
            int lo = i - window > 0 ? i - (int)window : 0;
            int hi = i + window < len - 1 ? i + (int)window : len - 1;
            if (hi - lo < 1)
                continue;
            const float *v = in->data + (int64_t)sent[i] * in->stride;
            double top = -INFINITY, z = 0.0;
            for (int64_t j = 0; j < in->n; j++) {
                double d = 0.0;
                for (int64_t k = 0; k < in->dim; k++)
                    d += (double)v[k] * out->data[j * out->stride + k];
                scores[j] = d;
                top = d > top ? d : top;
            }
            for (int64_t j = 0; j < in->n; j++)
                z += exp(scores[j] - top);
            double log_z = top + log(z);
            for (int j = lo; j <= hi; j++) {
                if (j == i)
                    continue;
                *loglik += scores[sent[j]] - log_z;
                *ns_loss += kernel_neg_log_sigmoid(scores[sent[j]]);
                for (int64_t d = 0; d < negative; d++) {
                    uint32_t n = alias_draw(&noise, &r);
                    if (n != (uint32_t)sent[j])
                        *ns_loss += kernel_neg_log_sigmoid(-scores[n]);
                }
                (*pairs)++;
            }
        }
    }
    *loglik /= (double)*pairs;
    *ns_loss /= (double)*pairs;
    alias_free(&noise);
    free(scores);
    free(counts);
}

typedef struct progress_log {
    int calls, backwards;
    int64_t last, total;
} progress_log;

static void note_progress(int64_t done, int64_t total, void *ctx)
{
    progress_log *p = ctx;
    p->backwards |= done < p->last;
    p->calls++;
    p->last = done;
    p->total = total;
}

/* A random model of n words and dimension dim in v (rows unit-scaled by
 * `scale`), and a text of words w0..w(n-1) plus unknown words. */
static void random_vectors(vectors *v, int64_t n, int64_t dim, float scale,
                           uint64_t seed)
{
    memset(v, 0, sizeof *v);
    v->n = n;
    v->dim = dim;
    v->stride = w2v_row_stride(dim);
    w2v_err err;
    v->data = w2v_alloc_aligned((size_t)(n * v->stride) * sizeof(float), &err);
    memset(v->data, 0, (size_t)(n * v->stride) * sizeof(float));
    v->words = malloc((size_t)n * sizeof *v->words);
    v->pool = malloc((size_t)n * 16);
    word_table_init(&v->table, word_table_slots_for(n), &err);
    rng r;
    rng_seed(&r, seed, 0);
    for (int64_t i = 0; i < n; i++) {
        v->words[i] = v->pool + i * 16;
        snprintf(v->words[i], 16, "w%lld", (long long)i);
        int len = (int)strlen(v->words[i]);
        uint32_t h = word_hash(v->words[i], len);
        word_table_set(&v->table,
                       word_table_probe(&v->table, v->words, v->words[i], len,
                                        h),
                       h, len, i);
        for (int64_t k = 0; k < dim; k++)
            v->data[i * v->stride + k] =
                (float)(rng_uniform(&r) - 0.5) * scale;
    }
}

TEST(loglik_batched_threads_match_one_center_at_a_time)
{
    /* about 72,000 words: several parts of the text (PART_TOKENS) */
    enum { WORDS = 60, DIM = 16, SENTENCES = 1800 };
    vectors in, out;
    random_vectors(&in, WORDS, DIM, 1.5f, 1);
    random_vectors(&out, WORDS, DIM, 1.5f, 2);
    /* sentences of 1 to 80 words, Zipf-like ids, some unknown words */
    char path[] = "/tmp/w2v-test-loglik.XXXXXX";
    int fd = mkstemp(path);
    FILE *fp = fdopen(fd, "w");
    int32_t *ids = malloc(SENTENCES * 80 * sizeof *ids);
    int lens[SENTENCES], n_ids = 0;
    rng r;
    rng_seed(&r, 3, 0);
    for (int t = 0; t < SENTENCES; t++) {
        int len = 1 + (int)rng_below(&r, 80);
        lens[t] = 0;
        for (int i = 0; i < len; i++) {
            double u = rng_uniform(&r);
            int id = (int)(WORDS * u * u);
            if (rng_below(&r, 10) == 0) {
                fputs("unknown ", fp);
                continue;
            }
            fprintf(fp, "w%d ", id);
            ids[n_ids++] = id;
            lens[t]++;
        }
        fputc('\n', fp);
    }
    fclose(fp);
    int n_sentences = 0;
    for (int t = 0; t < SENTENCES; t++)
        if (lens[t] > 0)
            lens[n_sentences++] = lens[t];
    corpus c;
    w2v_err err;
    REQUIRE(corpus_open(&c, path, NULL, &err) == 0);
    double want_ll, want_ns;
    int64_t want_pairs;
    reference_loglik(&in, &out, ids, lens, n_sentences, 4, 5, 9, &want_ll,
                     &want_ns, &want_pairs);
    int nk;
    const kernel *const *ks = kernel_all(&nk);
    unsigned cpu = kernel_cpu_features();
    for (int b = 0; b < nk; b++) {
        if (!kernel_runs_with(ks[b], cpu))
            continue;
        loglik_result first = {0};
        for (int threads = 1; threads <= 3; threads++) {
            progress_log pl = {0, 0, 0, 0};
            loglik_config cfg = {4, 5, 9, threads, note_progress, &pl};
            loglik_result res;
            CHECK(loglik_run(&in, &out, &c, &cfg, ks[b], &res, &err) == 0);
            CHECK(res.pairs == want_pairs);
            CHECK_MSG(fabs(res.loglik - want_ll) <= 1e-6 * fabs(want_ll),
                      "%s, %d threads: %.9g vs %.9g", ks[b]->name, threads,
                      res.loglik, want_ll);
            CHECK_MSG(fabs(res.ns_loss - want_ns) <= 1e-6 * fabs(want_ns),
                      "%s, %d threads: ns %.9g vs %.9g", ks[b]->name, threads,
                      res.ns_loss, want_ns);
            if (threads == 1)
                first = res;
            /* threads share the work, not the arithmetic */
            CHECK(res.loglik == first.loglik && res.ns_loss == first.ns_loss);
            CHECK(pl.calls >= 1 && !pl.backwards && pl.last == c.size &&
                  pl.total == c.size);
        }
    }
    corpus_close(&c);
    unlink(path);
    free(ids);
    vectors_free(&in);
    vectors_free(&out);
}
