/* test_pmi.c - the fixed points of theory.md section 3, reached by the real
 * trainer on a synthetic corpus: SGNS dot products approach shifted PMI,
 * softmax dot products approach log p(c | w) up to a per-row constant; and
 * on held-out text from the same source softmax has the better exact
 * log-likelihood, while both recover the planted groups. */
#include "harness.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "loglik.h"
#include "train.h"

enum { TYPES = 20, GROUP = 4, LINES = 1000, LINE_WORDS = 20, WINDOW = 2 };

/* The pair statistics the trainer sees in expectation. */
typedef struct pair_stats {
    double pairs[TYPES][TYPES]; /* [center][context], shrink-weighted */
    double centers[TYPES];      /* sum over contexts of pairs[w][.] */
    int64_t tokens[TYPES];      /* unigram counts: the noise distribution */
} pair_stats;

/* Writes the corpus to a new temporary file named in path[HARNESS_PATH_MAX]
 * (returns fclose's status): a Markov chain that stays in the current word's
 * group of 4 with probability 0.6 and otherwise jumps to word j with
 * probability proportional to 1 / (1 + j), so frequencies differ (P_n
 * matters) and every pair co-occurs.  Counts the pairs the way
 * train_skipgram makes them: the window is shrunk uniformly to 1..WINDOW, so
 * a pair at distance delta is used with probability
 * (WINDOW - delta + 1) / WINDOW. */
static int make_corpus(char *path, uint64_t seed, pair_stats *st)
{
    FILE *fp = harness_temp_file(path, "test-pmi");
    memset(st, 0, sizeof *st);
    double jump[TYPES], jump_total = 0.0;
    for (int j = 0; j < TYPES; j++)
        jump_total += jump[j] = 1.0 / (1 + j);
    rng r;
    rng_seed(&r, seed, 0);
    int word = 0;
    for (int line = 0; line < LINES; line++) {
        int sent[LINE_WORDS];
        for (int i = 0; i < LINE_WORDS; i++) {
            if (rng_uniform(&r) < 0.6) {
                word = word / GROUP * GROUP + (int)rng_below(&r, GROUP);
            } else {
                double x = rng_uniform(&r) * jump_total;
                for (word = 0; word < TYPES - 1 && x >= jump[word]; word++)
                    x -= jump[word];
            }
            sent[i] = word;
            st->tokens[word]++;
            fprintf(fp, "%sw%d", i ? " " : "", word);
        }
        fputc('\n', fp);
        for (int i = 0; i < LINE_WORDS; i++)
            for (int j = 0; j < LINE_WORDS; j++) {
                int delta = abs(i - j);
                if (delta >= 1 && delta <= WINDOW)
                    st->pairs[sent[i]][sent[j]] +=
                        (double)(WINDOW - delta + 1) / WINDOW;
            }
    }
    for (int w = 0; w < TYPES; w++)
        for (int c = 0; c < TYPES; c++)
            st->centers[w] += st->pairs[w][c];
    return fclose(fp);
}

/* Trains m on the corpus with one thread, no subsampling, d > TYPES. */
static int train_model(const char *path, loss_kind loss, int64_t iter,
                       double alpha, model *m)
{
    w2v_err err;
    corpus c;
    memset(m, 0, sizeof *m);
    if (corpus_open(&c, path, NULL, &err))
        return -1;
    train_config cfg;
    train_config_defaults(&cfg);
    cfg.dim = 24;
    cfg.window = WINDOW;
    cfg.negative = 5;
    cfg.threads = 1;
    cfg.iter = iter;
    cfg.sample = 0;
    cfg.alpha = alpha;
    cfg.seed = 7;
    cfg.loss = loss;
    cfg.loss_given = 1;
    vocab_stats vs;
    vocab_count_config one_thread = {.threads = 1};
    train_stats st;
    const kernel *k = kernel_get(NULL, &err);
    int rc = -1;
    if (k && !train_config_check(&cfg, &err) && !vocab_init(&m->vocab, &err) &&
        !vocab_count(&m->vocab, &c, &one_thread, &vs, &err) &&
        !vocab_finalize(&m->vocab, 1, &err) &&
        !model_init(m, cfg.dim, cfg.seed, &err) &&
        !train_run(m, &c, &cfg, k, NULL, NULL, &st, &err)) {
        train_stats_free(&st);
        rc = 0;
    }
    corpus_close(&c);
    return rc;
}

/* Row of word w<type> in m. */
static const float *row_of(const model *m, const float *matrix, int type)
{
    char name[8];
    int len = snprintf(name, sizeof name, "w%d", type);
    int64_t id = vocab_find(&m->vocab, name, len);
    return id < 0 ? NULL : matrix + id * m->stride;
}

