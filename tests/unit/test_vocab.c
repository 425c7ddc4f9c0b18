/* test_vocab.c - counting, ordering, pruning, save/read. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"
#include "vocab.h"

static int64_t add(vocab *v, const char *w, int64_t n)
{
    w2v_err err;
    return vocab_add(v, w, (int)strlen(w), n, &err);
}

TEST(vocab_sorted_by_count_then_bytes)
{
    vocab v;
    w2v_err err;
    REQUIRE(vocab_init(&v, &err) == 0);
    add(&v, "b", 3);
    add(&v, "ab", 3);
    add(&v, "a", 3);
    add(&v, "z", 7);
    add(&v, "rare", 1);
    add(&v, "b", 1); /* b: 4 */
    REQUIRE(vocab_finalize(&v, 2, &err) == 0);
    REQUIRE(v.size == 4);
    CHECK(strcmp(v.words[0], "z") == 0);
    CHECK(strcmp(v.words[1], "b") == 0);
    CHECK(strcmp(v.words[2], "a") == 0);  /* ties: byte order, */
    CHECK(strcmp(v.words[3], "ab") == 0); /* prefix first */
    CHECK(v.total == 7 + 4 + 3 + 3);
    CHECK(vocab_find(&v, "ab", 2) == 3);
    CHECK(vocab_find(&v, "rare", 4) == -1);
    vocab_free(&v);
}

/* Slots key on (hash, length), the length saturated at 255 bytes: words
 * that share a prefix or differ only in length are told apart at every
 * length, past the saturation too. */
TEST(vocab_lengths_and_prefixes)
{
    vocab v;
    w2v_err err;
    char w[301];
    memset(w, 'x', sizeof w - 1);
    w[300] = '\0';
    REQUIRE(vocab_init(&v, &err) == 0);
    for (int len = 1; len <= 300; len++)
        CHECK(vocab_add(&v, w, len, len, &err) == len - 1);
    CHECK(add(&v, "abcdefgh", 1) == 300);
    CHECK(add(&v, "abcdefghi", 1) == 301);
    CHECK(add(&v, "abcdefgi", 1) == 302);
    for (int len = 1; len <= 300; len++) {
        CHECK(vocab_find(&v, w, len) == len - 1);
        CHECK(v.counts[len - 1] == len);
    }
    CHECK(vocab_find(&v, "abcdefgh", 8) == 300);
    CHECK(vocab_find(&v, "abcdefghi", 9) == 301);
    CHECK(vocab_find(&v, "abcdefgi", 8) == 302);
    CHECK(vocab_find(&v, "abcdefg", 7) == -1);
    CHECK(vocab_find(&v, "abcdefghij", 10) == -1);
    vocab_free(&v);
}

TEST(vocab_many_words_grow_table)
{
    vocab v;
    w2v_err err;
    char w[32];
    REQUIRE(vocab_init(&v, &err) == 0);
    for (int i = 0; i < 100000; i++) {
        snprintf(w, sizeof w, "w%d", i);
        add(&v, w, 1 + i % 7);
    }
    CHECK(v.size == 100000);
    int found = 0;
    for (int i = 0; i < 100000; i++) {
        snprintf(w, sizeof w, "w%d", i);
        int64_t id = vocab_find(&v, w, (int)strlen(w));
        found += id >= 0 && v.counts[id] == 1 + i % 7;
    }
    CHECK(found == 100000);
    vocab_free(&v);
}

/* Writes text to a new temporary file, its name in path[HARNESS_PATH_MAX]. */
static void write_file(char *path, const char *text)
{
    harness_write_temp(path, "test-vocab", text, strlen(text));
}

/* Counts the file at path with the given bound (max_vocab 0 = none) and
 * table slack (0 = the default), forcing `threads` ranges however short;
 * returns vocab_count's status. */
