/* vecload.c - reading vector files of any format (see vectors.h).
 *
 * A regular file is mapped; anything else (a pipe) is read through a window
 * that always holds the whole row being parsed, refilled between rows.  The
 * rows are parsed in one pass into one W2V_ALIGN-aligned matrix.  Every
 * malformed case is an error naming the file and the row; nothing is loaded
 * halfway. */
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
/* Largest dimension accepted. */
#define MAX_DIM 1000000
/* Bytes asked of a pipe per read. */
#define READ_CHUNK (1 << 20)
/* Rows the matrix of a headerless pipe starts with; it doubles as needed. */
#define FIRST_ROWS 4096

typedef struct source {
    const char *name;             /* in messages */
    const unsigned char *p, *end; /* the window: read, not parsed yet */
    const unsigned char *map;     /* a mapped file, or NULL */
    size_t map_size;
    unsigned char *buf;           /* storage of a pipe's window */
    size_t cap;
    int fd;                       /* the pipe, or -1 */
    int close_fd;                 /* fd is ours (not standard input) */
    int eof;                      /* the window holds all that is left */
} source;

static int open_source(const char *path, source *s, w2v_err *err)
{
    memset(s, 0, sizeof *s);
    s->fd = -1;
    int is_stdin = strcmp(path, "-") == 0;
    s->name = is_stdin ? "standard input" : path;
    int fd = is_stdin ? STDIN_FILENO : open(path, O_RDONLY);
    if (fd < 0)
        return w2v_fail_errno(err, "%s: cannot open", s->name);
    struct stat st;
    int rc = 0;
    off_t at = -1;
    if (fstat(fd, &st))
        rc = w2v_fail_errno(err, "%s: cannot stat", s->name);
    else if (S_ISDIR(st.st_mode))
        rc = w2v_fail(err, "%s: is a directory", s->name);
    else if (S_ISREG(st.st_mode))
        at = lseek(fd, 0, SEEK_CUR); /* standard input may be part read */
    if (rc == 0 && at >= 0 && st.st_size > at) {
        void *m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
        if (m == MAP_FAILED) {
            rc = w2v_fail_errno(err, "%s: cannot map", s->name);
        } else {
            s->map = m;
            s->map_size = (size_t)st.st_size;
            s->p = s->map + at;
            s->end = s->map + s->map_size;
            s->eof = 1;
        }
    } else if (rc == 0) {
        /* pipes, devices, empty files: read as they come */
        if (!(s->buf = w2v_malloc(READ_CHUNK, err)))
            rc = -1;
        s->cap = READ_CHUNK;
        s->p = s->end = s->buf;
        s->fd = fd;
        s->close_fd = !is_stdin;
        if (rc == 0)
            return 0;
    }
    if (!is_stdin)
        close(fd);
    return rc;
}

static void close_source(source *s)
{
    if (s->map)
        munmap((void *)s->map, s->map_size);
    free(s->buf);
    if (s->close_fd)
        close(s->fd);
    memset(s, 0, sizeof *s);
}

/* Makes the window hold at least `need` bytes, or all that is left.
 * Pointers into the window are invalid afterwards. */
static int fill(source *s, size_t need, w2v_err *err)
{
    while ((size_t)(s->end - s->p) < need && !s->eof) {
        size_t have = (size_t)(s->end - s->p);
        if (s->p != s->buf) {
            memmove(s->buf, s->p, have);
            s->p = s->buf;
            s->end = s->buf + have;
        }
        size_t want = need > have + READ_CHUNK ? need : have + READ_CHUNK;
        if (want > s->cap) {
            size_t cap = s->cap;
            while (cap < want)
                cap *= 2;
            unsigned char *bigger = realloc(s->buf, cap);
            if (!bigger)
                return w2v_fail(err, "%s: out of memory reading it", s->name);
            s->buf = bigger;
            s->cap = cap;
            s->p = bigger;
            s->end = bigger + have;
        }
        ssize_t got = read(s->fd, s->buf + have, s->cap - have);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0)
            return w2v_fail_errno(err, "%s: read failed", s->name);
        if (got == 0)
            s->eof = 1;
        s->end += got;
    }
    return 0;
}

/* Makes the window hold the rest of the current line, its newline
 * included, or all that is left. */
