/* corpus.c - opening the corpus (spooling pipes) and reading tokens. */
#include "corpus.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "wordhash.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

static char *dup_name(const char *s, w2v_err *err)
{
    char *d = w2v_malloc(strlen(s) + 1, err);
    if (d)
        strcpy(d, s);
    return d;
}

corpus_compression corpus_sniff(const unsigned char *head, size_t n)
{
    static const unsigned char xz[6] = {0xFD, '7', 'z', 'X', 'Z', 0x00};
    static const unsigned char zstd[4] = {0x28, 0xB5, 0x2F, 0xFD};
    /* bzip2: "BZh", the block size '1'..'9', then the magic of a block
     * (the digits of pi) or of the end of the stream (of sqrt(pi)) */
    static const unsigned char bz_block[6] = {0x31, 0x41, 0x59,
                                              0x26, 0x53, 0x59};
    static const unsigned char bz_end[6] = {0x17, 0x72, 0x45,
                                            0x38, 0x50, 0x90};
    if (n >= 3 && head[0] == 0x1F && head[1] == 0x8B && head[2] == 8)
        return CORPUS_GZIP; /* gzip with deflate, the only method defined */
    if (n >= 6 && memcmp(head, xz, 6) == 0)
        return CORPUS_XZ;
    if (n >= 4 && memcmp(head, zstd, 4) == 0)
        return CORPUS_ZSTD;
    if (n >= 10 && memcmp(head, "BZh", 3) == 0 && head[3] >= '1' &&
        head[3] <= '9' &&
        (memcmp(head + 4, bz_block, 6) == 0 || memcmp(head + 4, bz_end, 6) == 0))
        return CORPUS_BZIP2;
    return CORPUS_PLAIN;
}

const char *corpus_compression_name(corpus_compression k)
{
    switch (k) {
    case CORPUS_GZIP:
        return "gzip";
    case CORPUS_BZIP2:
        return "bzip2";
    case CORPUS_XZ:
        return "xz";
    case CORPUS_ZSTD:
        return "zstd";
    case CORPUS_PLAIN:
        break;
    }
    return "plain";
}

/* Reads up to n bytes at offset 0 of a regular file; the count, or -1. */
static ssize_t read_head(int fd, unsigned char *head, size_t n)
{
    ssize_t got;
    do
        got = pread(fd, head, n, 0);
    while (got < 0 && errno == EINTR);
    return got;
}

int corpus_file_compression(const char *path, corpus_compression *k,
                            w2v_err *err)
{
    *k = CORPUS_PLAIN;
    struct stat st;
    /* only a regular file is opened here: opening a FIFO to look at it
     * would connect to its writer, and closing it would break the pipe */
    if (strcmp(path, "-") == 0 || stat(path, &st) != 0 ||
        !S_ISREG(st.st_mode))
        return 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return w2v_fail_errno(err, "%s: cannot open", path);
    unsigned char head[CORPUS_SNIFF_BYTES];
    ssize_t got = read_head(fd, head, sizeof head);
    int rc = 0;
    if (got < 0)
        rc = w2v_fail_errno(err, "%s: read error", path);
    else
        *k = corpus_sniff(head, (size_t)got);
    close(fd);
    return rc;
}

/* The name of the input in messages. */
static const char *display_name(const char *name)
{
    return strcmp(name, "-") == 0 ? "standard input" : name;
}

static int refuse_compressed(const char *name, corpus_compression k,
                             w2v_err *err)
{
    return w2v_fail(err, "%s: %s-compressed data, not text: decompress it "
                         "first (%s -dc FILE | w2v ... -input -)",
                    display_name(name), corpus_compression_name(k),
                    corpus_compression_name(k));
}

/* Copies everything from in_fd into a new unlinked temporary file; returns
 * its descriptor, or -1.  Compressed data is refused from its first
 * bytes. */
