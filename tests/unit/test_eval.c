/* test_eval.c - nearest neighbours, 3CosAdd / 3CosMul, the batched analogy
 * evaluation against a brute-force reference, and Spearman with ties. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "eval.h"
#include "harness.h"

/* Writes text to a new temporary file, its name in path[HARNESS_PATH_MAX]. */
static void temp_text(char *path, const char *text)
{
    harness_write_temp(path, "eval", text, strlen(text));
}

/* Loads text as a vector file into v and normalizes it; ends the test as
 * failed when it does not load. */
static void load_unit(const char *text, vectors *v)
{
    w2v_err err;
    char path[HARNESS_PATH_MAX];
    temp_text(path, text);
    int rc = vectors_load(path, VEC_TEXT, 0, v, &err);
    unlink(path);
    REQUIRE_MSG(rc == 0, "%s", err.msg);
    eval_normalize(v, &kernel_scalar);
}

TEST(eval_spearman_ties_by_hand)
{
    /* ranks x: 1 2.5 2.5 4, y: 1 3 2 4 -> 4.5 / sqrt(4.5 * 5) */
    double x[] = {1, 2, 2, 3}, y[] = {10, 30, 20, 40}, rho;
    CHECK(eval_spearman(x, y, 4, &rho, NULL) == 0);
    CHECK_NEAR(rho, 4.5 / sqrt(22.5), 1e-12);
    double up[] = {1, 2, 3, 4}, down[] = {4, 3, 2, 1};
    CHECK(eval_spearman(up, down, 4, &rho, NULL) == 0);
    CHECK_NEAR(rho, -1.0, 1e-12);
    /* both sides tied: x 1.5 1.5 3 4 5 vs y 1 2 4 4 4 */
    double a[] = {0, 0, 1, 2, 3}, b[] = {1, 2, 5, 5, 5};
    CHECK(eval_spearman(a, b, 5, &rho, NULL) == 0);
    /* dx = -1.5 -1.5 0 1 2, dy = -2 -1 1 1 1: 7.5 / sqrt(9.5 * 8) */
    CHECK_NEAR(rho, 7.5 / sqrt(76.0), 1e-12);
    double c[] = {7, 7, 7};
    CHECK(eval_spearman(c, x, 3, &rho, NULL) == 0 && isnan(rho));
    CHECK(eval_spearman(x, y, 1, &rho, NULL) == 0 && isnan(rho));
}

TEST(eval_nearest_ties_and_exclusion)
{
    vectors v;
    /* rows 1 and 2 are the same direction: a tie, broken by the row */
    load_unit("5 2\nq 1 0\nb 2 1\nc 4 2\nd 1 1\ne 0 1\n", &v);
    eval_hit hits[3];
    int64_t self = 0;
    int n = eval_nearest(&kernel_scalar, &v, 0, EVAL_ADD, v.data, &self, 1,
                         3, hits);
    CHECK(n == 3);
    CHECK(hits[0].row == 1 && hits[1].row == 2 && hits[2].row == 3);
    CHECK_NEAR(hits[0].score, 2 / sqrt(5.0), 1e-6);
    CHECK(hits[0].score == hits[1].score);
    /* restricted to the first 2 rows only one answer is left */
    n = eval_nearest(&kernel_scalar, &v, 2, EVAL_ADD, v.data, &self, 1, 3,
                     hits);
    CHECK(n == 1 && hits[0].row == 1);
    vectors_free(&v);
}

/* a = e1, b = e2, c = e3.  x1 has cosines (0, 0.7, -0.5) with (a, b, c),
 * x2 (0, 0.1, 0.05).  3CosAdd: 0.2 vs 0.15 -> x1.  3CosMul:
 * 0.85 * 0.25 / 0.501 = 0.424 vs 0.55 * 0.525 / 0.501 = 0.576 -> x2. */
static const char add_vs_mul[] =
    "5 5\n"
    "a 1 0 0 0 0\n"
    "b 0 1 0 0 0\n"
    "c 0 0 1 0 0\n"
    "x1 0 0.7 -0.5 0.509901951 0\n"
    "x2 0 0.1 0.05 0 0.993730346\n";