static int fill_line(source *s, w2v_err *err)
{
    size_t from = 0;
    for (;;) {
        size_t have = (size_t)(s->end - s->p);
        if (s->eof || memchr(s->p + from, '\n', have - from))
            return 0;
        from = have;
        if (fill(s, have + 1, err))
            return -1;
    }
}

/* Reads and drops what is left of a pipe, so that its writer can finish. */
static int drain(source *s, w2v_err *err)
{
    while (!s->eof) {
        s->p = s->end;
        if (fill(s, 1, err))
            return -1;
    }
    return 0;
}

static int is_blank(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\r';
}

/* *blank = 1 when nothing but blanks and newlines is left (the window is
 * then empty), else 0 with the window unchanged but for more bytes read. */
static int rest_is_blank(source *s, int *blank, w2v_err *err)
{
    size_t off = 0;
    for (;;) {
        while (s->p + off < s->end && (is_blank(s->p[off]) || s->p[off] == '\n'))
            off++;
        if (s->p + off < s->end) {
            *blank = 0;
            return 0;
        }
        if (s->eof) {
            s->p = s->end;
            *blank = 1;
            return 0;
        }
        if (fill(s, off + 1, err))
            return -1;
    }
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
    if (vals[1] > MAX_DIM)
        return w2v_fail(err, "%s: header: dimension %lld is implausibly large",
                        path, (long long)vals[1]);
    *n = vals[0];
    *dim = vals[1];
    return 0;
}

/* The number of values when the line at p (up to its newline or end) is a
 * word followed by finite numbers, and, when need_fraction, one of them at
 * least is not a whole number; else 0. */
static int64_t line_values(const unsigned char *p, const unsigned char *end,
                           int need_fraction)
{
    const unsigned char *q = p;
    while (q < end && !is_blank(*q) && *q != '\n')
        q++;
    if (q == p)
        return 0;
    int64_t n = 0;
    int fraction = 0;
    for (;;) {
        while (q < end && is_blank(*q))
            q++;
        if (q == end || *q == '\n')
            break;
        const unsigned char *start = q;
        while (q < end && !is_blank(*q) && *q != '\n')
            q++;
        size_t len = (size_t)(q - start);
        char tok[MAX_NUMBER + 1], *stop;
        if (len > MAX_NUMBER || n == MAX_DIM)
            return 0;
        memcpy(tok, start, len);
        tok[len] = '\0';
        float x = strtof(tok, &stop);
        if (stop != tok + len || !isfinite(x))
            return 0;
        for (size_t i = 0; i < len; i++)
            fraction |= !(tok[i] >= '0' && tok[i] <= '9') && tok[i] != '-' &&
                        tok[i] != '+';
        n++;
    }
    return n > 0 && (fraction || !need_fraction) ? n : 0;
}

static int printable(unsigned char c)
{
    return (c >= 0x20 && c < 0x7f) || c == '\t' || c == '\r';
}

/* Text when the rest of the first row, up to the end of its line, is
 * printable ASCII with either `dim` fields or at least 2 * dim bytes (a text
 * row with a wrong count): raw float32 bytes practically never look like
 * that.  A row without a separator is left to the text parser, which
 * explains the problem.  The window must hold a binary row or the rest. */
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

int64_t vectors_find_rest(const vectors *v, const char *word)
{
    if (!v->rest_table.slots)
        return -1;
    int64_t i = word_table_find(&v->rest_table, v->rest_words, word,
                                (int)strlen(word));
    return i < 0 ? -1 : v->rest_first + i;
}

/* Growing storage for the words while rows are parsed. */
typedef struct word_store {
    char *pool;
    size_t len, cap;
    size_t *offset; /* per row */
    int64_t n, n_cap;
} word_store;

/* Appends a word as the next row's. */
static int store_word(word_store *ws, const unsigned char *w, size_t len,
                      w2v_err *err)
{
    if (ws->n == ws->n_cap) {
        int64_t n_cap = ws->n_cap ? 2 * ws->n_cap : FIRST_ROWS;
        size_t *bigger = realloc(ws->offset, (size_t)n_cap * sizeof *bigger);
        if (!bigger)
            return w2v_fail(err, "out of memory (%lld words)",
                            (long long)n_cap);
        ws->offset = bigger;
        ws->n_cap = n_cap;
    }
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
    ws->offset[ws->n++] = ws->len;
    ws->len += len + 1;
    return 0;
}

