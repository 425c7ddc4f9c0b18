/* test_corpus.c - token reader: ranges, separators, truncation. */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
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

/* Appends the words of [b, e) to out[*n..] as length byte + bytes, read
 * by reader_next (max 0) or by reader_next_words max at a time; returns
 * the words cut. */
static int64_t collect_words(const corpus *c, int64_t b, int64_t e,
                             int64_t buf, int max, unsigned char *out,
                             size_t *n)
{
    token_reader r;
    w2v_err err;
    char word[W2V_MAX_WORD + 1 + READER_PAD];
    const char *words[64];
    int lens[64], len, got;
    REQUIRE_MSG(reader_init(&r, c, b, e, buf, &err) == 0, "%s", err.msg);
    for (;;) {
        if (max == 0) {
            got = reader_next(&r, word, &len, &err);
            REQUIRE(got != READ_ERROR);
            if (got == READ_END)
                break;
            words[0] = word;
            lens[0] = len;
            got = got == READ_WORD;
        } else {
            got = reader_next_words(&r, word, words, lens, max, &err);
            REQUIRE(got >= 0 && got <= max);
            if (got == 0)
                break;
        }
        for (int i = 0; i < got; i++) {
            out[(*n)++] = (unsigned char)lens[i];
            memcpy(out + *n, words[i], (size_t)lens[i]);
            *n += (size_t)lens[i];
        }
    }
    int64_t cut = r.truncated;
    reader_free(&r);
    return cut;
}

