/* test_vecstream.c - the vector loader on standard input (a pipe read
 * through its window), headerless text, and the words past the limit. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"
#include "vectors.h"

typedef struct feeder {
    int fd;
    const unsigned char *bytes;
    size_t len, chunk;
} feeder;

/* Writes the bytes in small pieces, so that rows straddle the reads. */
static void *feed(void *arg)
{
    feeder *f = arg;
    for (size_t off = 0; off < f->len;) {
        size_t n = f->len - off < f->chunk ? f->len - off : f->chunk;
        ssize_t got = write(f->fd, f->bytes + off, n);
        if (got <= 0)
            break;
        off += (size_t)got;
    }
    close(f->fd);
    return NULL;
}

/* Loads bytes as "-" from a pipe on standard input (restored after). */
static int load_piped(const void *bytes, size_t len, size_t chunk,
                      const vec_load_opts *o, vectors *v, w2v_err *err)
{
    int fds[2];
    if (pipe(fds))
        return w2v_fail(err, "no pipe");
    int saved = dup(0);
    dup2(fds[0], 0);
    close(fds[0]);
    feeder f = {fds[1], bytes, len, chunk};
    pthread_t t;
    pthread_create(&t, NULL, feed, &f);
    int rc = vectors_load_opts("-", o, v, err);
    /* a load that stops early must still have read the pipe to its end */
    char extra[4096];
    ssize_t got, more = 0;
    while ((got = read(0, extra, sizeof extra)) > 0)
        more += got;
    pthread_join(t, NULL);
    dup2(saved, 0);
    close(saved);
    if (more != 0)
        harness_fail(__FILE__, __LINE__, "%lld bytes of the pipe were left",
                     (long long)more);
    return rc;
}

static int load_file(const void *bytes, size_t len, const vec_load_opts *o,
                     vectors *v, w2v_err *err)
{
    char path[] = "/tmp/w2v-vecstream.XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0 || write(fd, bytes, len) != (ssize_t)len)
        return w2v_fail(err, "cannot write a temporary file");
    close(fd);
    int rc = vectors_load_opts(path, o, v, err);
    unlink(path);
    return rc;
}

static int same_vectors(const vectors *a, const vectors *b)
{
    if (a->n != b->n || a->dim != b->dim || a->stride != b->stride ||
        a->format != b->format || a->n_rest != b->n_rest)
        return 0;
    for (int64_t i = 0; i < a->n; i++)
        if (strcmp(a->words[i], b->words[i]))
            return 0;
    for (int64_t i = 0; i < a->n_rest; i++)
        if (strcmp(a->rest_words[i], b->rest_words[i]))
            return 0;
    return memcmp(a->data, b->data,
                  (size_t)(a->n * a->stride) * sizeof(float)) == 0;
}

/* A file of n rows of dim values in the given format; *len gets its size. */
static unsigned char *make_file(int64_t n, int64_t dim, int binary,
                                size_t *len)
{
    char **words = malloc((size_t)n * sizeof *words);
    int64_t stride = w2v_row_stride(dim);
    float *m = calloc((size_t)(n * stride), sizeof *m);
    for (int64_t i = 0; i < n; i++) {
        words[i] = malloc(16);
        snprintf(words[i], 16, "w%lld", (long long)i);
        for (int64_t j = 0; j < dim; j++)
            m[i * stride + j] = (float)((i * 31 + j * 7) % 101) / 13.0f - 3.0f;
    }
    char *buf = NULL;
    FILE *fp = open_memstream(&buf, len);
    w2v_err err;
    vectors_write(fp, "mem", (const char *const *)words, m, n, dim, stride,
                  binary, &err);
    fclose(fp);
    for (int64_t i = 0; i < n; i++)
        free(words[i]);
    free(words);
    free(m);
    return (unsigned char *)buf;
}

TEST(vecstream_pipe_loads_what_the_file_loads)
{
    const vec_load_opts cases[] = {
        {VEC_AUTO, 0, 0},  {VEC_AUTO, 700, 0}, {VEC_AUTO, 700, 1},
        {VEC_BINARY, 0, 0}, {VEC_AUTO, 1, 1},
    };
    for (int binary = 0; binary < 2; binary++) {
        size_t len;
        unsigned char *bytes = make_file(3000, 37, binary, &len);
        for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
            vec_load_opts o = cases[c];
            if (!binary && o.format == VEC_BINARY)
                o.format = VEC_TEXT;
            vectors a, b;
            w2v_err err;
            CHECK_MSG(load_file(bytes, len, &o, &a, &err) == 0, "%s", err.msg);
            CHECK_MSG(load_piped(bytes, len, 4093, &o, &b, &err) == 0, "%s",
                      err.msg);
            CHECK_MSG(same_vectors(&a, &b), "binary %d, case %zu", binary, c);
            CHECK(a.format == (binary ? VEC_BINARY : VEC_TEXT));
            int64_t want = o.limit ? o.limit : 3000;
            CHECK(a.n == want && b.n == want);
            CHECK(b.n_rest == (o.rest ? 3000 - want : 0));
            vectors_free(&a);
            vectors_free(&b);
        }
        free(bytes);
    }
}

