/* test_train.c - the training loop on a tiny corpus, in process. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"
#include "train.h"

/* Writes a corpus of two groups of words that never share a sentence,
 * {a0..a4} and {b0..b4}, to a new temporary file named in
 * path[HARNESS_PATH_MAX]; returns fclose's status. */
static int make_corpus(char *path)
{
    FILE *fp = harness_temp_file(path, "test-train");
    rng r;
    rng_seed(&r, 3, 0);
    for (int line = 0; line < 2000; line++) {
        char group = line % 2 ? 'a' : 'b';
        for (int i = 0; i < 8; i++)
            fprintf(fp, "%s%c%u", i ? " " : "", group, rng_below(&r, 5));
        fputc('\n', fp);
    }
    return fclose(fp);
}

/* make_corpus() opened as a corpus; path receives its name.  Ends the test
 * as failed when it cannot. */
static void open_corpus(corpus *c, char *path)
{
    w2v_err err;
    REQUIRE(make_corpus(path) == 0);
    REQUIRE_MSG(corpus_open(c, path, NULL, &err) == 0, "%s", err.msg);
}

/* Counts the vocabulary of c, makes the model m and trains it with cfg on
 * the scalar body, statistics in st.  Ends the test as failed when any step
 * fails. */
static void train_small(model *m, corpus *c, train_config *cfg,
                        train_stats *st)
{
    w2v_err err;
    vocab_stats vs;
    vocab_count_config one_thread = {.threads = 1};
    memset(m, 0, sizeof *m);
    REQUIRE_MSG(train_config_check(cfg, &err) == 0 &&
                    vocab_init(&m->vocab, &err) == 0 &&
                    vocab_count(&m->vocab, c, &one_thread, &vs, &err) == 0 &&
                    vocab_finalize(&m->vocab, 1, &err) == 0 &&
                    model_init(m, cfg->dim, cfg->seed, &err) == 0,
                "%s", err.msg);
    int rc = train_run(m, c, cfg, &kernel_scalar, NULL, NULL, st, &err);
    REQUIRE_MSG(rc == 0, "%s", err.msg);
}

/* Cosine of the input vectors of the two-letter words x and y, which must
 * be in m's vocabulary. */
static double cosine(const model *m, const char *x, const char *y)
{
    int64_t ix = vocab_find(&m->vocab, x, 2), iy = vocab_find(&m->vocab, y, 2);
    REQUIRE_MSG(ix >= 0 && iy >= 0, "'%s' or '%s' is not in the vocabulary",
                x, y);
    const float *a = m->emb_in + ix * m->stride;
    const float *b = m->emb_in + iy * m->stride;
    double ab = 0, aa = 0, bb = 0;
    for (int64_t i = 0; i < m->dim; i++) {
        ab += a[i] * b[i];
        aa += a[i] * a[i];
        bb += b[i] * b[i];
    }
    return ab / sqrt(aa * bb);
}

static void learns_groups(int64_t batch, int64_t combine)
{
    char path[HARNESS_PATH_MAX];
    corpus c;
    open_corpus(&c, path);
    train_config cfg;
    train_config_defaults(&cfg);
    cfg.dim = 10;
    cfg.iter = 5;
    cfg.threads = 1; /* deterministic: the groups never meet, so the angle
                        between them is set by the update order, which
                        Hogwild threads make random; the loss is not */
    cfg.sample = 0;
    cfg.batch = batch;
    cfg.combine = combine;
    model m;
    train_stats st;
    train_small(&m, &c, &cfg, &st);
    CHECK(st.words_done == 5 * 16000);
    CHECK_MSG(st.epoch_loss[4] < st.epoch_loss[0], "loss %g -> %g",
              st.epoch_loss[0], st.epoch_loss[4]);
    /* learning rate decays linearly to alpha * min_alpha_ratio */
    CHECK(st.epoch_alpha[0] < cfg.alpha && st.epoch_alpha[0] > 0.7 * cfg.alpha);
    CHECK_NEAR(st.epoch_alpha[4], cfg.alpha * cfg.min_alpha_ratio, 1e-9);
    /* same-group words are closer than cross-group words */
    CHECK_MSG(cosine(&m, "a1", "a2") > cosine(&m, "a1", "b2") + 0.3,
              "cos(a1,a2) %.3f, cos(a1,b2) %.3f", cosine(&m, "a1", "a2"),
              cosine(&m, "a1", "b2"));
    CHECK_MSG(cosine(&m, "b0", "b4") > cosine(&m, "b0", "a4") + 0.3,
              "cos(b0,b4) %.3f, cos(b0,a4) %.3f", cosine(&m, "b0", "b4"),
              cosine(&m, "b0", "a4"));
    train_stats_free(&st);
    model_free(&m);
    corpus_close(&c);
    unlink(path);
}

TEST(train_learns_groups_per_pair)
{
    learns_groups(0, 1);
}

TEST(train_learns_groups_batched)
{
    learns_groups(1, 1);
}

TEST(train_learns_groups_combined)
{
    learns_groups(1, 8);
}

TEST(train_combining_trains_every_window_once)
{
    /* -window 1 never shrinks: each of the 2000 lines of 8 words has 14
     * (center, context) pairs, in each of the 3 epochs, whatever order
     * the windows are trained in */
    char path[HARNESS_PATH_MAX];
    corpus c;
    open_corpus(&c, path);
    for (int64_t combine = 1; combine <= 16; combine *= 4) {
        train_config cfg;
        train_config_defaults(&cfg);
        cfg.dim = 8;
        cfg.iter = 3;
        cfg.window = 1;
        cfg.threads = 1;
        cfg.sample = 0;
        cfg.combine = combine;
        model m;
        train_stats st;
        train_small(&m, &c, &cfg, &st);
        CHECK_MSG(st.pairs == 3 * 2000 * 14, "-combine %lld: %lld pairs",
                  (long long)combine, (long long)st.pairs);
        train_stats_free(&st);
        model_free(&m);
    }
    corpus_close(&c);
    unlink(path);
}

TEST(train_one_thread_is_deterministic)
{
    char path[HARNESS_PATH_MAX];
    corpus c;
    open_corpus(&c, path);
    train_config cfg;
    train_config_defaults(&cfg);
    cfg.dim = 12;
    cfg.iter = 2;
    cfg.threads = 1;
    cfg.seed = 42;
    model m1, m2;
    train_stats s1, s2;
    train_small(&m1, &c, &cfg, &s1);
    train_small(&m2, &c, &cfg, &s2);
    size_t bytes = sizeof(float) * (size_t)(m1.vocab.size * m1.stride);
    CHECK(memcmp(m1.emb_in, m2.emb_in, bytes) == 0);
    CHECK(memcmp(m1.emb_out, m2.emb_out, bytes) == 0);
    CHECK(s1.loss_total == s2.loss_total);
    train_stats_free(&s1);
    train_stats_free(&s2);
    model_free(&m1);
    model_free(&m2);
    corpus_close(&c);
    unlink(path);
}