static int count_file(vocab *v, const char *path, int threads,
                      int64_t max_vocab, int64_t slack, vocab_stats *st)
{
    corpus c;
    w2v_err err;
    if (corpus_open(&c, path, NULL, &err))
        return -1;
    vocab_count_config cfg = {.threads = threads, .min_range_bytes = 1,
                              .max_vocab = max_vocab, .table_slack = slack};
    int rc = vocab_init(v, &err) || vocab_count(v, &c, &cfg, st, &err);
    if (rc)
        fprintf(stderr, "count_file: %s\n", err.msg);
    corpus_close(&c);
    return rc ? -1 : 0;
}

/* The exact vocabulary of the file: one unbounded thread, finalized. */
static int exact_vocab(vocab *v, const char *path, vocab_stats *st)
{
    w2v_err err;
    return count_file(v, path, 1, 0, 0, st) || vocab_finalize(v, 1, &err);
}

/* Checks what a bounded count must give against the exact vocabulary:
 * at most max_vocab words, in vocab_finalize order, each with its exact
 * count, and among them every word seen more than tokens / (max_vocab+1)
 * times. */
static void check_bounded(const vocab *got, const vocab *exact,
                          int64_t max_vocab, int64_t tokens, const char *what)
{
    int64_t above = tokens / (max_vocab + 1);
    CHECK_MSG(got->size <= max_vocab, "%s: %lld words kept, max %lld", what,
              (long long)got->size, (long long)max_vocab);
    for (int64_t id = 0; id < got->size; id++) {
        int64_t e = vocab_find(exact, got->words[id], got->lens[id]);
        CHECK_MSG(e >= 0 && exact->counts[e] == got->counts[id],
                  "%s: '%s' counted %lld, truly %lld", what, got->words[id],
                  (long long)got->counts[id],
                  (long long)(e >= 0 ? exact->counts[e] : 0));
        if (id > 0) {
            int sorted = got->counts[id - 1] > got->counts[id] ||
                         (got->counts[id - 1] == got->counts[id] &&
                          strcmp(got->words[id - 1], got->words[id]) < 0);
            CHECK_MSG(sorted, "%s: '%s' before '%s'", what,
                      got->words[id - 1], got->words[id]);
        }
    }
    for (int64_t e = 0; e < exact->size && exact->counts[e] > above; e++)
        CHECK_MSG(vocab_find(got, exact->words[e], exact->lens[e]) >= 0,
                  "%s: '%s' (seen %lld times, more than %lld) was dropped",
                  what, exact->words[e], (long long)exact->counts[e],
                  (long long)above);
}

/* Words of `a` and `b` that agree (word and count) at the same id. */
static int64_t same_words(const vocab *a, const vocab *b)
{
    int64_t same = 0;
    for (int64_t i = 0; i < a->size && i < b->size; i++)
        same += strcmp(a->words[i], b->words[i]) == 0 &&
                a->counts[i] == b->counts[i];
    return same;
}

/* A text being built word by word, 16 words a line. */
typedef struct text {
    char *s;
    size_t len, cap;
    int64_t words;
} text;

static void text_add(text *t, const char *word)
{
    size_t n = strlen(word);
    if (t->len + n + 2 > t->cap) {
        t->cap = 2 * (t->len + n + 2);
        t->s = realloc(t->s, t->cap);
        REQUIRE(t->s != NULL);
    }
    memcpy(t->s + t->len, word, n);
    t->len += n;
    t->s[t->len++] = ++t->words % 16 ? ' ' : '\n';
    t->s[t->len] = '\0';
}

/* Writes the text to a new temporary file named in path[HARNESS_PATH_MAX]
 * and empties it. */
static void text_save(text *t, char *path)
{
    write_file(path, t->s ? t->s : "");
    free(t->s);
    memset(t, 0, sizeof *t);
}

/* Heavy words h0..h9 seen 3000..3009 times among 2000 words seen once and
 * 300 seen twice, shuffled: 32645 tokens, so every heavy word is above
 * the guarantee of -max-vocab 10 (32645 / 11 = 2967) and the ten of them
 * are the exact top 10, while the 2310 distinct words force reductions. */