TEST(vecstream_pipe_errors_name_standard_input)
{
    const char *text = "3 2\na 1 2\nb 3 4\n";
    vec_load_opts o = {VEC_AUTO, 0, 0};
    vectors v;
    w2v_err err;
    CHECK(load_piped(text, strlen(text), 3, &o, &v, &err) == -1);
    CHECK_MSG(strstr(err.msg, "standard input: truncated") != NULL, "%s",
              err.msg);
    const char *more = "1 2\na 1 2\nb 3 4\n";
    CHECK(load_piped(more, strlen(more), 5, &o, &v, &err) == -1);
    CHECK_MSG(strstr(err.msg, "more rows") != NULL, "%s", err.msg);
    /* a header promising more rows than memory holds fails cleanly */
    const char *huge = "900000000000 1000\na 1\n";
    CHECK(load_piped(huge, strlen(huge), 64, &o, &v, &err) == -1);
    CHECK(v.n == 0 && v.data == NULL);
}

TEST(vecstream_headerless_text)
{
    const char *glove = "the 0.5 1\nof -2 3.25\r\nand 1e-3 4\n\n";
    vec_load_opts o = {VEC_AUTO, 0, 0};
    vectors v;
    w2v_err err;
    CHECK_MSG(load_file(glove, strlen(glove), &o, &v, &err) == 0, "%s",
              err.msg);
    CHECK(v.format == VEC_TEXT_NOHEADER && v.n == 3 && v.dim == 2);
    CHECK(vectors_find(&v, "of") == 1 && v.data[v.stride + 1] == 3.25f);
    vectors_free(&v);
    /* the same through a pipe, one byte at a time, and with a limit */
    o.limit = 2;
    o.rest = 1;
    CHECK_MSG(load_piped(glove, strlen(glove), 1, &o, &v, &err) == 0, "%s",
              err.msg);
    CHECK(v.n == 2 && vectors_find_rest(&v, "and") == 2);
    CHECK(vectors_find_rest(&v, "the") == -1);
    vectors_free(&v);

    /* whole numbers only: a broken header, unless the format is named */
    const char *ints = "a 1 2\nb 3 4\n";
    o = (vec_load_opts){VEC_AUTO, 0, 0};
    CHECK(load_file(ints, strlen(ints), &o, &v, &err) == -1);
    CHECK(strstr(err.msg, "header") != NULL);
    o.format = VEC_TEXT_NOHEADER;
    CHECK(load_file(ints, strlen(ints), &o, &v, &err) == 0);
    CHECK(v.n == 2 && v.dim == 2 && v.data[v.stride] == 3.0f);
    vectors_free(&v);
    /* rows are counted from the first line */
    const char *bad = "a 0.5 1\nb 2\n";
    o.format = VEC_AUTO;
    CHECK(load_file(bad, strlen(bad), &o, &v, &err) == -1);
    CHECK_MSG(strstr(err.msg, "line 2 (word 'b'): 1 values, the first line "
                              "has 2") != NULL, "%s", err.msg);
    /* a header is still a header */
    const char *hdr = "2 2\na 0.5 1\nb 2 3\n";
    CHECK(load_file(hdr, strlen(hdr), &o, &v, &err) == 0);
    CHECK(v.format == VEC_TEXT && v.n == 2);
    vectors_free(&v);
}

TEST(vecstream_rest_words)
{
    const char *text = "5 1\na 1\nb 2\nc 3\nb 4\nd 5\n";
    vec_load_opts o = {VEC_AUTO, 2, 1};
    vectors v;
    w2v_err err;
    CHECK(load_file(text, strlen(text), &o, &v, &err) == 0);
    CHECK(v.n == 2 && v.n_rest == 3 && v.rest_first == 2);
    CHECK(vectors_find(&v, "c") == -1 && vectors_find_rest(&v, "c") == 2);
    CHECK(vectors_find_rest(&v, "d") == 4 && vectors_find_rest(&v, "a") == -1);
    vectors_free(&v);
    o.rest = 0;
    CHECK(load_file(text, strlen(text), &o, &v, &err) == 0);
    CHECK(v.n_rest == 0 && vectors_find_rest(&v, "c") == -1);
    vectors_free(&v);
    /* a malformed row past the limit ends the list without an error */
    const char *cut = "4 2\na 1 2\nb 3 4\nc 5 6\n\n";
    o = (vec_load_opts){VEC_AUTO, 1, 1};
    CHECK(load_file(cut, strlen(cut), &o, &v, &err) == 0);
    CHECK(v.n == 1 && v.n_rest == 2 && vectors_find_rest(&v, "c") == 2);
    vectors_free(&v);
}
