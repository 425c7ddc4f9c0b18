/* test_phrases.c - word2phrase: counting pairs, scoring, the joining rules
 * and independence from the thread count. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"
#include "phrases.h"
#include "rng.h"

/* Writes text to a new temporary file (its name in path[HARNESS_PATH_MAX])
 * and opens it as a corpus; ends the test as failed when it cannot. */
static void open_text(corpus *c, const char *text, char *path)
{
    harness_write_temp(path, "test-phrases", text, strlen(text));
    w2v_err err;
    REQUIRE_MSG(corpus_open(c, path, NULL, &err) == 0, "%s", err.msg);
}

static int64_t pair(const phrase_model *m, const char *a, const char *b)
{
    return phrase_pair_count(m, a, (int)strlen(a), b, (int)strlen(b));
}

/* Counts c, keeps the phrases above threshold and returns the written text
 * (malloc'd); ends the test as failed when a step fails. */
static char *join(const corpus *c, int64_t min_count, double threshold,
                  const phrase_write_config *wc, int64_t *joined)
{
    phrase_model m;
    phrase_stats st;
    w2v_err err;
    phrase_count_config cfg = {min_count, 1, 0, 0};
    char *text = NULL;
    size_t size = 0;
    REQUIRE_MSG(phrase_count(&m, c, &cfg, &st, &err) == 0, "%s", err.msg);
    FILE *fp = open_memstream(&text, &size);
    REQUIRE(fp != NULL);
    REQUIRE_MSG(phrase_select(&m, PHRASE_SCORE_DEFAULT, threshold, &err) >= 0,
                "%s", err.msg);
    REQUIRE_MSG(phrase_write(&m, c, wc, fp, "memory", joined, &err) == 0,
                "%s", err.msg);
    fclose(fp);
    phrase_model_free(&m);
    REQUIRE(text != NULL);
    return text;
}

static const phrase_write_config one_writer = {1, PHRASE_CHUNK_BYTES};

/* Every adjacent pair of frequent words is counted, across line breaks
 * too (as the original counts them); rare words and rare pairs are not. */
TEST(phrases_count_pairs)
{
    corpus c;
    char path[HARNESS_PATH_MAX];
    w2v_err err;
    phrase_model m;
    phrase_stats st;
    /* tokens: a b a b b a c; pairs ab ba ab bb ba ac */
    open_text(&c, "a b a b\nb a\n\nc", path);
    phrase_count_config cfg = {1, 1, 0, 0};
    REQUIRE_MSG(phrase_count(&m, &c, &cfg, &st, &err) == 0, "%s", err.msg);
    CHECK(st.tokens == 7 && m.tokens == 7);
    CHECK(m.words.size == 3);
    CHECK(pair(&m, "a", "b") == 2);
    CHECK(pair(&m, "b", "a") == 2); /* one of them across a line break */
    CHECK(pair(&m, "b", "b") == 1); /* across a line break */
    CHECK(pair(&m, "a", "c") == 1); /* across two */
    CHECK(pair(&m, "c", "a") == 0);
    CHECK(st.pairs_counted == 4);
    phrase_model_free(&m);
    /* min-count 2: c and the pairs seen once are gone */
    cfg.min_count = 2;
    REQUIRE_MSG(phrase_count(&m, &c, &cfg, &st, &err) == 0, "%s", err.msg);
    CHECK(m.words.size == 2);
    CHECK(pair(&m, "a", "b") == 2 && pair(&m, "b", "a") == 2);
    CHECK(pair(&m, "b", "b") == 0 && pair(&m, "a", "c") == 0);
    CHECK(m.pairs.size == 2);
    phrase_model_free(&m);
    corpus_close(&c);
    unlink(path);
}

TEST(phrases_default_score_is_the_original_formula)
{
    /* (15 - 5) / 10 / 20 * 1000 */
    CHECK(phrase_score(PHRASE_SCORE_DEFAULT, 10, 20, 15, 5, 1000) == 50.0);
    CHECK(!phrase_passes(PHRASE_SCORE_DEFAULT, 50.0, 50.0));
    CHECK(phrase_passes(PHRASE_SCORE_DEFAULT, 50.0, 49.999));
    /* compared as floats: 50.000001 is 50 in single precision */
    CHECK(!phrase_passes(PHRASE_SCORE_DEFAULT, 50.0, 50.000001));
    /* single precision in the original's order, rounded at every step:
     * not the double-precision value */
    volatile float step = (float)(6 - 5) / (float)3;
    step = step / (float)7;
    step = step * (float)1000;
    double score = phrase_score(PHRASE_SCORE_DEFAULT, 3, 7, 6, 5, 1000);
    CHECK(score == (double)step);
    CHECK(score != 1.0 / 3 / 7 * 1000);
}