static void heavy_hitter_stream(char *path)
{
    enum { HEAVY = 10, ONCE = 2000, TWICE = 300 };
    int64_t n = 0;
    int *ids = malloc(sizeof *ids * 40000);
    REQUIRE(ids != NULL);
    for (int h = 0; h < HEAVY; h++)
        for (int k = 0; k < 3000 + h; k++)
            ids[n++] = h;
    for (int i = 0; i < ONCE + TWICE; i++)
        for (int k = 0; k < (i < ONCE ? 1 : 2); k++)
            ids[n++] = HEAVY + i;
    uint64_t rng = 88172645463325252ull;
    for (int64_t i = n - 1; i > 0; i--) {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        int64_t j = (int64_t)(rng % (uint64_t)(i + 1));
        int t = ids[i];
        ids[i] = ids[j];
        ids[j] = t;
    }
    text t = {0};
    char w[32];
    for (int64_t i = 0; i < n; i++) {
        snprintf(w, sizeof w, ids[i] < HEAVY ? "h%d" : "n%d", ids[i]);
        text_add(&t, w);
    }
    free(ids);
    text_save(&t, path);
}

static const int thread_counts[] = {1, 2, 3, 7};
enum { N_THREAD_COUNTS = sizeof thread_counts / sizeof thread_counts[0] };

/* The heavy hitters come out exactly: the kept set is the exact top 10
 * with exact counts, for every thread count and table slack (1: a
 * reduction at every new word once full), with reductions and a second
 * pass reported. */
TEST(vocab_max_vocab_keeps_exact_top_heavy_hitters)
{
    char path[HARNESS_PATH_MAX];
    vocab exact;
    vocab_stats st;
    heavy_hitter_stream(path);
    REQUIRE(exact_vocab(&exact, path, &st) == 0);
    CHECK(st.tokens == 32645 && exact.size == 2310);
    CHECK(strcmp(exact.words[0], "h9") == 0 && exact.counts[9] == 3000);
    static const int64_t slacks[] = {0, 1, 7};
    for (size_t s = 0; s < sizeof slacks / sizeof slacks[0]; s++)
        for (int t = 0; t < N_THREAD_COUNTS; t++) {
            vocab got;
            char what[64];
            snprintf(what, sizeof what, "slack %lld, %d threads",
                     (long long)slacks[s], thread_counts[t]);
            CHECK(count_file(&got, path, thread_counts[t], 10, slacks[s],
                             &st) == 0);
            check_bounded(&got, &exact, 10, st.tokens, what);
            CHECK_MSG(got.size == 10 && same_words(&got, &exact) == 10,
                      "%s: %lld words, %lld of the top 10", what,
                      (long long)got.size,
                      (long long)same_words(&got, &exact));
            CHECK_MSG(st.limited && st.reductions > 0 && st.kept == 10 &&
                      st.cut_count == 3000 && st.guaranteed_above == 2967 &&
                      st.candidates >= 10 &&
                      st.candidates < 10 + (slacks[s] ? slacks[s] : 1024) &&
                      st.threads == thread_counts[t],
                      "%s: stats %d %lld %lld %lld %lld %lld", what,
                      st.limited, (long long)st.reductions, (long long)st.kept,
                      (long long)st.cut_count, (long long)st.guaranteed_above,
                      (long long)st.candidates);
            vocab_free(&got);
        }
    vocab_free(&exact);
    unlink(path);
}

/* A word seen one time more than tokens / (max_vocab+1) survives the
 * schedule worst for it: with max_vocab 2 and a reduction at every third
 * distinct word, "w a_i b_i" blocks empty the table each time (w is seen
 * exactly tokens/3 times there); one more w puts it just above. */