/* Trains and fills dots[w][c] = u_c . v_w. */
static int train_dots(const char *path, loss_kind loss, int64_t iter,
                      double alpha, double dots[TYPES][TYPES])
{
    model m;
    int rc = train_model(path, loss, iter, alpha, &m);
    for (int w = 0; w < TYPES && rc == 0; w++)
        for (int x = 0; x < TYPES; x++) {
            const float *v = row_of(&m, m.emb_in, w);
            const float *u = row_of(&m, m.emb_out, x);
            if (!v || !u) {
                rc = -1;
                break;
            }
            dots[w][x] = kernel_scalar.dot(v, u, m.dim);
        }
    model_free(&m);
    return rc;
}

/* SGNS: the expected loss of pair (w, c) is
 *   n_wc (-log sig(x)) + k P_n(c) (n_w - n_wc) (-log sig(-x)),
 * where n_wc are the shrink-weighted pair counts, n_w = sum_c n_wc, and the
 * negative term has n_w - n_wc rather than n_w because noise draws equal to
 * the target are skipped (as in the original).  Its minimum is
 *   x* = log(n_wc / (n_w P_n(c))) - log k - log(1 - n_wc / n_w)
 *      = PMI(w, c) - log k - log(1 - p(c | w)).
 * Compared: the 75 pairs with n_wc >= 150 (weighted).  Tolerance: training
 * is SGD with a learning rate decaying to ~0, so what remains is SGD noise
 * and incomplete convergence: measured max 0.080, mean 0.023 with this
 * seed.  0.25 / 0.08 leave margin yet fail for a wrong noise power (a
 * reference with power 1 instead of 0.75 is off by mean 0.20), for a
 * missing skip correction (mean 0.15), a missing -log k (1.6) or a sign
 * error. */
TEST(pmi_sgns_fixed_point_is_shifted_pmi)
{
    char path[HARNESS_PATH_MAX];
    pair_stats st;
    REQUIRE(make_corpus(path, 2024, &st) == 0);
    double dots[TYPES][TYPES];
    REQUIRE(train_dots(path, LOSS_NS, 60, 0.025, dots) == 0);
    unlink(path);
    double noise[TYPES], noise_total = 0.0;
    for (int c = 0; c < TYPES; c++)
        noise_total += noise[c] = pow((double)st.tokens[c], 0.75);
    double worst = 0.0, sum = 0.0;
    int compared = 0;
    for (int w = 0; w < TYPES; w++)
        for (int c = 0; c < TYPES; c++) {
            double n_wc = st.pairs[w][c], n_w = st.centers[w];
            if (n_wc < 150)
                continue;
            double pn = noise[c] / noise_total;
            double want = log(n_wc / (n_w * pn)) - log(5.0) -
                          log(1.0 - n_wc / n_w);
            double e = fabs(dots[w][c] - want);
            worst = e > worst ? e : worst;
            sum += e;
            compared++;
        }
    CHECK_MSG(compared >= 60, "only %d pairs compared", compared);
    CHECK_MSG(worst < 0.25 && sum / compared < 0.08,
              "max error %g, mean error %g over %d pairs", worst,
              sum / compared, compared);
}

/* Softmax: the optimum is x_wc = log p(c | w) + b_w with p(c | w) =
 * n_wc / n_w.  Compared: the pairs with n_wc >= 30, the per-row constant
 * b_w being estimated as the mean difference over a row's compared pairs.
 * Rarer pairs are left out because the trainer fits the pairs its random
 * window shrinks actually produced, which for n_wc ~ 3 differ from the
 * expectation by tens of percent.  Tolerance: measured max 0.17, mean
 * 0.029 with this seed (226 pairs; 0.12 and 0.025 with one center per
 * pass over emb_out instead of the default 8); 0.25 / 0.08 fail for a sign
 * error, a missing normalizer or a gradient off by the context count m of
 * the batched step. */