TEST(corpus_next_words_matches_next)
{
    /* every byte value, words of every length up to past the cut, ranges
     * and buffers of many sizes: the words of reader_next, without the
     * sentence ends */
    enum { SIZE = 6000 };
    static char text[SIZE];
    uint64_t x = 88172645463325252ull;
    for (int i = 0; i < SIZE; i++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        int run = i / 1000 % 2 ? 150 : 9; /* long words in every other 1000 */
        text[i] = x % run == 0 ? " \t\n\v\f\r"[x / run % 7] : (char)(x >> 24);
    }
    corpus c;
    char path[HARNESS_PATH_MAX];
    open_text(&c, text, SIZE, path);
    static const int64_t bufs[] = {1, 2, 7, 63, 64, 65, 300, 8192};
    static const int maxes[] = {1, 3, 32, 64};
    static unsigned char want[2 * SIZE], got[2 * SIZE];
    int64_t cuts_seen = 0;
    for (int parts = 1; parts <= 4; parts++)
        for (size_t bi = 0; bi < sizeof bufs / sizeof bufs[0]; bi++) {
            size_t nw = 0, ng = 0;
            int64_t cut_want = 0, cut_got = 0;
            for (int i = 0; i < parts; i++)
                cut_want += collect_words(&c, corpus_range_start(&c, i, parts),
                                          corpus_range_start(&c, i + 1, parts),
                                          bufs[bi], 0, want, &nw);
            cuts_seen += cut_want;
            for (size_t mi = 0; mi < sizeof maxes / sizeof maxes[0]; mi++) {
                ng = 0;
                cut_got = 0;
                for (int i = 0; i < parts; i++)
                    cut_got += collect_words(
                        &c, corpus_range_start(&c, i, parts),
                        corpus_range_start(&c, i + 1, parts), bufs[bi],
                        maxes[mi], got, &ng);
                CHECK_MSG(ng == nw && memcmp(got, want, nw) == 0 &&
                              cut_got == cut_want,
                          "%d parts, buffer %lld, %d at a time: %zu bytes of "
                          "words, %zu expected; %lld cut, %lld expected",
                          parts, (long long)bufs[bi], maxes[mi], ng, nw,
                          (long long)cut_got, (long long)cut_want);
            }
        }
    CHECK(cuts_seen > 0);
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

/* reader_tell/reader_seek: a fresh reader put where another stood goes on
 * with exactly the same items, wherever that was (mid-range, at a range
 * start still skipping a partial token, at a sentence end), with buffers
 * smaller than the words so that positions fall between refills. */
TEST(corpus_tell_and_seek_continue_exactly)
{
    static const char text[] = "alpha beta\ngamma  delta epsilon\n\nzeta eta";
    char path[HARNESS_PATH_MAX];
    corpus c;
    open_text(&c, text, sizeof text - 1, path);
    w2v_err err;
    char word[W2V_MAX_WORD + 1];
    int len;
    for (int64_t begin = 0; begin < 12; begin++)
        for (int stop = 0; stop < 8; stop++) {
            token_reader a, b;
            CHECK(reader_init(&a, &c, begin, c.size, 3, &err) == 0);
            REQUIRE(reader_init(&b, &c, begin, c.size, 5, &err) == 0);
            for (int i = 0; i < stop; i++)
                reader_next(&a, word, &len, &err);
            int skip;
            int64_t at = reader_tell(&a, &skip);
            reader_seek(&b, at, skip);
            char rest_a[256] = "", rest_b[256] = "";
            int got;
            while ((got = reader_next(&a, word, &len, &err)) > 0) {
                strcat(rest_a, got == READ_WORD ? word : "/");
                strcat(rest_a, "|");
            }
            while ((got = reader_next(&b, word, &len, &err)) > 0) {
                strcat(rest_b, got == READ_WORD ? word : "/");
                strcat(rest_b, "|");
            }
            CHECK_MSG(strcmp(rest_a, rest_b) == 0,
                      "begin %lld after %d items: '%s' vs '%s'",
                      (long long)begin, stop, rest_a, rest_b);
            reader_free(&a);
            reader_free(&b);
        }
    corpus_close(&c);
    unlink(path);
}

/* Windows partition the tokens as ranges do, and ranges inside a window
 * partition the window's tokens: parts x threads cover every token once. */
TEST(corpus_windows_partition_tokens)
{
    static const char text[] = "one two three\nfour five  six seven\neight "
                               "nine ten eleven twelve thirteen";
    char path[HARNESS_PATH_MAX];
    corpus c;
    open_text(&c, text, sizeof text - 1, path);
    char whole[512] = "";
    read_range(&c, 0, c.size, whole, 4);
    for (int parts = 1; parts <= 5; parts++)
        for (int threads = 1; threads <= 4; threads++) {
            char joined[512] = "";
            for (int p = 0; p < parts; p++) {
                corpus_set_window(&c, p, parts);
                for (int i = 0; i < threads; i++)
                    read_range(&c, corpus_range_start(&c, i, threads),
                               corpus_range_start(&c, i + 1, threads), joined,
                               3);
            }
            CHECK_MSG(strcmp(joined, whole) == 0, "%d parts x %d threads: %s",
                      parts, threads, joined);
        }
    corpus_close(&c);
    unlink(path);
}

TEST(corpus_sniffs_compressed_formats)
{
    static const unsigned char gz[] = {0x1F, 0x8B, 0x08, 0x00};
    static const unsigned char xz[] = {0xFD, '7', 'z', 'X', 'Z', 0x00, 0x00};
    static const unsigned char zst[] = {0x28, 0xB5, 0x2F, 0xFD, 0x04};
    static const unsigned char bz[] = {'B', 'Z', 'h', '9', 0x31, 0x41,
                                       0x59, 0x26, 0x53, 0x59};
    static const unsigned char bz_empty[] = {'B', 'Z', 'h', '9', 0x17, 0x72,
                                             0x45, 0x38, 0x50, 0x90};
    CHECK(corpus_sniff(gz, sizeof gz) == CORPUS_GZIP);
    CHECK(corpus_sniff(xz, sizeof xz) == CORPUS_XZ);
    CHECK(corpus_sniff(zst, sizeof zst) == CORPUS_ZSTD);
    CHECK(corpus_sniff(bz, sizeof bz) == CORPUS_BZIP2);
    CHECK(corpus_sniff(bz_empty, sizeof bz_empty) == CORPUS_BZIP2);
    /* text, even text that starts like bzip2's header, is text */
    CHECK(corpus_sniff((const unsigned char *)"BZh9 is a word", 14) ==
          CORPUS_PLAIN);
    CHECK(corpus_sniff((const unsigned char *)"the cat", 7) == CORPUS_PLAIN);
    CHECK(corpus_sniff(gz, 2) == CORPUS_PLAIN);
    CHECK(corpus_sniff(gz, 0) == CORPUS_PLAIN);
    CHECK(strcmp(corpus_compression_name(CORPUS_XZ), "xz") == 0);
}

TEST(corpus_refuses_compressed_data)
{
    static const char gz[] = "\x1f\x8b\x08\x00 the rest";
    corpus c;
    char path[HARNESS_PATH_MAX];
    w2v_err err;
    harness_write_temp(path, "test-corpus", gz, sizeof gz - 1);
    corpus_compression k;
    CHECK(corpus_file_compression(path, &k, &err) == 0 && k == CORPUS_GZIP);
    CHECK(corpus_open(&c, path, NULL, &err) == -1);
    CHECK_MSG(strstr(err.msg, "gzip-compressed") && strstr(err.msg, path),
              "%s", err.msg);
    /* the same bytes through a pipe: refused from the first bytes */
    int fds[2];
    CHECK(pipe(fds) == 0);
    CHECK(write(fds[1], gz, sizeof gz - 1) == (ssize_t)(sizeof gz - 1));
    close(fds[1]);
    CHECK(corpus_open_fd(&c, fds[0], "-", NULL, NULL, &err) == -1);
    CHECK_MSG(strstr(err.msg, "standard input: gzip-compressed"), "%s",
              err.msg);
    close(fds[0]);
    unlink(path);
}

/* Progress callback: records the calls. */
typedef struct spool_calls {
    int calls;
    int64_t last_bytes;
    int increasing;
} spool_calls;

static void record_spool(int64_t bytes, double seconds, void *ctx)
{
    spool_calls *s = ctx;
    if (bytes < s->last_bytes || seconds < 0)
        s->increasing = 0;
    s->last_bytes = bytes;
    s->calls++;
}

/* Writes `bytes` bytes of "w " words into fd from a child; its pid. */
static pid_t write_words(int fd, int64_t bytes)
{
    pid_t pid = fork();
    if (pid == 0) {
        char chunk[4096];
        for (size_t i = 0; i < sizeof chunk; i += 2)
            memcpy(chunk + i, "w ", 2);
        for (int64_t done = 0; done < bytes;) {
            size_t n = bytes - done < (int64_t)sizeof chunk
                           ? (size_t)(bytes - done) : sizeof chunk;
            ssize_t w = write(fd, chunk, n);
            if (w <= 0)
                _exit(1);
            done += w;
        }
        _exit(0);
    }
    return pid;
}

TEST(corpus_spools_a_pipe_with_progress)
{
    int fds[2];
    REQUIRE(pipe(fds) == 0);
    const int64_t bytes = 3 << 20;
    pid_t pid = write_words(fds[1], bytes);
    close(fds[1]);
    CHECK(pid > 0);
    spool_calls calls = {0, 0, 1};
    corpus_spool_monitor mon = {record_spool, &calls, 0.0};
    corpus c;
    w2v_err err;
    CHECK(corpus_open_fd(&c, fds[0], "-", NULL, &mon, &err) == 0);
    close(fds[0]);
    waitpid(pid, NULL, 0);
    CHECK(c.spooled == 1 && c.size == bytes);
    CHECK(calls.calls >= 1 && calls.increasing);
    CHECK(calls.last_bytes == bytes); /* interval 0: every chunk */
    corpus_close(&c);
}

TEST(corpus_spool_out_of_room_names_the_folder)
{
    /* a file-size limit makes the spool's writes fail (EFBIG), as a full
     * folder would (ENOSPC); in a child, so the limit stays there */
    int fds[2], msg[2];
    REQUIRE(pipe(fds) == 0);
    pid_t writer = write_words(fds[1], 1 << 20);
    close(fds[1]);
    CHECK(pipe(msg) == 0);
    pid_t pid = fork();
    if (pid == 0) {
        signal(SIGXFSZ, SIG_IGN);
        struct rlimit lim = {65536, 65536};
        setrlimit(RLIMIT_FSIZE, &lim);
        corpus c;
        w2v_err err = {""};
        int rc = corpus_open_fd(&c, fds[0], "-", "/tmp", NULL, &err);
        ssize_t n = write(msg[1], err.msg, strlen(err.msg));
        _exit(rc == -1 && n > 0 ? 0 : 1);
    }
    close(fds[0]);
    close(msg[1]);
    char text[600] = "";
    ssize_t n = read(msg[0], text, sizeof text - 1);
    text[n > 0 ? n : 0] = '\0';
    close(msg[0]);
    int status;
    waitpid(pid, &status, 0);
    kill(writer, SIGTERM);
    waitpid(writer, NULL, 0);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    CHECK_MSG(strstr(text, "standard input: cannot spool to /tmp") &&
                  strstr(text, "$TMPDIR") && strstr(text, "File too large"),
              "%s", text);
}