TEST(vocab_max_vocab_word_just_above_the_guarantee_survives)
{
    enum { BLOCKS = 3000 };
    char path[HARNESS_PATH_MAX], w[32];
    text t = {0};
    for (int i = 0; i < BLOCKS; i++) {
        text_add(&t, "w");
        snprintf(w, sizeof w, "a%d", i);
        text_add(&t, w);
        snprintf(w, sizeof w, "b%d", i);
        text_add(&t, w);
    }
    text_add(&t, "w");
    text_save(&t, path);
    vocab exact;
    vocab_stats st;
    REQUIRE(exact_vocab(&exact, path, &st) == 0);
    CHECK(st.tokens == 3 * BLOCKS + 1 && exact.counts[0] == BLOCKS + 1);
    for (int slack = 1; slack <= 2; slack++)
        for (int th = 0; th < N_THREAD_COUNTS; th++) {
            vocab got;
            char what[64];
            snprintf(what, sizeof what, "slack %d, %d threads", slack,
                     thread_counts[th]);
            CHECK(count_file(&got, path, thread_counts[th], 2, slack,
                             &st) == 0);
            check_bounded(&got, &exact, 2, st.tokens, what);
            int64_t id = vocab_find(&got, "w", 1);
            CHECK_MSG(id == 0 && got.counts[0] == BLOCKS + 1,
                      "%s: w at %lld", what, (long long)id);
            CHECK(st.guaranteed_above == BLOCKS && st.reductions > 0);
            vocab_free(&got);
        }
    vocab_free(&exact);
    unlink(path);
}

/* -max-vocab 1 finds a majority word and -max-vocab 2 two words each
 * above a third, placed as far apart as the stream allows, with the
 * default slack and the smallest one. */
TEST(vocab_max_vocab_one_and_two)
{
    enum { NOISE = 3000 };
    char path[HARNESS_PATH_MAX], w[32];
    for (int n = 1; n <= 2; n++) {
        text t = {0};
        for (int i = 0; i < NOISE; i++) {
            text_add(&t, "x");
            if (n == 2)
                text_add(&t, "y");
            snprintf(w, sizeof w, "n%d", i);
            text_add(&t, w);
        }
        text_add(&t, "x");
        if (n == 2)
            text_add(&t, "y");
        text_save(&t, path);
        vocab exact;
        vocab_stats st;
        REQUIRE(exact_vocab(&exact, path, &st) == 0);
        for (int slack = 0; slack <= 1; slack++)
            for (int th = 0; th < N_THREAD_COUNTS; th++) {
                vocab got;
                char what[64];
                snprintf(what, sizeof what, "max %d, slack %d, %d threads", n,
                         slack, thread_counts[th]);
                CHECK(count_file(&got, path, thread_counts[th], n, slack,
                                 &st) == 0);
                check_bounded(&got, &exact, n, st.tokens, what);
                CHECK_MSG(got.size == n && same_words(&got, &exact) == n,
                          "%s: %lld words", what, (long long)got.size);
                CHECK(st.reductions > 0 && st.kept == n &&
                      st.cut_count == NOISE + 1);
                vocab_free(&got);
            }
        vocab_free(&exact);
        unlink(path);
    }
}

/* Without pruning nothing changes: a bound at or above the distinct words
 * gives exactly the unbounded vocabulary in one pass; one below keeps
 * exactly the top of it (ties cut in byte order), still in one pass as
 * no table reached its limit. */