TEST(eval_add_and_mul_disagree)
{
    vectors v;
    load_unit(add_vs_mul, &v);
    int64_t in[3] = {0, 1, 2};
    float query[15];
    eval_hit hits[2];
    for (int j = 0; j < 5; j++)
        query[j] = v.data[16 + j] - v.data[j] + v.data[32 + j];
    int n = eval_nearest(&kernel_scalar, &v, 0, EVAL_ADD, query, in, 3, 2,
                         hits);
    CHECK(n == 2 && hits[0].row == 3 && hits[1].row == 4);
    CHECK_NEAR(hits[0].score, 0.2, 1e-6);
    for (int i = 0; i < 3; i++)
        memcpy(query + 5 * i, v.data + 16 * i, 5 * sizeof(float));
    n = eval_nearest(&kernel_scalar, &v, 0, EVAL_MUL, query, in, 3, 2, hits);
    CHECK(n == 2 && hits[0].row == 4 && hits[1].row == 3);
    CHECK_NEAR(hits[0].score, 0.55 * 0.525 / 0.501, 1e-5);
    CHECK_NEAR(hits[1].score, 0.85 * 0.25 / 0.501, 1e-5);

    /* the same through the batched evaluation */
    eval_vocab ev;
    analogy_set set;
    w2v_err err;
    char qpath[HARNESS_PATH_MAX];
    temp_text(qpath, ": one\na b c x1\na b c x2\n");
    REQUIRE(eval_vocab_init(&ev, &v, 0, 1, &err) == 0);
    REQUIRE(analogy_read(qpath, &ev, &set, &err) == 0);
    REQUIRE(set.n_questions == 2 && set.n_sections == 1);
    CHECK(analogy_evaluate(&kernel_scalar, &ev, &set, EVAL_ADD, 1, &err) == 0);
    CHECK(set.questions[0].correct == 1 && set.questions[1].correct == 0);
    CHECK(analogy_evaluate(&kernel_scalar, &ev, &set, EVAL_MUL, 2, &err) == 0);
    CHECK(set.questions[0].correct == 0 && set.questions[1].correct == 1);
    CHECK(set.sections[0].answered == 2 && set.sections[0].correct == 1);
    unlink(qpath);
    analogy_free(&set);
    eval_vocab_free(&ev);
    vectors_free(&v);
}

TEST(eval_case_folding_and_restrict)
{
    vectors v;
    /* "paris" (row 1) is the frequent variant of "Paris" (row 5) */
    load_unit("7 3\nthe 1 1 1\nparis 1 0 0\nfrance 0 1 0\n"
              "athens 1 0 0.1\ngreece 0 1 0.1\nParis 1 0 0.01\n"
              "rome 0.9 0.1 0\n", &v);
    eval_vocab ev;
    w2v_err err;
    REQUIRE(eval_vocab_init(&ev, &v, 0, 1, &err) == 0);
    CHECK(eval_vocab_find(&ev, "PARIS") == 1);
    CHECK(eval_vocab_find(&ev, "Paris") == 1 && ev.canon[5] == 1);
    CHECK(eval_vocab_find(&ev, "Rome") == 6);
    eval_vocab_free(&ev);
    REQUIRE(eval_vocab_init(&ev, &v, 0, 0, &err) == 0);
    CHECK(eval_vocab_find(&ev, "Paris") == 5 && ev.canon[5] == 5);
    CHECK(eval_vocab_find(&ev, "PARIS") == -1);
    eval_vocab_free(&ev);
    REQUIRE(eval_vocab_init(&ev, &v, 5, 1, &err) == 0);
    CHECK(eval_vocab_find(&ev, "rome") == -1 && ev.rows == 5);
    eval_vocab_free(&ev);

    /* A question before any section is an error naming the line. */
    char qpath[HARNESS_PATH_MAX];
    temp_text(qpath, "greece athens france paris\n");
    analogy_set set;
    REQUIRE(eval_vocab_init(&ev, &v, 0, 1, &err) == 0);
    CHECK(analogy_read(qpath, &ev, &set, &err) == -1);
    CHECK(strstr(err.msg, "line 1: question before") != NULL);
    eval_vocab_free(&ev);
    unlink(qpath);
    /* q0: athens - greece + france is nearest "paris" (row 1), then "Paris"
     * (row 5).  q1: france - greece + Paris is nearest "Paris" (row 5), then
     * "paris" (row 1), then "rome".  Case-insensitively both are right: q0's
     * PARIS is row 1, and in q1 both variants of the input PARIS are passed
     * over.  Case-sensitively both are wrong: q0 wants row 5 and gets row 1,
     * q1 excludes only row 5 and gets "paris". */
    temp_text(qpath, ": capital\r\ngreece athens france Paris\r\n\r\n"
                     ": gram-x\ngreece france Paris rome\n"
                     "no such words here\n");
    for (int fold = 0; fold <= 1; fold++) {
        REQUIRE(eval_vocab_init(&ev, &v, 0, fold, &err) == 0);
        REQUIRE(analogy_read(qpath, &ev, &set, &err) == 0);
        REQUIRE(set.n_sections == 2 && set.n_questions == 3);
        CHECK(set.sections[1].syntactic && !set.sections[0].syntactic);
        CHECK(set.questions[2].a < 0 && set.sections[1].total == 2);
        CHECK(analogy_evaluate(&kernel_scalar, &ev, &set, EVAL_ADD, 1,
                               &err) == 0);
        CHECK_MSG(set.questions[0].correct == fold, "fold %d", fold);
        CHECK_MSG(set.questions[1].correct == fold, "fold %d", fold);
        analogy_free(&set);
        eval_vocab_free(&ev);
    }
    /* restricted to the first 6 rows, "rome" is unknown: q1 not covered */
    REQUIRE(eval_vocab_init(&ev, &v, 6, 1, &err) == 0);
    REQUIRE(analogy_read(qpath, &ev, &set, &err) == 0);
    REQUIRE(set.n_questions == 3);
    CHECK(set.questions[0].a >= 0 && set.questions[1].a < 0);
    analogy_free(&set);
    eval_vocab_free(&ev);
    unlink(qpath);
    vectors_free(&v);
}

