/* test_vecload.c - the vector loader: both formats, detection, limit, pipes,
 * and every malformed-file case. */
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness.h"
#include "vectors.h"

/* Writes len bytes to a new temporary file, its name in
 * path[HARNESS_PATH_MAX]. */
static void temp_file(char *path, const void *bytes, size_t len)
{
    harness_write_temp(path, "vecload", bytes, len);
}

/* Loads text as a temporary file (removed again), its name left in
 * path[HARNESS_PATH_MAX]; returns the load status, message in err. */
static int load_text(const char *text, vec_format fmt, int64_t limit,
                     vectors *v, w2v_err *err, char *path)
{
    temp_file(path, text, strlen(text));
    int rc = vectors_load(path, fmt, limit, v, err);
    unlink(path);
    return rc;
}

/* Checks that loading text fails with a message naming the file and
 * containing `what`, and leaves v empty. */
static void expect_error(const char *text, vec_format fmt, const char *what)
{
    vectors v;
    w2v_err err = {{0}};
    char path[HARNESS_PATH_MAX];
    int rc = load_text(text, fmt, 0, &v, &err, path);
    CHECK_MSG(rc == -1, "loaded a bad file: %s", text);
    CHECK_MSG(strstr(err.msg, what) != NULL, "message '%s' lacks '%s'",
              err.msg, what);
    CHECK_MSG(strstr(err.msg, path) != NULL,
              "message '%s' does not name the file %s", err.msg, path);
    CHECK(v.n == 0 && v.data == NULL && v.words == NULL);
}

TEST(vecload_text_basic)
{
    vectors v;
    w2v_err err;
    char path[HARNESS_PATH_MAX];
    REQUIRE(load_text("3 2\nthe 1 2\nof -0.5 3e2\nand 0.25 -1 \n", VEC_AUTO,
                      0, &v, &err, path) == 0);
    REQUIRE(v.n == 3 && v.dim == 2 && v.stride == 16);
    CHECK(v.format == VEC_TEXT);
    CHECK(((uintptr_t)v.data % W2V_ALIGN) == 0);
    CHECK(strcmp(v.words[0], "the") == 0 && strcmp(v.words[2], "and") == 0);
    CHECK(v.data[0] == 1.0f && v.data[1] == 2.0f);
    CHECK(v.data[16] == -0.5f && v.data[17] == 300.0f);
    CHECK(v.data[32] == 0.25f && v.data[33] == -1.0f);
    CHECK(v.data[2] == 0.0f && v.data[15] == 0.0f); /* padding zeroed */
    CHECK(vectors_find(&v, "of") == 1 && vectors_find(&v, "OF") == -1);
    CHECK(vectors_find(&v, "missing") == -1);
    CHECK(v.warning[0] == '\0');
    vectors_free(&v);
    CHECK(v.data == NULL && v.n == 0);
}

TEST(vecload_text_crlf_and_missing_final_newline)
{
    vectors v;
    w2v_err err;
    char path[HARNESS_PATH_MAX];
    REQUIRE(load_text("2 3\r\nx 1 2 3\r\ny 4 5 6", VEC_AUTO, 0, &v, &err,
                      path) == 0);
    REQUIRE(v.n == 2);
    CHECK(v.data[16 + 2] == 6.0f);
    CHECK(strcmp(v.words[1], "y") == 0);
    vectors_free(&v);
}

TEST(vecload_binary_roundtrip_and_limit)
{
    const char *words[] = {"alpha", "beta", "gamma"};
    float m[3 * 16] = {0};
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 5; j++)
            m[i * 16 + j] = (float)(i * 10 + j) / 7.0f - 1e-7f * (float)j;
    char path[HARNESS_PATH_MAX];
    FILE *fp = harness_temp_file(path, "vecload");
    w2v_err err;
    CHECK(vectors_write(fp, path, words, m, 3, 5, 16, 1, &err) == 0);
    REQUIRE(fclose(fp) == 0);
    vectors v;
    REQUIRE_MSG(vectors_load(path, VEC_AUTO, 0, &v, &err) == 0, "%s", err.msg);
    REQUIRE(v.n == 3 && v.dim == 5);
    CHECK(v.format == VEC_BINARY);
    CHECK(memcmp(v.data, m, sizeof m) == 0);
    CHECK(strcmp(v.words[2], "gamma") == 0);
    vectors_free(&v);
    REQUIRE(vectors_load(path, VEC_AUTO, 2, &v, &err) == 0);
    CHECK(v.n == 2 && vectors_find(&v, "gamma") == -1);
    vectors_free(&v);
    /* forcing text on a binary file is an error, not garbage */
    CHECK(vectors_load(path, VEC_TEXT, 0, &v, &err) == -1);
    unlink(path);
}