TEST(vocab_max_vocab_at_or_above_distinct_words_is_unbounded)
{
    char path[HARNESS_PATH_MAX];
    write_file(path, "a a a b b c d e f a b\nf e\n");
    vocab exact, got;
    vocab_stats st;
    w2v_err err;
    REQUIRE(exact_vocab(&exact, path, &st) == 0);
    CHECK(exact.size == 6);
    static const int64_t bounds[] = {6, 7, 1000000};
    for (size_t b = 0; b < sizeof bounds / sizeof bounds[0]; b++)
        for (int th = 0; th < N_THREAD_COUNTS; th++) {
            CHECK(count_file(&got, path, thread_counts[th], bounds[b], 0,
                             &st) == 0);
            CHECK(!st.limited && st.reductions == 0 && st.kept == 0);
            CHECK(vocab_finalize(&got, 1, &err) == 0);
            CHECK_MSG(got.size == 6 && same_words(&got, &exact) == 6,
                      "bound %lld, %d threads", (long long)bounds[b],
                      thread_counts[th]);
            vocab_free(&got);
        }
    /* a 3, b 3 (a first), then e 2, f 2, then c 1, d 1: 4 keeps a b e f */
    CHECK(count_file(&got, path, 2, 4, 0, &st) == 0);
    CHECK(st.limited && st.reductions == 0 && st.kept == 4 &&
          st.cut_count == 2);
    CHECK(got.size == 4 && same_words(&got, &exact) == 4);
    CHECK(vocab_find(&got, "c", 1) == -1);
    vocab_free(&got);
    vocab_free(&exact);
    unlink(path);
}

/* On natural-looking text (the bundled corpus, Zipf-like) the guarantee
 * holds for several bounds and thread counts, and the heavy part agrees
 * across thread counts. */
TEST(vocab_max_vocab_guarantee_on_bundled_corpus)
{
    const char *root = getenv("ROOT");
    char path[4096];
    snprintf(path, sizeof path, "%s/data/synthetic.txt", root ? root : ".");
    vocab exact;
    vocab_stats st;
    REQUIRE(exact_vocab(&exact, path, &st) == 0);
    static const int64_t bounds[] = {20, 300};
    for (size_t b = 0; b < sizeof bounds / sizeof bounds[0]; b++)
        for (int slack = 0; slack <= 1; slack++)
            for (int th = 0; th < N_THREAD_COUNTS; th++) {
                vocab got;
                char what[64];
                snprintf(what, sizeof what, "max %lld, slack %d, %d threads",
                         (long long)bounds[b], slack, thread_counts[th]);
                CHECK(count_file(&got, path, thread_counts[th], bounds[b],
                                 slack, &st) == 0);
                CHECK(st.reductions > 0 && st.kept == got.size);
                check_bounded(&got, &exact, bounds[b], st.tokens, what);
                vocab_free(&got);
            }
    vocab_free(&exact);
}

/* -max-final-vocab: min-count rises to one above the count at the cut, so
 * words tied there all go; a bound that is not reached changes nothing. */
TEST(vocab_finalize_at_most_raises_min_count)
{
    static const struct {
        int64_t min_count, max_words, size, used;
    } cases[] = {
        {1, 0, 6, 1},  /* no limit */
        {1, 6, 6, 1},  /* not reached */
        {1, 3, 3, 4},  /* a 5, b 4, c 4 | d 3 */
        {1, 2, 1, 5},  /* a | b 4, c 4 tied at the cut: both go */
        {1, 1, 1, 5},
        {4, 2, 1, 5},
        {5, 2, 1, 5},  /* min-count alone already keeps 1 */
        {1, 5, 4, 2},  /* e 1, f 1 tied at the cut: both go */
        {1, 4, 4, 2},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        vocab v;
        w2v_err err;
        int64_t used = -1;
        REQUIRE(vocab_init(&v, &err) == 0);
        add(&v, "e", 1);
        add(&v, "c", 4);
        add(&v, "a", 5);
        add(&v, "f", 1);
        add(&v, "b", 4);
        add(&v, "d", 3);
        REQUIRE(vocab_finalize_at_most(&v, cases[i].min_count,
                                       cases[i].max_words, &used, &err) == 0);
        CHECK_MSG(v.size == cases[i].size && used == cases[i].used,
                  "case %zu: %lld words, min-count %lld", i,
                  (long long)v.size, (long long)used);
        int64_t total = 0;
        for (int64_t id = 0; id < v.size; id++) {
            total += v.counts[id];
            CHECK(v.counts[id] >= used &&
                  vocab_find(&v, v.words[id], 1) == id);
        }
        CHECK(v.total == total);
        CHECK(v.size > 0 && strcmp(v.words[0], "a") == 0);
        vocab_free(&v);
    }
}