static void free_store(word_store *ws)
{
    free(ws->pool);
    free(ws->offset);
    memset(ws, 0, sizeof *ws);
}

typedef struct loader {
    const char *path; /* as named in messages */
    source src;
    vec_format fmt;       /* VEC_TEXT, VEC_BINARY or VEC_TEXT_NOHEADER */
    int64_t dim, stride;
    int64_t header_rows;  /* -1 without a header */
    int64_t want;         /* rows to parse; -1: all there are */
    int64_t rows;         /* rows parsed */
    int64_t cap;          /* rows data has room for */
    word_store ws, rest;
    float *data;
} loader;

static const char *row_kind(const loader *ld)
{
    return ld->fmt == VEC_BINARY ? "row" : "line";
}

/* File row r (0-based) in messages: text counts lines (a header is 1). */
static long long row_number(const loader *ld, int64_t r)
{
    return (long long)(ld->fmt == VEC_TEXT ? r + 2 : r + 1);
}

/* Grows data to `rows` rows (a copy: only headerless pipes need it). */
static int reserve(loader *ld, int64_t rows, w2v_err *err)
{
    size_t bytes = (size_t)rows * (size_t)ld->stride * sizeof(float);
    float *bigger = w2v_alloc_aligned(bytes, err);
    if (!bigger)
        return w2v_fail(err, "%s: %lld rows of %lld values: out of memory",
                        ld->path, (long long)rows, (long long)ld->dim);
    if (ld->data)
        memcpy(bigger, ld->data,
               (size_t)(ld->rows * ld->stride) * sizeof(float));
    free(ld->data);
    ld->data = bigger;
    ld->cap = rows;
    return 0;
}

/* Brings the whole of the next row into the window (binary: a row as long
 * as a valid one can be, after any newlines ending the previous row). */
static int begin_row(loader *ld, w2v_err *err)
{
    source *s = &ld->src;
    if (ld->fmt != VEC_BINARY)
        return fill_line(s, err);
    for (;;) {
        if (fill(s, 1, err))
            return -1;
        if (s->p == s->end || *s->p != '\n')
            break;
        s->p++;
    }
    return fill(s, MAX_FILE_WORD + 2 + 4 * (size_t)ld->dim, err);
}