TEST(vecload_binary_without_newlines)
{
    /* gensim writes no newline after each vector */
    unsigned char buf[64];
    size_t len = 0;
    float one = 1.0f, two = -2.5f;
    memcpy(buf, "2 1\n", 4);
    len = 4;
    memcpy(buf + len, "a ", 2);
    len += 2;
    memcpy(buf + len, &one, 4); /* the tests run on little-endian hosts */
    len += 4;
    memcpy(buf + len, "b ", 2);
    len += 2;
    memcpy(buf + len, &two, 4);
    len += 4;
    char path[HARNESS_PATH_MAX];
    temp_file(path, buf, len);
    vectors v;
    w2v_err err;
    REQUIRE(vectors_load(path, VEC_BINARY, 0, &v, &err) == 0);
    REQUIRE(v.n == 2);
    CHECK(v.data[0] == 1.0f && v.data[16] == -2.5f);
    CHECK(strcmp(v.words[1], "b") == 0);
    vectors_free(&v);
    unlink(path);
}

TEST(vecload_duplicates_keep_first)
{
    vectors v;
    w2v_err err;
    char path[HARNESS_PATH_MAX];
    REQUIRE(load_text("4 1\na 1\nb 2\na 3\nc 4\n", VEC_AUTO, 0, &v, &err,
                      path) == 0);
    REQUIRE(v.n == 3);
    CHECK(vectors_find(&v, "a") == 0 && v.data[0] == 1.0f);
    CHECK(vectors_find(&v, "c") == 2 && v.data[32] == 4.0f);
    CHECK(strstr(v.warning, "1 duplicate word") != NULL);
    CHECK(strstr(v.warning, "'a' at line 4") != NULL);
    vectors_free(&v);
}

TEST(vecload_bad_headers)
{
    expect_error("", VEC_AUTO, "header");
    expect_error("3\na 1\n", VEC_AUTO, "header");
    expect_error("x 2\na 1 2\n", VEC_AUTO, "header");
    expect_error("0 2\n", VEC_AUTO, "header");
    expect_error("-1 2\na 1 2\n", VEC_AUTO, "header");
    expect_error("2 3 4\na 1 2 3\n", VEC_AUTO, "header");
    expect_error("1000000000 2\na 1 2\n", VEC_AUTO, "truncated");
}

TEST(vecload_bad_text_rows)
{
    expect_error("3 2\na 1 2\nb 3 4\n", VEC_AUTO, "truncated");
    expect_error("1 2\na 1 2\nb 3 4\n", VEC_AUTO, "more rows");
    expect_error("2 2\na 1 2\nb 3\n", VEC_AUTO, "line 3 (word 'b'): 1 values");
    expect_error("2 2\na 1 2\nb 3 4 5\n", VEC_AUTO, "more than 2 values");
    expect_error("2 2\na 1 2\nb 3 x4\n", VEC_AUTO, "value 2 'x4' is not a");
    expect_error("2 2\na 1 2\nb 3 nan\n", VEC_AUTO, "NaN or infinite");
    expect_error("2 2\na 1 2\nb inf 1\n", VEC_AUTO, "NaN or infinite");
    expect_error("2 2\na 1 2\nb 1e999 1\n", VEC_AUTO, "NaN or infinite");
    expect_error("2 2\na 1 2\n\n", VEC_TEXT, "line 3");
}

TEST(vecload_bad_binary_rows)
{
    unsigned char buf[64];
    float good = 0.5f, inf = INFINITY;
    memcpy(buf, "2 1\na ", 6);
    memcpy(buf + 6, &good, 4);
    buf[10] = '\n';
    memcpy(buf + 11, "b ", 2);
    memcpy(buf + 13, &inf, 4);
    buf[17] = '\n';
    vectors v;
    w2v_err err;
    char path[HARNESS_PATH_MAX];
    temp_file(path, buf, 18);
    CHECK(vectors_load(path, VEC_BINARY, 0, &v, &err) == -1);
    CHECK(strstr(err.msg, "row 2 (word 'b'): value 1 is NaN") != NULL);
    unlink(path);
    temp_file(path, buf, 15); /* cut inside the second vector */
    CHECK(vectors_load(path, VEC_BINARY, 0, &v, &err) == -1);
    CHECK(strstr(err.msg, "truncated in row 2") != NULL);
    unlink(path);
    memcpy(buf, "1 1\n", 4); /* header says one row, two follow */
    memcpy(buf + 13, &good, 4);
    temp_file(path, buf, 18);
    CHECK(vectors_load(path, VEC_BINARY, 0, &v, &err) == -1);
    CHECK(strstr(err.msg, "more rows than the header says (1)") != NULL);
    unlink(path);
}

TEST(vecload_missing_file)
{
    vectors v;
    w2v_err err;
    CHECK(vectors_load("/nonexistent/v.bin", VEC_AUTO, 0, &v, &err) == -1);
    CHECK(strstr(err.msg, "/nonexistent/v.bin: cannot open") != NULL);
    CHECK(vectors_load(harness_tmpdir(), VEC_AUTO, 0, &v, &err) == -1);
    CHECK(strstr(err.msg, "directory") != NULL);
}

