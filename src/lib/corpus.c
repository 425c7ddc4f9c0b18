/* corpus.c - opening the corpus (spooling pipes) and reading tokens. */
#include "corpus.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char *dup_name(const char *s, w2v_err *err)
{
    char *d = w2v_malloc(strlen(s) + 1, err);
    if (d)
        strcpy(d, s);
    return d;
}

/* Copies everything from in_fd into a new unlinked temporary file; returns
 * its descriptor, or -1. */
static int spool(int in_fd, const char *name, const char *dir, int64_t *size,
                 w2v_err *err)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/w2v-spool.XXXXXX", dir);
    int fd = mkstemp(path);
    if (fd < 0)
        return w2v_fail_errno(err, "%s: cannot create spool file in %s", name,
                              dir);
    unlink(path);
    size_t cap = 1 << 20;
    char *buf = w2v_malloc(cap, err);
    if (!buf) {
        close(fd);
        return -1;
    }
    int64_t total = 0;
    for (;;) {
        ssize_t n = read(in_fd, buf, cap);
        if (n == 0)
            break;
        if (n < 0) {
            if (errno == EINTR)
                continue;
            w2v_fail_errno(err, "%s: read error", name);
            goto fail;
        }
        for (ssize_t off = 0; off < n;) {
            ssize_t w = write(fd, buf + off, (size_t)(n - off));
            if (w < 0 && errno == EINTR)
                continue;
            if (w <= 0) {
                w2v_fail_errno(err, "%s: cannot spool to %s", name, dir);
                goto fail;
            }
            off += w;
        }
        total += n;
    }
    free(buf);
    *size = total;
    return fd;
fail:
    free(buf);
    close(fd);
    return -1;
}

int corpus_open(corpus *c, const char *path, const char *spool_dir,
                w2v_err *err)
{
    memset(c, 0, sizeof *c);
    c->fd = -1;
    if (!(c->name = dup_name(path, err)))
        return -1;
    int in_fd = strcmp(path, "-") == 0 ? STDIN_FILENO : open(path, O_RDONLY);
    if (in_fd < 0) {
        w2v_fail_errno(err, "%s: cannot open", path);
        goto fail;
    }
    struct stat st;
    if (fstat(in_fd, &st) != 0) {
        w2v_fail_errno(err, "%s: cannot stat", path);
        goto fail_close;
    }
    if (S_ISDIR(st.st_mode)) {
        w2v_fail(err, "%s: is a directory", path);
        goto fail_close;
    }
    if (S_ISREG(st.st_mode)) {
        c->fd = in_fd;
        c->size = c->end = (int64_t)st.st_size;
        return 0;
    }
    c->fd = spool(in_fd, path, spool_dir && *spool_dir ? spool_dir : "/tmp",
                  &c->size, err);
    c->spooled = 1;
    if (in_fd != STDIN_FILENO)
        close(in_fd);
    if (c->fd < 0)
        goto fail;
    c->end = c->size;
    return 0;
fail_close:
    if (in_fd != STDIN_FILENO)
        close(in_fd);
fail:
    free(c->name);
    c->name = NULL;
    return -1;
}

void corpus_close(corpus *c)
{
    if (c->fd >= 0 && c->fd != STDIN_FILENO)
        close(c->fd);
    c->fd = -1;
    free(c->name);
    c->name = NULL;
}

/* begin + (end - begin) * i / n without overflow for any realistic size. */
static int64_t split(int64_t begin, int64_t end, int i, int n)
{
    return begin + (int64_t)((__int128)(end - begin) * i / n);
}

void corpus_set_window(corpus *c, int part, int parts)
{
    c->begin = split(0, c->size, part, parts);
    c->end = split(0, c->size, part + 1, parts);
}

int64_t corpus_range_start(const corpus *c, int i, int n)
{
    return split(c->begin, c->end, i, n);
}

/* The separator bytes: space, \t, \n, \v, \f, \r and NUL. */
static const unsigned char separator[256] = {
    [' '] = 1, ['\t'] = 1, ['\n'] = 1, ['\v'] = 1, ['\f'] = 1, ['\r'] = 1,
    ['\0'] = 1,
};

static inline int is_separator(unsigned char ch)
{
    return separator[ch];
}