/* ---- batched evaluation against a brute-force reference ---- */

static uint64_t lcg(uint64_t *s)
{
    *s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
    return *s >> 33;
}

/* Brute force in double: every candidate row of the first `rows` scored,
 * kept best first by insertion, the rule of eval.h applied: the predicted
 * canonical row. */
static int64_t reference_prediction(const vectors *v, const eval_vocab *ev,
                             const analogy_question *q, eval_method m)
{
    int64_t rows = ev->rows, best[EVAL_ANALOGY_TOPN];
    double best_score[EVAL_ANALOGY_TOPN];
    int n = 0;
    for (int64_t r = 0; r < rows; r++) {
        if (r == q->a || r == q->b || r == q->c)
            continue;
        double cos[3] = {0, 0, 0};
        const int64_t in[3] = {q->a, q->b, q->c};
        for (int t = 0; t < 3; t++)
            for (int64_t j = 0; j < v->dim; j++)
                cos[t] += (double)v->data[in[t] * v->stride + j] *
                          v->data[r * v->stride + j];
        double s = m == EVAL_ADD
                       ? cos[1] - cos[0] + cos[2]
                       : (cos[1] + 1) / 2 * ((cos[2] + 1) / 2) /
                             ((cos[0] + 1) / 2 + 0.001);
        int pos = n < EVAL_ANALOGY_TOPN ? n++ : EVAL_ANALOGY_TOPN;
        while (pos > 0 && best_score[pos - 1] < s) {
            if (pos < EVAL_ANALOGY_TOPN) {
                best[pos] = best[pos - 1];
                best_score[pos] = best_score[pos - 1];
            }
            pos--;
        }
        if (pos < EVAL_ANALOGY_TOPN) {
            best[pos] = r;
            best_score[pos] = s;
        }
    }
    int64_t p = -1;
    for (int h = 0; h < n; h++) {
        p = ev->canon[best[h]];
        if (p != q->a && p != q->b && p != q->c)
            break;
    }
    return p;
}

