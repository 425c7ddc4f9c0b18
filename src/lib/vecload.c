/* vecload.c - reading vector files of either format (see vectors.h).
 *
 * The file is mapped (or, when it is not a regular file, read whole) and
 * parsed in one pass into one W2V_ALIGN-aligned matrix.  Every malformed
 * case is an error naming the file and the row; nothing is loaded halfway. */
#include "vectors.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* Longest word accepted from a file (bytes); longer means a broken file. */
#define MAX_FILE_WORD 4096
/* Longest text token accepted as a number. */
#define MAX_NUMBER 64

typedef struct source {
    const unsigned char *p, *end; /* bytes not parsed yet */
    const unsigned char *base;
    size_t size;
    int mapped;
} source;

static int open_source(const char *path, source *s, w2v_err *err)
{
    memset(s, 0, sizeof *s);
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return w2v_fail_errno(err, "%s: cannot open", path);
    struct stat st;
    if (fstat(fd, &st)) {
        close(fd);
        return w2v_fail_errno(err, "%s: cannot stat", path);
    }
    if (S_ISDIR(st.st_mode)) {
        close(fd);
        return w2v_fail(err, "%s: is a directory", path);
    }
    if (S_ISREG(st.st_mode) && st.st_size > 0) {
        void *m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
        close(fd);
        if (m == MAP_FAILED)
            return w2v_fail_errno(err, "%s: cannot map", path);
        s->base = m;
        s->size = (size_t)st.st_size;
        s->mapped = 1;
    } else {
        /* pipes, devices, empty files: read everything */
        size_t cap = 1 << 16, len = 0;
        unsigned char *buf = w2v_malloc(cap, err);
        if (!buf) {
            close(fd);
            return -1;
        }
        for (;;) {
            if (len == cap) {
                unsigned char *bigger = realloc(buf, cap * 2);
                if (!bigger) {
                    free(buf);
                    close(fd);
                    return w2v_fail(err, "%s: out of memory reading it", path);
                }
                buf = bigger;
                cap *= 2;
            }
            ssize_t got = read(fd, buf + len, cap - len);
            if (got < 0 && errno == EINTR)
                continue;
            if (got < 0) {
                free(buf);
                close(fd);
                return w2v_fail_errno(err, "%s: read failed", path);
            }
            if (got == 0)
                break;
            len += (size_t)got;
        }
        close(fd);
        s->base = buf;
        s->size = len;
    }
    s->p = s->base;
    s->end = s->base + s->size;
    return 0;
}

static void close_source(source *s)
{
    if (s->mapped)
        munmap((void *)s->base, s->size);
    else
        free((void *)s->base);
    memset(s, 0, sizeof *s);
}

static int is_blank(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\r';
}

/* Parses "V d" and the end of its line; both must be positive integers. */
static int parse_header(const char *path, source *s, int64_t *n, int64_t *dim,
                        w2v_err *err)
{
    int64_t vals[2];
    for (int k = 0; k < 2; k++) {
        while (s->p < s->end && is_blank(*s->p))
            s->p++;
        int64_t x = 0;
        int digits = 0;
        while (s->p < s->end && *s->p >= '0' && *s->p <= '9') {
            if (x > (INT64_MAX - 9) / 10)
                return w2v_fail(err, "%s: header: number too large", path);
            x = x * 10 + (*s->p++ - '0');
            digits++;
        }
        if (!digits || x <= 0)
            return w2v_fail(err, "%s: header is not two positive integers "
                            "'ROWS DIM'", path);
        vals[k] = x;
    }
    while (s->p < s->end && is_blank(*s->p))
        s->p++;
    if (s->p == s->end || *s->p != '\n')
        return w2v_fail(err, "%s: header is not two positive integers "
                        "'ROWS DIM' on the first line", path);
    s->p++;
    if (vals[1] > 1000000)
        return w2v_fail(err, "%s: header: dimension %lld is implausibly large",
                        path, (long long)vals[1]);
    *n = vals[0];
    *dim = vals[1];
    return 0;
}

static int printable(unsigned char c)
{
    return (c >= 0x20 && c < 0x7f) || c == '\t' || c == '\r';
}