/* Reads the word of file row r; leaves src.p after its separator. */
static int read_word(loader *ld, int64_t r, const unsigned char **w,
                     size_t *len, w2v_err *err)
{
    source *s = &ld->src;
    int text = ld->fmt != VEC_BINARY;
    if (s->p == s->end)
        return w2v_fail(err, "%s: truncated: the header says %lld rows, the "
                        "file ends after %lld", ld->path,
                        (long long)ld->header_rows, (long long)r);
    const unsigned char *start = s->p;
    while (s->p < s->end && *s->p != ' ' &&
           !(text && (*s->p == '\t' || *s->p == '\n')) &&
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
        return w2v_fail(err, "%s: line %lld (word '%s'): %lld values, %s "
                        "%lld", ld->path, line, word, (long long)j,
                        ld->fmt == VEC_TEXT ? "the header says"
                                            : "the first line has",
                        (long long)ld->dim);
    if (s->p < s->end)
        s->p++; /* the newline; a missing one at the end is fine */
    return 0;
}

static int parse_rows(loader *ld, w2v_err *err)
{
    for (int64_t r = 0; ld->want < 0 || r < ld->want; r++) {
        if (ld->header_rows < 0) { /* headerless: the rows end with the text */
            int blank;
            if (rest_is_blank(&ld->src, &blank, err))
                return -1;
            if (blank)
                break;
            if (r == WORD_TABLE_MAX_ID)
                return w2v_fail(err, "%s: more than %lld rows", ld->path,
                                (long long)WORD_TABLE_MAX_ID);
        }
        if (r == ld->cap && reserve(ld, 2 * ld->cap, err))
            return -1;
        const unsigned char *w = NULL;
        size_t len = 0;
        if (begin_row(ld, err) || read_word(ld, r, &w, &len, err) ||
            store_word(&ld->ws, w, len, err))
            return -1;
        const char *word = ld->ws.pool + ld->ws.offset[r];
        float *row = ld->data + r * ld->stride;
        int bad = ld->fmt == VEC_BINARY
                      ? read_binary_values(ld, r, word, row, err)
                      : read_text_values(ld, r, word, row, err);
        if (bad)
            return -1;
        memset(row + ld->dim, 0,
               (size_t)(ld->stride - ld->dim) * sizeof(float));
        ld->rows = r + 1;
    }
    if (ld->header_rows >= 0 && ld->want == ld->header_rows) {
        int blank;
        if (rest_is_blank(&ld->src, &blank, err))
            return -1;
        if (!blank)
            return w2v_fail(err, "%s: more rows than the header says (%lld)",
                            ld->path, (long long)ld->header_rows);
    }
    return 0;
}

/* The words of the rows after the parsed ones, their values skipped; the
 * first row that is not well formed ends them. */
static int read_rest(loader *ld, w2v_err *err)
{
    source *s = &ld->src;
    w2v_err ignored;
    for (int64_t r = ld->rows;
         ld->header_rows < 0 || r < ld->header_rows; r++) {
        int blank;
        if (rest_is_blank(s, &blank, err))
            return -1;
        if (blank || r == WORD_TABLE_MAX_ID)
            break;
        const unsigned char *w = NULL;
        size_t len = 0;
        if (begin_row(ld, err))
            return -1;
        if (read_word(ld, r, &w, &len, &ignored))
            break;
        if (ld->fmt == VEC_BINARY) {
            if ((size_t)(s->end - s->p) < 4 * (size_t)ld->dim)
                break;
            s->p += 4 * ld->dim;
        } else {
            const unsigned char *nl = memchr(s->p, '\n', (size_t)(s->end - s->p));
            s->p = nl ? nl + 1 : s->end;
        }
        if (store_word(&ld->rest, w, len, err))
            return -1;
    }
    return 0;
}

/* Points words[0..ws->n) at the stored words and indexes them in a new
 * table; a repeated word maps to its first index. */
static int index_words(const word_store *ws, char **words, word_table *t,
                       w2v_err *err)
{
    if (word_table_init(t, word_table_slots_for(ws->n), err))
        return -1;
    for (int64_t r = 0; r < ws->n; r++) {
        char *word = ws->pool + ws->offset[r];
        int len = (int)strlen(word);
        uint32_t h = word_hash(word, len);
        uint64_t slot = word_table_probe(t, words, word, len, h);
        words[r] = word;
        if (word_table_id(t, slot) < 0)
            word_table_set(t, slot, h, len, r);
    }
    return 0;
}

/* Moves the parsed rows into v, indexing their words; a repeated word keeps
 * its first row, the later ones are dropped (and counted in v->warning). */
static int finish(loader *ld, vectors *v, w2v_err *err)
{
    v->words = w2v_malloc((size_t)(ld->rows ? ld->rows : 1) * sizeof(char *),
                          err);
    if (!v->words ||
        word_table_init(&v->table, word_table_slots_for(ld->rows), err))
        return -1;
    v->pool = ld->ws.pool;
    ld->ws.pool = NULL;
    v->dim = ld->dim;
    v->stride = ld->stride;
    v->data = ld->data;
    ld->data = NULL;
    v->format = ld->fmt;
    int64_t kept = 0, duplicates = 0, first_dup = 0;
    for (int64_t r = 0; r < ld->rows; r++) {
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
           (size_t)((ld->rows - kept) * v->stride) * sizeof(float));
    v->n = kept;
    if (duplicates)
        snprintf(v->warning, sizeof v->warning,
                 "%s: %lld duplicate word%s ignored, the first row of each "
                 "kept (first: '%.64s' at %s %lld)", ld->path,
                 (long long)duplicates, duplicates > 1 ? "s" : "",
                 v->pool + ld->ws.offset[first_dup], row_kind(ld),
                 row_number(ld, first_dup));
    if (ld->rest.n) {
        v->rest_first = ld->rows;
        v->n_rest = ld->rest.n;
        if (!(v->rest_words =
                  w2v_malloc((size_t)ld->rest.n * sizeof(char *), err)) ||
            index_words(&ld->rest, v->rest_words, &v->rest_table, err))
            return -1;
        v->rest_pool = ld->rest.pool;
        ld->rest.pool = NULL;
    }
    return 0;
}

/* Reads the header (or, without one, the dimension from the first line)
 * and settles the format. */
static int read_header(loader *ld, vec_format fmt, w2v_err *err)
{
    source *s = &ld->src;
    if (fill_line(s, err))
        return -1;
    const unsigned char *first = s->p;
    if (fmt == VEC_TEXT_NOHEADER) {
        if (!(ld->dim = line_values(s->p, s->end, 0)))
            return w2v_fail(err, "%s: line 1: expected a word and numbers",
                            ld->path);
        ld->fmt = fmt;
        ld->header_rows = -1;
        return 0;
    }
    w2v_err header_err;
    if (parse_header(ld->path, s, &ld->header_rows, &ld->dim, &header_err)) {
        if (fmt == VEC_AUTO && (ld->dim = line_values(first, s->end, 1))) {
            s->p = first;
            ld->fmt = VEC_TEXT_NOHEADER;
            ld->header_rows = -1;
            return 0;
        }
        *err = header_err;
        return -1;
    }
    if (fmt == VEC_AUTO) {
        if (fill(s, MAX_FILE_WORD + 8 + 4 * (size_t)ld->dim, err))
            return -1;
        fmt = detect_format(s, ld->dim);
    }
    ld->fmt = fmt;
    return 0;
}

int vectors_load_opts(const char *path, const vec_load_opts *o, vectors *v,
                      w2v_err *err)
{
    memset(v, 0, sizeof *v);
    loader ld;
    memset(&ld, 0, sizeof ld);
    if (open_source(path, &ld.src, err))
        return -1;
    ld.path = ld.src.name;
    int rc = -1;
    if (read_header(&ld, o->format, err))
        goto out;
    ld.stride = w2v_row_stride(ld.dim);
    int64_t limit = o->limit > 0 ? o->limit : -1;
    int64_t rows = ld.header_rows;
    if (rows < 0) { /* headerless: a mapped file's lines, or a guess */
        rows = ld.src.map ? 0 : FIRST_ROWS;
        for (const unsigned char *q = ld.src.p; ld.src.map && q < ld.src.end;
             rows++) {
            const unsigned char *nl = memchr(q, '\n', (size_t)(ld.src.end - q));
            q = nl ? nl + 1 : ld.src.end;
        }
        ld.want = limit;
    } else {
        ld.want = limit > 0 && limit < ld.header_rows ? limit : ld.header_rows;
        /* every row takes at least 2 * dim + 1 bytes of file (a word,
         * then dim values each after a separator): refuse absurd headers
         * before allocating for them (one row more is left to the parser,
         * which names the line where it is missing) */
        size_t left = (size_t)(ld.src.end - ld.src.p);
        if (ld.src.map &&
            ld.want > (int64_t)(left / (size_t)(2 * ld.dim + 1)) + 1) {
            w2v_fail(err, "%s: truncated: the header says %lld rows, the file "
                     "has only %zu bytes", ld.path, (long long)ld.header_rows,
                     ld.src.map_size);
            goto out;
        }
        if (ld.want > WORD_TABLE_MAX_ID) {
            w2v_fail(err, "%s: %lld rows: at most %lld are supported", ld.path,
                     (long long)ld.want, (long long)WORD_TABLE_MAX_ID);
            goto out;
        }
        rows = ld.want;
    }
    if (limit > 0 && rows > limit)
        rows = limit;
    if (reserve(&ld, rows > 0 ? rows : 1, err) || parse_rows(&ld, err) ||
        (o->rest && read_rest(&ld, err)) || drain(&ld.src, err) ||
        finish(&ld, v, err))
        goto out;
    rc = 0;
out:
    close_source(&ld.src);
    free_store(&ld.ws);
    free_store(&ld.rest);
    free(ld.data);
    if (rc)
        vectors_free(v);
    return rc;
}

int vectors_load(const char *path, vec_format fmt, int64_t limit, vectors *v,
                 w2v_err *err)
{
    vec_load_opts o = {fmt, limit, 0};
    return vectors_load_opts(path, &o, v, err);
}

void vectors_free(vectors *v)
{
    free(v->data);
    free(v->words);
    free(v->pool);
    word_table_free(&v->table);
    free(v->rest_words);
    free(v->rest_pool);
    word_table_free(&v->rest_table);
    memset(v, 0, sizeof *v);
}