static int spool(int in_fd, const char *name, const char *dir, int64_t *size,
                 const corpus_spool_monitor *mon, w2v_err *err)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/w2v-spool.XXXXXX", dir);
    int fd = mkostemp(path, O_CLOEXEC);
    if (fd < 0)
        return w2v_fail_errno(err, "%s: cannot create a spool file in %s "
                                   "(set $TMPDIR to a writable folder)",
                              display_name(name), dir);
    unlink(path);
    size_t cap = 1 << 20;
    char *buf = w2v_malloc(cap, err);
    if (!buf) {
        close(fd);
        return -1;
    }
    unsigned char head[CORPUS_SNIFF_BYTES];
    size_t head_len = 0;
    int64_t total = 0;
    double start = w2v_now(), last = start;
    for (;;) {
        ssize_t n = read(in_fd, buf, cap);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            w2v_fail_errno(err, "%s: read error", display_name(name));
            goto fail;
        }
        if (head_len < sizeof head) {
            size_t take = sizeof head - head_len;
            if ((size_t)n < take)
                take = (size_t)n;
            memcpy(head + head_len, buf, take);
            head_len += take;
            corpus_compression k = corpus_sniff(head, head_len);
            if ((head_len == sizeof head || n == 0) && k != CORPUS_PLAIN) {
                refuse_compressed(name, k, err);
                goto fail;
            }
        }
        if (n == 0)
            break;
        for (ssize_t off = 0; off < n;) {
            ssize_t w = write(fd, buf + off, (size_t)(n - off));
            if (w < 0 && errno == EINTR)
                continue;
            if (w <= 0) {
                if (w == 0)
                    errno = ENOSPC;
                w2v_fail_errno(err, "%s: cannot spool to %s after %lld bytes "
                                    "(set $TMPDIR to a folder with room for "
                                    "the whole input)",
                               display_name(name), dir,
                               (long long)(total + off));
                goto fail;
            }
            off += w;
        }
        total += n;
        double now = w2v_now();
        if (mon && mon->progress && now - last >= mon->interval) {
            mon->progress(total, now - start, mon->ctx);
            last = now;
        }
    }
    free(buf);
    *size = total;
    return fd;
fail:
    free(buf);
    close(fd);
    return -1;
}

int corpus_open_fd(corpus *c, int fd, const char *name, const char *spool_dir,
                   const corpus_spool_monitor *mon, w2v_err *err)
{
    memset(c, 0, sizeof *c);
    c->fd = -1;
    if (!(c->name = dup_name(name, err)))
        return -1;
    struct stat st;
    if (fstat(fd, &st) != 0) {
        w2v_fail_errno(err, "%s: cannot stat", display_name(name));
        goto fail;
    }
    if (S_ISDIR(st.st_mode)) {
        w2v_fail(err, "%s: is a directory", display_name(name));
        goto fail;
    }
    if (S_ISREG(st.st_mode)) {
        unsigned char head[CORPUS_SNIFF_BYTES];
        ssize_t got = read_head(fd, head, sizeof head);
        corpus_compression k = got > 0 ? corpus_sniff(head, (size_t)got)
                                       : CORPUS_PLAIN;
        if (got < 0) {
            w2v_fail_errno(err, "%s: read error", display_name(name));
            goto fail;
        }
        if (k != CORPUS_PLAIN) {
            refuse_compressed(name, k, err);
            goto fail;
        }
        if ((c->fd = fcntl(fd, F_DUPFD_CLOEXEC, 3)) < 0) {
            w2v_fail_errno(err, "%s: cannot open", display_name(name));
            goto fail;
        }
        c->size = c->end = (int64_t)st.st_size;
        return 0;
    }
    c->spooled = 1;
    c->fd = spool(fd, name, spool_dir && *spool_dir ? spool_dir : "/tmp",
                  &c->size, mon, err);
    if (c->fd < 0)
        goto fail;
    c->end = c->size;
    return 0;
fail:
    free(c->name);
    c->name = NULL;
    return -1;
}

