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

TEST(vocab_count_prunes_at_max_vocab)
{
    /* 6 distinct words; with max 4 the singletons go first */
    char path[HARNESS_PATH_MAX];
    write_file(path, "a a a b b c d e f a b");
    corpus c;
    vocab v;
    vocab_stats st;
    w2v_err err;
    REQUIRE(corpus_open(&c, path, NULL, &err) == 0);
    REQUIRE(vocab_init(&v, &err) == 0);
    vocab_count_config one_thread = {.threads = 1, .max_vocab = 4};
    REQUIRE(vocab_count(&v, &c, &one_thread, &st, &err) == 0);
    CHECK(st.tokens == 11);
    CHECK(st.reductions >= 1);
    CHECK(vocab_find(&v, "a", 1) >= 0 && vocab_find(&v, "b", 1) >= 0);
    CHECK(v.size < 4);
    vocab_free(&v);
    corpus_close(&c);
    unlink(path);
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