TEST(vocab_save_read_round_trip)
{
    vocab v, r;
    w2v_err err;
    REQUIRE(vocab_init(&v, &err) == 0);
    add(&v, "hello", 10);
    add(&v, "world", 5);
    add(&v, "caf\xc3\xa9", 5);
    REQUIRE(vocab_finalize(&v, 1, &err) == 0);
    char path[HARNESS_PATH_MAX];
    FILE *fp = harness_temp_file(path, "test-vocab");
    CHECK(vocab_save(&v, fp, path, &err) == 0);
    REQUIRE(fclose(fp) == 0);
    REQUIRE(vocab_init(&r, &err) == 0);
    REQUIRE(vocab_read(&r, path, &err) == 0);
    REQUIRE(vocab_finalize(&r, 1, &err) == 0);
    CHECK(r.size == v.size);
    for (int64_t i = 0; i < v.size && i < r.size; i++)
        CHECK(strcmp(v.words[i], r.words[i]) == 0 && v.counts[i] == r.counts[i]);
    vocab_free(&v);
    vocab_free(&r);
    unlink(path);
}

TEST(vocab_read_original_format_and_errors)
{
    char path[HARNESS_PATH_MAX];
    vocab v;
    w2v_err err;
    write_file(path, "</s> 0\nthe 100\r\nof 50\n");
    REQUIRE(vocab_init(&v, &err) == 0);
    CHECK(vocab_read(&v, path, &err) == 0);
    CHECK(v.size == 2 && vocab_find(&v, "</s>", 4) == -1);
    vocab_free(&v);
    unlink(path);
    write_file(path, "the 100\nbroken\n");
    REQUIRE(vocab_init(&v, &err) == 0);
    CHECK(vocab_read(&v, path, &err) == -1);
    CHECK_MSG(strstr(err.msg, ":2:") != NULL, "%s", err.msg);
    vocab_free(&v);
    unlink(path);
}

/* Counting with several threads, each on its own byte range (boundaries
 * falling inside words and lines), gives exactly the vocabulary of one
 * thread: the same words, counts and order.  The bundled corpus is small,
 * so the ranges are forced below the usual minimum. */
TEST(vocab_count_threads_match_one_thread)
{
    const char *root = getenv("ROOT");
    char path[4096];
    snprintf(path, sizeof path, "%s/data/synthetic.txt", root ? root : ".");
    corpus c;
    w2v_err err;
    REQUIRE(corpus_open(&c, path, NULL, &err) == 0);
    vocab one;
    vocab_stats st;
    REQUIRE(vocab_init(&one, &err) == 0);
    REQUIRE(vocab_count(&one, &c, &(vocab_count_config){.threads = 1}, &st,
                        &err) == 0);
    REQUIRE(vocab_finalize(&one, 1, &err) == 0);
    CHECK(st.threads == 1 && one.size > 1000);
    static const int threads[] = {2, 3, 7, 16};
    for (size_t t = 0; t < sizeof threads / sizeof threads[0]; t++) {
        vocab many;
        vocab_count_config cfg = {.threads = threads[t], .min_range_bytes = 1};
        REQUIRE(vocab_init(&many, &err) == 0);
        REQUIRE(vocab_count(&many, &c, &cfg, &st, &err) == 0);
        REQUIRE(vocab_finalize(&many, 1, &err) == 0);
        CHECK_MSG(st.threads == threads[t], "%d threads used, %d asked",
                  st.threads, threads[t]);
        CHECK(many.size == one.size && many.total == one.total);
        int64_t same = 0;
        for (int64_t i = 0; i < one.size && i < many.size; i++)
            same += strcmp(one.words[i], many.words[i]) == 0 &&
                    one.counts[i] == many.counts[i];
        CHECK_MSG(same == one.size, "%d threads: %lld of %lld words agree",
                  threads[t], (long long)same, (long long)one.size);
        vocab_free(&many);
    }
    vocab_free(&one);
    corpus_close(&c);
}