TEST(phrases_npmi_score)
{
    /* always together: 1; p_ab = p_a p_b (independent): 0 */
    CHECK_NEAR(phrase_score(PHRASE_SCORE_NPMI, 10, 10, 10, 5, 1000), 1.0,
               1e-12);
    CHECK_NEAR(phrase_score(PHRASE_SCORE_NPMI, 100, 100, 10, 5, 1000), 0.0,
               1e-12);
    /* ln(0.02 / (0.1 * 0.1)) / -ln(0.02) */
    CHECK_NEAR(phrase_score(PHRASE_SCORE_NPMI, 100, 100, 20, 5, 1000),
               0.17718382013555792, 1e-12);
    CHECK(!phrase_passes(PHRASE_SCORE_NPMI, 0.5, 0.5));
    CHECK(phrase_passes(PHRASE_SCORE_NPMI, 0.5000001, 0.5));
}

TEST(phrases_threshold_check)
{
    w2v_err err;
    CHECK(phrase_threshold_check(PHRASE_SCORE_NPMI, 1.0, &err) == 0);
    CHECK(phrase_threshold_check(PHRASE_SCORE_NPMI, -1.0, &err) == 0);
    CHECK(phrase_threshold_check(PHRASE_SCORE_NPMI, 1.5, &err) == -1);
    CHECK(strstr(err.msg, "[-1, 1]") != NULL);
    CHECK(phrase_threshold_check(PHRASE_SCORE_NPMI, -1.01, &err) == -1);
    CHECK(phrase_threshold_check(PHRASE_SCORE_DEFAULT, 1e9, &err) == 0);
    CHECK(phrase_threshold_check(PHRASE_SCORE_DEFAULT, -3, &err) == 0);
    CHECK(phrase_threshold_check(PHRASE_SCORE_DEFAULT, NAN, &err) == -1);
}

/* "a b c" ten times, one line each: a, b, c 10 times, ab and bc 10, ca 9
 * (across the line breaks), N = 30.  With min-count 1 the scores are
 * 9/100*30 = 2.7 for ab and bc and 8/100*30 = 2.4 for ca. */
TEST(phrases_joined_pair_consumes_both_words)
{
    corpus c;
    char path[HARNESS_PATH_MAX], text[64] = "";
    int64_t joined;
    for (int i = 0; i < 10; i++)
        strcat(text, "a b c\n");
    open_text(&c, text, path);
    /* ab and bc are phrases: b joins a, so c stays alone */
    char *out = join(&c, 1, 2.5, &one_writer, &joined);
    char want[64] = "";
    for (int i = 0; i < 10; i++)
        strcat(want, "a_b c\n");
    CHECK_MSG(strcmp(out, want) == 0, "got '%s'", out);
    CHECK(joined == 10);
    free(out);
    /* ca is a phrase too, but never joined across a line break */
    out = join(&c, 1, 2.0, &one_writer, &joined);
    CHECK_MSG(strncmp(out, "a_b c\na_b c\n", 12) == 0, "got '%s'", out);
    CHECK(joined == 10);
    free(out);
    /* above both: nothing joined, the text comes out as it went in */
    out = join(&c, 1, 2.7, &one_writer, &joined);
    CHECK_MSG(strcmp(out, text) == 0, "got '%s'", out);
    CHECK(joined == 0);
    free(out);
    corpus_close(&c);
    unlink(path);
}

/* Separators become one space, blank lines and a missing final newline
 * stay as they are. */
TEST(phrases_write_normalizes_spaces_only)
{
    corpus c;
    char path[HARNESS_PATH_MAX];
    int64_t joined;
    open_text(&c, "  x\t\ty  \r\n\n z", path);
    char *out = join(&c, 100, 0, &one_writer, &joined);
    CHECK_MSG(strcmp(out, "x y\n\nz") == 0, "got '%s'", out);
    free(out);
    corpus_close(&c);
    unlink(path);
}