int reader_init(token_reader *r, const corpus *c, int64_t begin, int64_t end,
                int64_t buf_size, w2v_err *err)
{
    memset(r, 0, sizeof *r);
    r->c = c;
    r->begin = begin;
    r->end = end;
    r->buf_cap = buf_size > 0 ? buf_size : 1;
    if (!(r->buf = w2v_malloc((size_t)r->buf_cap, err)))
        return -1;
    reader_rewind(r);
    return 0;
}

void reader_free(token_reader *r)
{
    free(r->buf);
    r->buf = NULL;
}

void reader_rewind(token_reader *r)
{
    reader_seek(r, r->begin, 1);
}

int64_t reader_tell(const token_reader *r, int *skip_partial)
{
    *skip_partial = r->at_begin;
    return r->buf_off + r->buf_pos;
}

void reader_seek(token_reader *r, int64_t offset, int skip_partial)
{
    r->buf_off = offset;
    r->buf_len = r->buf_pos = 0;
    r->eof = 0;
    r->at_begin = skip_partial && offset > 0;
}

/* Makes buf[buf_pos] valid: 1, or 0 at end of file, -1 on a read error. */
static inline int fill(token_reader *r, w2v_err *err)
{
    if (r->buf_pos < r->buf_len)
        return 1;
    if (r->eof)
        return 0;
    r->buf_off += r->buf_len;
    r->buf_pos = r->buf_len = 0;
    for (;;) {
        ssize_t n = pread(r->c->fd, r->buf, (size_t)r->buf_cap,
                          (off_t)r->buf_off);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return w2v_fail_errno(err, "%s: read error", r->c->name);
        r->buf_len = n;
        r->eof = n == 0;
        return n > 0;
    }
}

/* Skips the tail of a token that started before the current position (it
 * belongs to the previous range). */
static int skip_partial_token(token_reader *r, w2v_err *err)
{
    unsigned char prev;
    ssize_t n;
    do
        n = pread(r->c->fd, &prev, 1, (off_t)(r->buf_off + r->buf_pos - 1));
    while (n < 0 && errno == EINTR);
    if (n < 0)
        return w2v_fail_errno(err, "%s: read error", r->c->name);
    if (n == 0 || is_separator(prev))
        return 0;
    int got;
    while ((got = fill(r, err)) > 0 && !is_separator(r->buf[r->buf_pos]))
        r->buf_pos++;
    return got < 0 ? -1 : 0;
}

/* Cuts a word of more than W2V_MAX_WORD bytes (word holds W2V_MAX_WORD + 1
 * of them) before the character that straddles the limit. */
static int cut_utf8(const char *word)
{
    int n = W2V_MAX_WORD;
    while (n > 0 && ((unsigned char)word[n] & 0xC0) == 0x80)
        n--;
    return n > 0 ? n : W2V_MAX_WORD; /* not UTF-8 at all: cut anywhere */
}

int reader_next(token_reader *r, char *word, int *len, w2v_err *err)
{
    int got;
    if (r->at_begin) {
        r->at_begin = 0;
        if (skip_partial_token(r, err))
            return READ_ERROR;
    }
    /* separators; a newline inside the range ends a sentence */
    while ((got = fill(r, err)) > 0) {
        if (r->buf_off + r->buf_pos >= r->end)
            return READ_END;
        unsigned char ch = r->buf[r->buf_pos];
        if (!is_separator(ch))
            break;
        r->buf_pos++;
        if (ch == '\n')
            return READ_SENTENCE_END;
    }
    if (got <= 0)
        return got < 0 ? READ_ERROR : READ_END;
    /* the word, which may run past the end of the range: scan each
     * buffer-full directly */
    int n = 0, too_long = 0;
    while ((got = fill(r, err)) > 0) {
        const unsigned char *p = r->buf + r->buf_pos;
        const unsigned char *e = r->buf + r->buf_len, *start = p;
        while (p < e && !separator[*p])
            p++;
        int64_t run = p - start;
        int64_t room = W2V_MAX_WORD + 1 - n;
        memcpy(word + n, start, (size_t)(run < room ? run : room));
        if (run > room)
            too_long = 1;
        n += (int)(run < room ? run : room);
        r->buf_pos += run;
        if (p < e)
            break;
    }
    if (got < 0)
        return READ_ERROR;
    if (n > W2V_MAX_WORD || too_long) {
        n = cut_utf8(word);
        r->truncated++;
    }
    word[n] = '\0';
    *len = n;
    return READ_WORD;
}
