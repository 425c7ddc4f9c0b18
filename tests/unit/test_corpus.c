/* test_corpus.c - token reader: ranges, separators, truncation. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "corpus.h"
#include "harness.h"

/* Writes the n bytes of text to a new temporary file (its name in
 * path[HARNESS_PATH_MAX]) and opens it as a corpus; ends the test as failed
 * when it cannot. */
static void open_text(corpus *c, const char *text, size_t n, char *path)
{
    harness_write_temp(path, "test-corpus", text, n);
    w2v_err err;
    REQUIRE_MSG(corpus_open(c, path, NULL, &err) == 0, "%s", err.msg);
}

/* Reads a range into out as "word|word|/|..." ('/' = sentence end). */
static void read_range(const corpus *c, int64_t b, int64_t e, char *out,
                       int64_t buf)
{
    token_reader r;
    w2v_err err;
    char word[W2V_MAX_WORD + 1];
    int len, got;
    REQUIRE_MSG(reader_init(&r, c, b, e, buf, &err) == 0, "%s", err.msg);
    while ((got = reader_next(&r, word, &len, &err)) > 0) {
        strcat(out, got == READ_WORD ? word : "/");
        strcat(out, "|");
    }
    reader_free(&r);
}

TEST(corpus_separators)
{
    static const char text[] = "a\tbb  c\r\nd\ve\ff\0g\n\nh";
    corpus c;
    char path[HARNESS_PATH_MAX], out[256] = "";
    open_text(&c, text, sizeof text - 1, path);
    read_range(&c, 0, c.size, out, 4);
    CHECK_MSG(strcmp(out, "a|bb|c|/|d|e|f|g|/|/|h|") == 0, "got %s", out);
    corpus_close(&c);
    unlink(path);
}

TEST(corpus_ranges_partition_tokens)
{
    /* every split point, any thread count: the ranges see each token once */
    static const char text[] = "the quick  brown\nfox jumps\n over the lazy dog";
    corpus c;
    char path[HARNESS_PATH_MAX], whole[512] = "";
    open_text(&c, text, sizeof text - 1, path);
    read_range(&c, 0, c.size, whole, 3);
    for (int n = 1; n <= 12; n++) {
        char joined[512] = "";
        for (int i = 0; i < n; i++)
            read_range(&c, corpus_range_start(&c, i, n),
                       corpus_range_start(&c, i + 1, n), joined, 5);
        CHECK_MSG(strcmp(joined, whole) == 0, "n=%d: %s vs %s", n, joined,
                  whole);
    }
    corpus_close(&c);
    unlink(path);
}

TEST(corpus_truncates_at_utf8_boundary)
{
    char text[400];
    /* 99 ASCII bytes then a 2-byte character: the character straddles the
     * 100-byte limit and is dropped whole */
    memset(text, 'a', 99);
    memcpy(text + 99, "\xc3\xa9xyz b ", 8);
    /* a plain 150-byte word is cut at exactly 100 bytes */
    memset(text + 107, 'z', 150);
    size_t n = 257;
    corpus c;
    char path[HARNESS_PATH_MAX];
    open_text(&c, text, n, path);
    token_reader r;
    w2v_err err;
    char word[W2V_MAX_WORD + 1];
    int len;
    REQUIRE(reader_init(&r, &c, 0, c.size, 7, &err) == 0);
    CHECK(reader_next(&r, word, &len, &err) == READ_WORD);
    CHECK(len == 99);
    CHECK(reader_next(&r, word, &len, &err) == READ_WORD);
    CHECK(len == 1 && word[0] == 'b');
    CHECK(reader_next(&r, word, &len, &err) == READ_WORD);
    CHECK(len == W2V_MAX_WORD && word[len] == '\0');
    CHECK(reader_next(&r, word, &len, &err) == READ_END);
    CHECK(r.truncated == 2);
    reader_free(&r);
    corpus_close(&c);
    unlink(path);
}

TEST(corpus_rewind_rereads)
{
    static const char text[] = "x y z";
    corpus c;
    char path[HARNESS_PATH_MAX];
    open_text(&c, text, sizeof text - 1, path);
    token_reader r;
    w2v_err err;
    char word[W2V_MAX_WORD + 1];
    int len, words = 0;
    REQUIRE(reader_init(&r, &c, 1, c.size, 2, &err) == 0);
    for (int pass = 0; pass < 3; pass++) {
        reader_rewind(&r);
        while (reader_next(&r, word, &len, &err) == READ_WORD)
            words++;
    }
    CHECK(words == 6); /* "y z" three times */
    reader_free(&r);
    corpus_close(&c);
    unlink(path);
}

TEST(corpus_open_errors)
{
    corpus c;
    w2v_err err;
    CHECK(corpus_open(&c, "/nonexistent/file", NULL, &err) == -1);
    CHECK(strstr(err.msg, "/nonexistent/file") != NULL);
    CHECK(corpus_open(&c, harness_tmpdir(), NULL, &err) == -1);
    CHECK(strstr(err.msg, "is a directory") != NULL);
}