TEST(eval_batched_matches_brute_force)
{
    /* 700 words in 3 case variants ("wN", "WN" rarer), 24 dimensions, 600
     * random questions, 500 of them over the first `restrict` rows */
    enum { WORDS = 700, DIM = 24, QUESTIONS = 600 };
    size_t cap = (size_t)WORDS * (DIM * 12 + 16) + 64;
    char *text = malloc(cap), *qtext = malloc(QUESTIONS * 48 + 64);
    REQUIRE(text && qtext);
    uint64_t seed = 42;
    size_t len = (size_t)sprintf(text, "%d %d\n", WORDS, DIM);
    for (int i = 0; i < WORDS; i++) {
        len += (size_t)sprintf(text + len, "%c%d", i % 7 == 6 ? 'W' : 'w',
                               i % 7 == 6 ? i - 3 : i);
        for (int j = 0; j < DIM; j++)
            len += (size_t)sprintf(text + len, " %.5f",
                                   (double)lcg(&seed) / 2147483648.0 - 0.5);
        text[len++] = '\n';
    }
    text[len] = '\0';
    /* each question word is a random row's word, its first letter's case
     * flipped one time in five */
    size_t qlen = (size_t)sprintf(qtext, ": first\n");
    for (int i = 0; i < QUESTIONS; i++) {
        if (i == QUESTIONS / 2)
            qlen += (size_t)sprintf(qtext + qlen, ": gram-second\n");
        for (int t = 0; t < 4; t++) {
            int r = (int)(lcg(&seed) % WORDS);
            int upper = (r % 7 == 6) != (lcg(&seed) % 5 == 0);
            qlen += (size_t)sprintf(qtext + qlen, "%c%d%c", upper ? 'W' : 'w',
                                    r % 7 == 6 ? r - 3 : r,
                                    t == 3 ? '\n' : ' ');
        }
    }
    vectors v;
    load_unit(text, &v);
    char qpath[HARNESS_PATH_MAX];
    temp_text(qpath, qtext);
    for (int fold = 0; fold <= 1; fold++)
        for (int mi = 0; mi <= 1; mi++) {
            eval_method m = mi ? EVAL_MUL : EVAL_ADD;
            eval_vocab ev;
            analogy_set set;
            w2v_err err;
            REQUIRE(eval_vocab_init(&ev, &v, 600, fold, &err) == 0);
            REQUIRE(analogy_read(qpath, &ev, &set, &err) == 0);
            CHECK(analogy_evaluate(&kernel_scalar, &ev, &set, m, 3, &err) ==
                  0);
            int64_t answered = 0, mismatches = 0, correct = 0;
            for (int64_t i = 0; i < set.n_questions; i++) {
                const analogy_question *q = &set.questions[i];
                if (q->a < 0)
                    continue;
                answered++;
                correct += q->correct;
                mismatches += q->predicted != reference_prediction(&v, &ev, q, m);
                CHECK(q->correct == (q->predicted == q->expected));
            }
            CHECK_MSG(mismatches == 0, "fold %d method %d: %lld of %lld "
                      "answers differ from brute force", fold, mi,
                      (long long)mismatches, (long long)answered);
            CHECK(answered > 50);
            CHECK(correct < answered);
            CHECK(set.sections[0].answered + set.sections[1].answered ==
                  answered);
            analogy_free(&set);
            eval_vocab_free(&ev);
        }
    unlink(qpath);
    vectors_free(&v);
    free(text);
    free(qtext);
}

TEST(eval_similarity_file)
{
    vectors v;
    load_unit("4 2\na 1 0\nb 1 1\nc 0 1\nD -1 0\n", &v);
    eval_vocab ev;
    w2v_err err;
    REQUIRE(eval_vocab_init(&ev, &v, 0, 1, &err) == 0);
    /* cosines: a-b 0.707, a-c 0, a-d -1; gold agrees in rank order */
    char path[HARNESS_PATH_MAX];
    temp_text(path, "word1\tword2\tscore\r\n# comment\n"
                    "a b 9\r\n\nA\tc\t5\na d 1\nx a 3\n"
                    "  # indented comment\na\tb\t9");
    similarity_result res;
    CHECK(eval_similarity(&kernel_scalar, &ev, path, 0, &res, &err) == 0);
    CHECK(res.pairs == 5 && res.used == 4);
    /* gold 9 5 1 9 (ties) vs cosine .707 0 -1 .707 -> rho = 1 */
    CHECK_NEAR(res.spearman, 1.0, 1e-12);
    unlink(path);
    temp_text(path, "a b 1\na c x\n");
    CHECK(eval_similarity(&kernel_scalar, &ev, path, 0, &res, &err) == -1);
    CHECK(strstr(err.msg, "line 2: score 'x' is not a number") != NULL);
    unlink(path);
    temp_text(path, "a b\n");
    CHECK(eval_similarity(&kernel_scalar, &ev, path, '\t', &res, &err) == -1);
    CHECK(strstr(err.msg, "line 1: expected 3 fields") != NULL);
    unlink(path);
    eval_vocab_free(&ev);
    vectors_free(&v);
}