TEST(pmi_softmax_fixed_point_is_log_conditional)
{
    char path[HARNESS_PATH_MAX];
    pair_stats st;
    REQUIRE(make_corpus(path, 2024, &st) == 0);
    double dots[TYPES][TYPES];
    REQUIRE(train_dots(path, LOSS_SOFTMAX, 100, 0.05, dots) == 0);
    unlink(path);
    double worst = 0.0, sum = 0.0;
    int compared = 0;
    for (int w = 0; w < TYPES; w++) {
        double diff[TYPES], shift = 0.0;
        int in_row = 0;
        for (int c = 0; c < TYPES; c++)
            if (st.pairs[w][c] >= 30) {
                diff[c] = dots[w][c] - log(st.pairs[w][c] / st.centers[w]);
                shift += diff[c];
                in_row++;
            }
        if (in_row < 3)
            continue;
        shift /= in_row;
        for (int c = 0; c < TYPES; c++)
            if (st.pairs[w][c] >= 30) {
                double e = fabs(diff[c] - shift);
                worst = e > worst ? e : worst;
                sum += e;
                compared++;
            }
    }
    CHECK_MSG(compared >= 100, "only %d pairs compared", compared);
    CHECK_MSG(worst < 0.25 && sum / compared < 0.08,
              "max error %g, mean error %g over %d pairs", worst,
              sum / compared, compared);
}

/* Loads m's emb_in and emb_out as vector files (as eval loglik would). */
static int save_and_load(const model *m, const float *matrix, vectors *v)
{
    char path[HARNESS_PATH_MAX];
    FILE *fp = harness_temp_file(path, "test-pmi-vec");
    w2v_err err;
    int rc = vectors_write(fp, path, (const char *const *)m->vocab.words,
                           matrix, m->vocab.size, m->dim, m->stride, 1, &err);
    rc |= fclose(fp);
    rc = rc ? -1 : vectors_load(path, VEC_AUTO, 0, v, &err);
    unlink(path);
    return rc;
}

/* Held-out exact log-likelihood of a model trained with `loss`; also
 * counts the words whose nearest neighbour (cosine of v) is in its group. */
static int heldout(const char *train, const char *test, loss_kind loss,
                   double alpha, loglik_result *r, int *planted)
{
    model m;
    vectors in, out;
    corpus text = {.fd = -1};
    memset(&in, 0, sizeof in);
    memset(&out, 0, sizeof out);
    w2v_err err;
    int rc = -1;
    if (train_model(train, loss, 20, alpha, &m) ||
        save_and_load(&m, m.emb_in, &in) ||
        save_and_load(&m, m.emb_out, &out) ||
        corpus_open(&text, test, NULL, &err) ||
        loglik_eval(&in, &out, &text, WINDOW, 5, 1, &kernel_scalar, r, &err))
        goto out;
    *planted = 0;
    for (int w = 0; w < TYPES; w++) {
        const float *a = row_of(&m, m.emb_in, w);
        int best = -1;
        double best_cos = -2.0;
        for (int x = 0; x < TYPES; x++) {
            const float *b = row_of(&m, m.emb_in, x);
            if (x == w)
                continue;
            double ab = kernel_scalar.dot(a, b, m.dim);
            double bb = kernel_scalar.dot(b, b, m.dim);
            if (ab / sqrt(bb) > best_cos) {
                best_cos = ab / sqrt(bb);
                best = x;
            }
        }
        *planted += best / GROUP == w / GROUP;
    }
    rc = 0;
out:
    corpus_close(&text);
    vectors_free(&in);
    vectors_free(&out);
    model_free(&m);
    return rc;
}

TEST(pmi_softmax_beats_ns_on_heldout_loglik)
{
    char train[HARNESS_PATH_MAX], test[HARNESS_PATH_MAX];
    pair_stats st;
    REQUIRE(make_corpus(train, 2024, &st) == 0);
    REQUIRE(make_corpus(test, 99, &st) == 0);
    loglik_result soft, ns;
    int planted_soft = 0, planted_ns = 0;
    REQUIRE(heldout(train, test, LOSS_SOFTMAX, 0.05, &soft, &planted_soft) ==
            0);
    REQUIRE(heldout(train, test, LOSS_NS, 0.025, &ns, &planted_ns) == 0);
    unlink(train);
    unlink(test);
    CHECK(soft.pairs == ns.pairs && soft.pairs > 0);
    /* measured: softmax -2.32, ns -2.46 (uniform guessing: log(1/20) =
     * -3.0); the NS losses are 5.76 (softmax model) and 2.34 (ns model) */
    CHECK_MSG(soft.loglik > ns.loglik + 0.05 && soft.loglik > -2.9,
              "held-out log-likelihood: softmax %g, ns %g", soft.loglik,
              ns.loglik);
    /* ... while NS is better at its own loss */
    CHECK_MSG(ns.ns_loss < soft.ns_loss, "ns loss: softmax model %g, ns model "
              "%g", soft.ns_loss, ns.ns_loss);
    CHECK_MSG(planted_soft == TYPES && planted_ns == TYPES,
              "nearest neighbour in the planted group: softmax %d, ns %d of %d",
              planted_soft, planted_ns, TYPES);
}