/* Text when the rest of the first row, up to the end of its line, is
 * printable ASCII with either `dim` fields or at least 2 * dim bytes (a text
 * row with a wrong count): raw float32 bytes practically never look like
 * that.  A row without a separator is left to the text parser, which
 * explains the problem. */
static vec_format detect_format(const source *s, int64_t dim)
{
    const unsigned char *q = s->p;
    while (q < s->end && *q == '\n')
        q++;
    while (q < s->end && *q != ' ' && *q != '\t' && *q != '\n')
        q++;
    if (q == s->end || *q == '\n')
        return VEC_TEXT;
    const unsigned char *start = q;
    int64_t fields = 0;
    int in_field = 0;
    for (; q < s->end && *q != '\n'; q++) {
        if (!printable(*q))
            return VEC_BINARY;
        int blank = is_blank(*q);
        fields += !blank && !in_field;
        in_field = !blank;
    }
    if (fields > 0 && (fields == dim || q - start >= 2 * dim))
        return VEC_TEXT;
    return VEC_BINARY;
}

int64_t vectors_find(const vectors *v, const char *word)
{
    if (!v->table.slots)
        return -1;
    return word_table_find(&v->table, v->words, word, (int)strlen(word));
}

/* Growing storage for the words while rows are parsed. */
typedef struct word_store {
    char *pool;
    size_t len, cap;
    size_t *offset; /* per row */
} word_store;

static int store_word(word_store *ws, const unsigned char *w, size_t len,
                      int64_t row, w2v_err *err)
{
    if (ws->len + len + 1 > ws->cap) {
        size_t cap = ws->cap ? ws->cap : 1 << 16;
        while (cap < ws->len + len + 1)
            cap *= 2;
        char *bigger = realloc(ws->pool, cap);
        if (!bigger)
            return w2v_fail(err, "out of memory (%zu bytes)", cap);
        ws->pool = bigger;
        ws->cap = cap;
    }
    memcpy(ws->pool + ws->len, w, len);
    ws->pool[ws->len + len] = '\0';
    ws->offset[row] = ws->len;
    ws->len += len + 1;
    return 0;
}

typedef struct loader {
    const char *path;
    source src;
    vec_format fmt;
    int64_t dim, stride, header_rows, want;
    word_store ws;
    float *data;
} loader;

static const char *row_kind(const loader *ld)
{
    return ld->fmt == VEC_TEXT ? "line" : "row";
}

/* File row r (0-based) in messages: text counts lines (the header is 1). */
static long long row_number(const loader *ld, int64_t r)
{
    return (long long)(ld->fmt == VEC_TEXT ? r + 2 : r + 1);
}

/* Reads the word of file row r; leaves src.p after its separator. */
static int read_word(loader *ld, int64_t r, const unsigned char **w,
                     size_t *len, w2v_err *err)
{
    source *s = &ld->src;
    if (ld->fmt == VEC_BINARY)
        while (s->p < s->end && *s->p == '\n')
            s->p++;
    if (s->p == s->end)
        return w2v_fail(err, "%s: truncated: the header says %lld rows, the "
                        "file ends after %lld", ld->path,
                        (long long)ld->header_rows, (long long)r);
    const unsigned char *start = s->p;
    while (s->p < s->end && *s->p != ' ' &&
           !(ld->fmt == VEC_TEXT && (*s->p == '\t' || *s->p == '\n')) &&
           s->p - start <= MAX_FILE_WORD)
        s->p++;
    size_t n = (size_t)(s->p - start);
    if (n > MAX_FILE_WORD)
        return w2v_fail(err, "%s: %s %lld: no word of at most %d bytes "
                        "followed by a space", ld->path, row_kind(ld),
                        row_number(ld, r), MAX_FILE_WORD);
    if (s->p == s->end)
        return w2v_fail(err, "%s: truncated at %s %lld", ld->path,
                        row_kind(ld), row_number(ld, r));
    if (n == 0 || *s->p == '\n')
        return w2v_fail(err, "%s: %s %lld: expected a word and %lld values",
                        ld->path, row_kind(ld), row_number(ld, r),
                        (long long)ld->dim);
    if (memchr(start, '\0', n))
        return w2v_fail(err, "%s: %s %lld: word contains a NUL byte",
                        ld->path, row_kind(ld), row_number(ld, r));
    s->p++;
    *w = start;
    *len = n;
    return 0;
}