/* A corpus of `lines` lines drawn from a few words, with planted pairs. */
static char *random_text(int lines, uint64_t seed)
{
    static const char *const words[] = {"new", "york", "times", "the", "of",
                                        "cat", "dog", "and", "a", "sun"};
    rng r;
    rng_seed(&r, seed, 0);
    size_t cap = (size_t)lines * 80 + 1, used = 0;
    char *text = malloc(cap);
    if (!text)
        return NULL;
    for (int l = 0; l < lines; l++) {
        int n = 1 + (int)rng_below(&r, 12);
        for (int i = 0; i < n; i++) {
            const char *w = rng_below(&r, 4) == 0 ? "new york"
                                                  : words[rng_below(&r, 10)];
            used += (size_t)sprintf(text + used, "%s%s", i ? " " : "", w);
        }
        text[used++] = '\n';
    }
    text[used] = '\0';
    return text;
}

/* Several counting threads and several writing threads on small chunks
 * give exactly the counts and the text of one thread. */
TEST(phrases_threads_match_one_thread)
{
    corpus c;
    char path[HARNESS_PATH_MAX];
    w2v_err err;
    char *text = random_text(3000, 5);
    REQUIRE(text != NULL);
    open_text(&c, text, path);
    free(text);
    phrase_model one, many;
    phrase_stats st;
    phrase_count_config cfg = {3, 1, 0, 0};
    REQUIRE_MSG(phrase_count(&one, &c, &cfg, &st, &err) == 0, "%s", err.msg);
    REQUIRE(phrase_select(&one, PHRASE_SCORE_DEFAULT, 1.0, &err) > 0);
    char *base = NULL;
    size_t size;
    int64_t joined_one = 0, joined;
    FILE *fp = open_memstream(&base, &size);
    REQUIRE(fp != NULL);
    REQUIRE_MSG(phrase_write(&one, &c, &one_writer, fp, "m", &joined_one,
                             &err) == 0, "%s", err.msg);
    fclose(fp);
    CHECK(joined_one > 0);
    const int threads[] = {2, 3, 7};
    for (int t = 0; t < 3; t++) {
        phrase_count_config more = {3, threads[t], 1, 0};
        REQUIRE_MSG(phrase_count(&many, &c, &more, &st, &err) == 0, "%s",
                    err.msg);
        CHECK(st.threads == threads[t]);
        CHECK(phrase_select(&many, PHRASE_SCORE_DEFAULT, 1.0, &err) ==
              one.pairs.size);
        for (int64_t s = 0; s < one.pairs.n_slots; s++) {
            const pair_slot *p = &one.pairs.slots[s];
            if (p->key == PAIR_SLOT_EMPTY)
                continue;
            const char *a = one.words.words[p->key >> 32];
            const char *b = one.words.words[(uint32_t)p->key];
            CHECK(pair(&many, a, b) == p->count);
        }
        /* writing chunks of 997 bytes: most start inside a token */
        const phrase_write_config chunks = {threads[t], 997};
        char *text_many = NULL;
        fp = open_memstream(&text_many, &size);
        REQUIRE(fp != NULL);
        CHECK_MSG(phrase_write(&many, &c, &chunks, fp, "m", &joined,
                               &err) == 0, "%s", err.msg);
        fclose(fp);
        CHECK(text_many && strcmp(base, text_many) == 0);
        CHECK(joined == joined_one);
        free(text_many);
        phrase_model_free(&many);
    }
    free(base);
    phrase_model_free(&one);
    corpus_close(&c);
    unlink(path);
}

/* A bound on the pairs prunes the rare ones and says so. */
TEST(phrases_max_vocab_prunes_pairs)
{
    corpus c;
    char path[HARNESS_PATH_MAX];
    w2v_err err;
    char *text = random_text(500, 9);
    REQUIRE(text != NULL);
    open_text(&c, text, path);
    free(text);
    phrase_model m;
    phrase_stats st;
    phrase_count_config unbounded = {1, 1, 0, 0}, bounded = {1, 1, 0, 20};
    REQUIRE_MSG(phrase_count(&m, &c, &unbounded, &st, &err) == 0, "%s",
                err.msg);
    CHECK(st.pair_reductions == 0 && st.pairs_counted > 20);
    int64_t new_york = pair(&m, "new", "york");
    phrase_model_free(&m);
    REQUIRE_MSG(phrase_count(&m, &c, &bounded, &st, &err) == 0, "%s",
                err.msg);
    CHECK(!st.words_limited); /* 10 words: only the pairs are bounded */
    CHECK(st.pair_reductions > 0);
    CHECK(st.pairs_pruned_below >= 2);
    CHECK(st.pairs_counted < 20);
    CHECK(pair(&m, "new", "york") > 0 && pair(&m, "new", "york") <= new_york);
    phrase_model_free(&m);
    corpus_close(&c);
    unlink(path);
}