/* A vector file written into a pipe by a thread of its own. */
typedef struct pipe_writer {
    int fd; /* the pipe's write end; the thread closes it */
    const char *const *words;
    const float *m;
    int64_t n, dim, stride;
    int binary;
    int status; /* 0 when every byte went into the pipe */
} pipe_writer;

/* Thread body: writes the vectors of arg (a pipe_writer) as a file into its
 * pipe.  SIGPIPE is blocked, so a reader that gives up makes the write
 * fail instead of killing the process. */
static void *write_into_pipe(void *arg)
{
    pipe_writer *w = arg;
    sigset_t pipe_signal;
    sigemptyset(&pipe_signal);
    sigaddset(&pipe_signal, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe_signal, NULL);
    FILE *fp = fdopen(w->fd, "wb");
    w2v_err err;
    if (!fp) {
        close(w->fd);
        w->status = -1;
        return NULL;
    }
    w->status = vectors_write(fp, "pipe", w->words, w->m, w->n, w->dim,
                              w->stride, w->binary, &err);
    if (fclose(fp) != 0)
        w->status = -1;
    return NULL;
}

/* Loads the vectors w describes through the path /dev/fd/N of a pipe that a
 * writer thread fills, as `w2v similar -vectors /dev/stdin` would read a
 * pipe; returns the load status.  Ends the test as failed when the pipe or
 * the thread cannot be made or the writer fails. */
static int load_through_pipe(pipe_writer *w, vectors *v, w2v_err *err)
{
    int fds[2];
    REQUIRE(pipe(fds) == 0);
    w->fd = fds[1];
    pthread_t writer;
    REQUIRE(pthread_create(&writer, NULL, write_into_pipe, w) == 0);
    char path[32];
    snprintf(path, sizeof path, "/dev/fd/%d", fds[0]);
    int rc = vectors_load(path, VEC_AUTO, 0, v, err);
    close(fds[0]);
    pthread_join(writer, NULL);
    REQUIRE_MSG(w->status == 0, "the writer thread failed");
    return rc;
}

/* Text and binary files read from a pipe (so not mapped but read in chunks,
 * each file several times the pipe's 64 KiB buffer) load exactly as the
 * same files on disk. */
TEST(vecload_pipe_equals_file)
{
    struct stat st;
    if (stat("/dev/fd/0", &st) != 0)
        SKIP("this system has no /dev/fd");
    enum { ROWS = 1000, DIM = 50, STRIDE = 64 };
    static float m[ROWS * STRIDE];
    static char names[ROWS][8];
    const char *words[ROWS];
    for (int i = 0; i < ROWS; i++) {
        snprintf(names[i], sizeof names[i], "w%d", i);
        words[i] = names[i];
        for (int j = 0; j < DIM; j++)
            m[i * STRIDE + j] = (float)((i * 37 + j * 11) % 101) / 7.0f - 7.0f;
    }
    for (int binary = 0; binary <= 1; binary++) {
        w2v_err err;
        char path[HARNESS_PATH_MAX];
        FILE *fp = harness_temp_file(path, "vecload");
        CHECK(vectors_write(fp, path, words, m, ROWS, DIM, STRIDE, binary,
                            &err) == 0);
        REQUIRE(fclose(fp) == 0);
        REQUIRE(stat(path, &st) == 0);
        CHECK_MSG(st.st_size > 2 * 65536, "only %lld bytes",
                  (long long)st.st_size);
        vectors from_file, from_pipe;
        int rc = vectors_load(path, VEC_AUTO, 0, &from_file, &err);
        unlink(path);
        REQUIRE_MSG(rc == 0, "%s", err.msg);
        pipe_writer w = {.words = words, .m = m, .n = ROWS, .dim = DIM,
                         .stride = STRIDE, .binary = binary};
        REQUIRE_MSG(load_through_pipe(&w, &from_pipe, &err) == 0, "%s",
                    err.msg);
        REQUIRE(from_file.n == ROWS && from_pipe.n == ROWS);
        CHECK(from_pipe.dim == DIM && from_pipe.stride == from_file.stride);
        CHECK(from_pipe.format == (binary ? VEC_BINARY : VEC_TEXT));
        CHECK(from_pipe.format == from_file.format);
        int words_differ = 0, values_differ = 0;
        for (int i = 0; i < ROWS; i++) {
            const float *piped = from_pipe.data + i * from_pipe.stride;
            const float *filed = from_file.data + i * from_file.stride;
            words_differ += strcmp(from_pipe.words[i], words[i]) != 0 ||
                            strcmp(from_file.words[i], words[i]) != 0;
            for (int j = 0; j < DIM; j++)
                values_differ += piped[j] != filed[j] ||
                                 piped[j] != m[i * STRIDE + j];
        }
        CHECK_MSG(words_differ == 0 && values_differ == 0,
                  "binary %d: %d words and %d values differ", binary,
                  words_differ, values_differ);
        vectors_free(&from_file);
        vectors_free(&from_pipe);
    }
}