int corpus_open(corpus *c, const char *path, const char *spool_dir,
                w2v_err *err)
{
    if (strcmp(path, "-") == 0)
        return corpus_open_fd(c, STDIN_FILENO, path, spool_dir, NULL, err);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        memset(c, 0, sizeof *c);
        c->fd = -1;
        return w2v_fail_errno(err, "%s: cannot open", path);
    }
    int rc = corpus_open_fd(c, fd, path, spool_dir, NULL, err);
    close(fd);
    return rc;
}

void corpus_close(corpus *c)
{
    if (c->fd >= 0)
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
    /* zeroed, so that the READER_PAD bytes past the data are always
     * initialized when a word is loaded 8 bytes at a time */
    if (!(r->buf = w2v_calloc((size_t)r->buf_cap + READER_PAD, 1, err)))
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

/* The first separator in [p, e), or e.  Eight bytes are looked at a time
 * (the buffer has READER_PAD readable bytes past e): every separator is
 * below 0x21, and the lowest byte below 0x21 that the test flags is
 * exact (a borrow only runs upwards); a flagged byte that is no separator
 * (a control character) belongs to the word. */
static inline const unsigned char *word_end(const unsigned char *p,
                                            const unsigned char *e)
{
    const uint64_t ones = 0x0101010101010101ull;
    while (p < e) {
        uint64_t x = word_load_le64(p);
        uint64_t low = (x - 0x21 * ones) & ~x & (0x80 * ones);
        if (!low) {
            p += 8;
            continue;
        }
        const unsigned char *q = p + (__builtin_ctzll(low) >> 3);
        if (q >= e)
            return e;
        if (separator[*q])
            return q;
        p = q + 1;
    }
    return e;
}

/* Bit i set when p[i] is a separator, for i < 64 (p has 64 readable
 * bytes): a space, a NUL, or one of \t \n \v \f \r (9 to 13). */
#if defined(__SSE2__)
static inline uint64_t separator_bits(const unsigned char *p)
{
    const __m128i space = _mm_set1_epi8(' '), nul = _mm_setzero_si128();
    const __m128i tab = _mm_set1_epi8('\t'), four = _mm_set1_epi8(4);
    uint64_t bits = 0;
    for (int i = 0; i < 4; i++) {
        const void *at = p + 16 * i;
        __m128i x = _mm_loadu_si128((const __m128i *)at);
        __m128i d = _mm_sub_epi8(x, tab); /* 0..4 for \t..\r */
        __m128i sep = _mm_or_si128(
            _mm_or_si128(_mm_cmpeq_epi8(x, space), _mm_cmpeq_epi8(x, nul)),
            _mm_cmpeq_epi8(_mm_min_epu8(d, four), d));
        bits |= (uint64_t)(uint32_t)_mm_movemask_epi8(sep) << (16 * i);
    }
    return bits;
}
#else
/* High bit of each byte of x set when that byte is 0 (exact: no carry
 * crosses a byte). */
static inline uint64_t zero_bytes(uint64_t x)
{
    const uint64_t low7 = 0x7f7f7f7f7f7f7f7full;
    return ~(((x & low7) + low7) | x | low7);
}

static inline uint64_t separator_bits(const unsigned char *p)
{
    const uint64_t ones = 0x0101010101010101ull, low7 = 0x7f * ones;
    uint64_t bits = 0;
    for (int i = 0; i < 8; i++) {
        uint64_t x = word_load_le64(p + 8 * i);
        /* bytes below 0x80 that are below 14, and those below 9 */
        uint64_t below14 = ~(((x & low7) + (0x80 - 14) * ones) | x) & ~low7;
        uint64_t below9 = ~(((x & low7) + (0x80 - 9) * ones) | x) & ~low7;
        uint64_t sep = zero_bytes(x) | zero_bytes(x ^ (0x20 * ones)) |
                       (below14 & ~below9);
        /* the high bits of the 8 bytes, gathered into 8 bits */
        bits |= (((sep >> 7) * 0x0102040810204080ull) >> 56) << (8 * i);
    }
    return bits;
}
#endif

/* separator_bits of buf[base..), with every byte at or past len (base <
 * len) counted as a separator. */
static inline uint64_t separator_mask(const unsigned char *buf, int64_t base,
                                      int64_t len)
{
    uint64_t bits = separator_bits(buf + base);
    if (len - base < 64)
        bits |= ~(uint64_t)0 << (len - base);
    return bits;
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

/* Copies the word that starts at r's position, refilling the buffer as it
 * runs on, into word[0 .. W2V_MAX_WORD] (which holds W2V_MAX_WORD + 1
 * bytes; not NUL-terminated), cut before the UTF-8 character straddling
 * W2V_MAX_WORD bytes when longer (counted in r->truncated); *len gets its
 * length.  -1 on a read error. */
static int collect_word(token_reader *r, char *word, int *len, w2v_err *err)
{
    int n = 0, too_long = 0, got;
    while ((got = fill(r, err)) > 0) {
        const unsigned char *start = r->buf + r->buf_pos;
        const unsigned char *e = r->buf + r->buf_len;
        const unsigned char *p = word_end(start, e);
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
        return -1;
    if (n > W2V_MAX_WORD || too_long) {
        n = cut_utf8(word);
        r->truncated++;
    }
    *len = n;
    return 0;
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
    int n;
    if (collect_word(r, word, &n, err))
        return READ_ERROR;
    word[n] = '\0';
    *len = n;
    return READ_WORD;
}

int reader_next_words(token_reader *r, char *scratch, const char **words,
                      int *lens, int max, w2v_err *err)
{
    if (r->at_begin) {
        r->at_begin = 0;
        if (skip_partial_token(r, err))
            return -1;
    }
    /* bit i of mask: buf[base + i] is a separator (or past the data) */
    int64_t base = 0;
    uint64_t mask = 0;
    int have_mask = 0, n = 0;
    while (n < max) {
        if (r->buf_pos == r->buf_len) {
            if (n > 0)
                break; /* a refill would move the words found */
            int got = fill(r, err);
            if (got <= 0)
                return got < 0 ? -1 : 0;
            have_mask = 0;
        }
        /* separators, newlines among them */
        int64_t pos = r->buf_pos;
        for (;;) {
            if (!have_mask || pos - base >= 64) {
                base = pos;
                mask = separator_mask(r->buf, base, r->buf_len);
                have_mask = 1;
            }
            uint64_t word_bits = ~mask >> (pos - base);
            if (word_bits) {
                pos += __builtin_ctzll(word_bits);
                break;
            }
            pos = base + 64;
            if (pos >= r->buf_len) {
                pos = r->buf_len;
                break;
            }
        }
        r->buf_pos = pos;
        if (r->buf_off + pos >= r->end)
            break; /* the word begins past the range */
        if (pos == r->buf_len)
            continue;
        /* the word: up to the next separator */
        int64_t q = pos;
        for (;;) {
            if (q - base >= 64) {
                base = q;
                mask = separator_mask(r->buf, base, r->buf_len);
            }
            uint64_t sep_bits = mask >> (q - base);
            if (sep_bits) {
                q += __builtin_ctzll(sep_bits);
                break;
            }
            q = base + 64;
        }
        if (q < r->buf_len) { /* the word ends in this buffer: no copy */
            int64_t len = q - pos;
            r->buf_pos = q;
            if (len > W2V_MAX_WORD) {
                len = cut_utf8((const char *)r->buf + pos);
                r->truncated++;
            }
            words[n] = (const char *)r->buf + pos;
            lens[n++] = (int)len;
            continue;
        }
        if (n > 0)
            break; /* it runs into the next buffer: first in the next call */
        /* collected in scratch across the refills */
        int len;
        if (collect_word(r, scratch, &len, err))
            return -1;
        words[n] = scratch;
        lens[n++] = len;
        break; /* the buffer was refilled: the words end here */
    }
    return n;
}