static int read_binary_values(loader *ld, int64_t r, const char *word,
                              float *row, w2v_err *err)
{
    source *s = &ld->src;
    if ((size_t)(s->end - s->p) < (size_t)ld->dim * 4)
        return w2v_fail(err, "%s: truncated in row %lld (word '%s')",
                        ld->path, (long long)r + 1, word);
    for (int64_t j = 0; j < ld->dim; j++, s->p += 4) {
        uint32_t u = (uint32_t)s->p[0] | (uint32_t)s->p[1] << 8 |
                     (uint32_t)s->p[2] << 16 | (uint32_t)s->p[3] << 24;
        memcpy(&row[j], &u, sizeof u);
        if (!isfinite(row[j]))
            return w2v_fail(err, "%s: row %lld (word '%s'): value %lld is "
                            "NaN or infinite", ld->path, (long long)r + 1,
                            word, (long long)j + 1);
    }
    return 0;
}

static int read_text_values(loader *ld, int64_t r, const char *word,
                            float *row, w2v_err *err)
{
    source *s = &ld->src;
    long long line = row_number(ld, r);
    int64_t j = 0;
    for (;;) {
        while (s->p < s->end && is_blank(*s->p))
            s->p++;
        if (s->p == s->end || *s->p == '\n')
            break;
        const unsigned char *start = s->p;
        while (s->p < s->end && !is_blank(*s->p) && *s->p != '\n')
            s->p++;
        size_t n = (size_t)(s->p - start);
        if (j == ld->dim)
            return w2v_fail(err, "%s: line %lld (word '%s'): more than %lld "
                            "values", ld->path, line, word, (long long)ld->dim);
        char tok[MAX_NUMBER + 1];
        char *end = tok;
        if (n <= MAX_NUMBER) {
            memcpy(tok, start, n);
            tok[n] = '\0';
            errno = 0;
            row[j] = strtof(tok, &end);
        }
        if (n > MAX_NUMBER || end != tok + n)
            return w2v_fail(err, "%s: line %lld (word '%s'): value %lld "
                            "'%.*s' is not a number", ld->path, line, word,
                            (long long)j + 1, (int)(n < 40 ? n : 40), start);
        if (!isfinite(row[j]))
            return w2v_fail(err, "%s: line %lld (word '%s'): value %lld is "
                            "NaN or infinite", ld->path, line, word,
                            (long long)j + 1);
        j++;
    }
    if (j != ld->dim)
        return w2v_fail(err, "%s: line %lld (word '%s'): %lld values, the "
                        "header says %lld", ld->path, line, word,
                        (long long)j, (long long)ld->dim);
    if (s->p < s->end)
        s->p++; /* the newline; a missing one at the end is fine */
    return 0;
}

static int parse_rows(loader *ld, w2v_err *err)
{
    for (int64_t r = 0; r < ld->want; r++) {
        const unsigned char *w = NULL;
        size_t len = 0;
        if (read_word(ld, r, &w, &len, err) ||
            store_word(&ld->ws, w, len, r, err))
            return -1;
        const char *word = ld->ws.pool + ld->ws.offset[r];
        float *row = ld->data + r * ld->stride;
        int bad = ld->fmt == VEC_BINARY
                      ? read_binary_values(ld, r, word, row, err)
                      : read_text_values(ld, r, word, row, err);
        if (bad)
            return -1;
    }
    if (ld->want == ld->header_rows) {
        const unsigned char *q = ld->src.p;
        while (q < ld->src.end && (*q == '\n' || is_blank(*q)))
            q++;
        if (q != ld->src.end)
            return w2v_fail(err, "%s: more rows than the header says (%lld)",
                            ld->path, (long long)ld->header_rows);
    }
    return 0;
}

/* Moves the parsed rows into v, indexing their words; a repeated word keeps
 * its first row, the later ones are dropped (and counted in v->warning). */
static int finish(loader *ld, vectors *v, w2v_err *err)
{
    v->words = w2v_malloc((size_t)(ld->want ? ld->want : 1) * sizeof(char *),
                          err);
    if (!v->words ||
        word_table_init(&v->table, word_table_slots_for(ld->want), err))
        return -1;
    v->pool = ld->ws.pool;
    ld->ws.pool = NULL;
    v->dim = ld->dim;
    v->stride = ld->stride;
    v->data = ld->data;
    ld->data = NULL;
    v->format = ld->fmt;
    int64_t kept = 0, duplicates = 0, first_dup = 0;
    for (int64_t r = 0; r < ld->want; r++) {
        char *word = v->pool + ld->ws.offset[r];
        int len = (int)strlen(word);
        uint32_t h = word_hash(word, len);
        uint64_t slot = word_table_probe(&v->table, v->words, word, len, h);
        if (word_table_id(&v->table, slot) >= 0) {
            if (duplicates++ == 0)
                first_dup = r;
            continue;
        }
        if (kept != r)
            memcpy(v->data + kept * v->stride, v->data + r * v->stride,
                   (size_t)v->stride * sizeof(float));
        v->words[kept] = word;
        word_table_set(&v->table, slot, h, len, kept);
        kept++;
    }
    /* rows past the kept ones read as zeros, as the padding does */
    memset(v->data + kept * v->stride, 0,
           (size_t)((ld->want - kept) * v->stride) * sizeof(float));
    v->n = kept;
    if (duplicates)
        snprintf(v->warning, sizeof v->warning,
                 "%s: %lld duplicate word%s ignored, the first row of each "
                 "kept (first: '%.64s' at %s %lld)", ld->path,
                 (long long)duplicates, duplicates > 1 ? "s" : "",
                 v->pool + ld->ws.offset[first_dup], row_kind(ld),
                 row_number(ld, first_dup));
    return 0;
}

int vectors_load(const char *path, vec_format fmt, int64_t limit, vectors *v,
                 w2v_err *err)
{
    memset(v, 0, sizeof *v);
    loader ld;
    memset(&ld, 0, sizeof ld);
    ld.path = path;
    if (open_source(path, &ld.src, err))
        return -1;
    int rc = -1;
    if (parse_header(path, &ld.src, &ld.header_rows, &ld.dim, err))
        goto out;
    ld.fmt = fmt == VEC_AUTO ? detect_format(&ld.src, ld.dim) : fmt;
    ld.stride = w2v_row_stride(ld.dim);
    ld.want = limit > 0 && limit < ld.header_rows ? limit : ld.header_rows;
    /* every row takes at least two bytes of file: refuse absurd headers
     * before allocating for them */
    if (ld.want > (int64_t)(ld.src.size / 2) + 1) {
        w2v_fail(err, "%s: truncated: the header says %lld rows, the file "
                 "has only %zu bytes", path, (long long)ld.header_rows,
                 ld.src.size);
        goto out;
    }
    if (ld.want > WORD_TABLE_MAX_ID) {
        w2v_fail(err, "%s: %lld rows: at most %lld are supported", path,
                 (long long)ld.want, (long long)WORD_TABLE_MAX_ID);
        goto out;
    }
    ld.ws.offset = w2v_malloc((size_t)ld.want * sizeof(size_t), err);
    ld.data = w2v_alloc_aligned((size_t)(ld.want * ld.stride) * sizeof(float),
                                err);
    if (!ld.ws.offset || !ld.data)
        goto out;
    memset(ld.data, 0, (size_t)(ld.want * ld.stride) * sizeof(float));
    if (parse_rows(&ld, err) == 0 && finish(&ld, v, err) == 0)
        rc = 0;
out:
    close_source(&ld.src);
    free(ld.ws.offset);
    free(ld.ws.pool);
    free(ld.data);
    if (rc)
        vectors_free(v);
    return rc;
}

void vectors_free(vectors *v)
{
    free(v->data);
    free(v->words);
    free(v->pool);
    word_table_free(&v->table);
    memset(v, 0, sizeof *v);
}
