/* target_corpus.c - the tokenizer (corpus.h) under arbitrary bytes.
 *
 * Input: byte 0 picks the number of ranges (1..8), byte 1 the read buffer
 * size, byte 2 seeds the split points and the place of a tell/seek; the
 * rest is the corpus.  Checked: one reader over the whole file yields the
 * items of a reference tokenizer written here from corpus.h's contract;
 * readers over adjacent ranges split anywhere yield the same items, each
 * once; a fresh reader sought to where another one told continues with the
 * same items. */
#include <stdlib.h>
#include <string.h>

#include "corpus.h"
#include "fuzz.h"

/* Items as bytes: a word is its length (1..W2V_MAX_WORD) then its bytes, a
 * sentence end is 0xFF. */
typedef struct items {
    unsigned char *p;
    size_t len, cap;
    int64_t count, truncated;
} items;

static int items_put(items *it, const void *p, size_t n)
{
    if (n == 0)
        return 0;
    if (it->len + n > it->cap) {
        size_t cap = (it->len + n) * 2 + 64;
        unsigned char *bigger = realloc(it->p, cap);
        if (!bigger)
            return -1;
        it->p = bigger;
        it->cap = cap;
    }
    memcpy(it->p + it->len, p, n);
    it->len += n;
    return 0;
}

static int put_word(items *it, const char *w, int len)
{
    unsigned char n = (unsigned char)len;
    it->count++;
    return items_put(it, &n, 1) || items_put(it, w, (size_t)len) ? -1 : 0;
}

static int put_end(items *it)
{
    unsigned char mark = 0xFF;
    it->count++;
    return items_put(it, &mark, 1);
}

static int separator(unsigned char ch)
{
    return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\v' ||
           ch == '\f' || ch == '\r' || ch == '\0';
}

/* The items of text by the contract: maximal runs of non-separators, those
 * over W2V_MAX_WORD bytes cut before the UTF-8 character that straddles the
 * limit (anywhere when there is no character start), and one sentence end
 * per newline. */
static int reference(const unsigned char *text, size_t n, items *it)
{
    for (size_t i = 0; i < n;) {
        if (text[i] == '\n' && put_end(it))
            return -1;
        if (separator(text[i])) {
            i++;
            continue;
        }
        size_t j = i;
        while (j < n && !separator(text[j]))
            j++;
        int len = (int)(j - i);
        if (len > W2V_MAX_WORD) {
            len = W2V_MAX_WORD;
            while (len > 0 && (text[i + (size_t)len] & 0xC0) == 0x80)
                len--;
            if (len == 0)
                len = W2V_MAX_WORD;
            it->truncated++;
        }
        if (put_word(it, (const char *)text + i, len))
            return -1;
        i = j;
    }
    return 0;
}

/* Reads items from r until its end, or until `stop_after` of them
 * (negative: no limit).  Returns 0, or 1 on a read error or a broken
 * property. */
static int read_items(token_reader *r, items *it, int64_t stop_after)
{
    char word[W2V_MAX_WORD + 1];
    int len;
    w2v_err err;
    for (int64_t k = 0; stop_after < 0 || k < stop_after; k++) {
        int got = reader_next(r, word, &len, &err);
        if (got == READ_END)
            return 0;
        if (got == READ_ERROR)
            return fuzz_fail("corpus", "reader_next: %s", err.msg);
        if (got == READ_SENTENCE_END) {
            if (put_end(it))
                return fuzz_fail("corpus", "out of memory");
            continue;
        }
        if (got != READ_WORD || len < 1 || len > W2V_MAX_WORD ||
            word[len] != '\0')
            return fuzz_fail("corpus", "reader_next returned %d, length %d",
                             got, len);
        for (int i = 0; i < len; i++)
            if (separator((unsigned char)word[i]))
                return fuzz_fail("corpus", "a separator inside a word");
        if (put_word(it, word, len))
            return fuzz_fail("corpus", "out of memory");
    }
    return 0;
}

/* A small generator for the split points (xorshift). */
static uint32_t next_random(uint32_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 17;
    *s ^= *s << 5;
    return *s;
}

static int by_value(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

static int same(const items *a, const items *b)
{
    return a->len == b->len && (a->len == 0 || memcmp(a->p, b->p, a->len) == 0);
}

int fuzz_corpus(const uint8_t *data, size_t size)
{
    static const int64_t buffers[] = {1, 2, 3, 7, 64, 101, 102, 4096};
    if (size < 3)
        return 0;
    const int ranges = 1 + data[0] % 8;
    const int64_t buf_size = buffers[data[1] % 8];
    uint32_t seed = 0x9E3779B9u ^ data[2];
    const unsigned char *text = data + 3;
    const size_t n = size - 3;
    /* compressed data is refused by corpus_open, as it should be */
    if (corpus_sniff(text, n) != CORPUS_PLAIN)
        return 0;
    const char *path = fuzz_file_put(0, text, n);
    if (!path)
        return fuzz_fail("corpus", "cannot write the scratch file");
    corpus c;
    w2v_err err;
    if (corpus_open(&c, path, NULL, &err))
        return fuzz_fail("corpus", "corpus_open: %s", err.msg);
    items want = {0}, whole = {0}, split = {0};
    token_reader r, s;
    int rc = 1, have_r = 0, have_s = 0;
    if (reference(text, n, &want)) {
        fuzz_fail("corpus", "out of memory");
        goto out;
    }
    /* the whole file */
    if (reader_init(&r, &c, 0, c.size, buf_size, &err)) {
        fuzz_fail("corpus", "reader_init: %s", err.msg);
        goto out;
    }
    have_r = 1;
    if (read_items(&r, &whole, -1))
        goto out;
    whole.truncated = r.truncated;
    if (!same(&whole, &want) || whole.truncated != want.truncated) {
        fuzz_fail("corpus", "one reader: %lld items, %lld cut; expected "
                            "%lld items, %lld cut",
                  (long long)whole.count, (long long)whole.truncated,
                  (long long)want.count, (long long)want.truncated);
        goto out;
    }
    /* adjacent ranges split at random points */
    int64_t cut[9];
    cut[0] = 0;
    cut[ranges] = c.size;
    for (int i = 1; i < ranges; i++)
        cut[i] = (int64_t)(next_random(&seed) % (n + 1));
    qsort(cut + 1, (size_t)(ranges - 1), sizeof cut[0], by_value);
    int64_t truncated = 0;
    for (int i = 0; i < ranges; i++) {
        reader_free(&r);
        have_r = 0;
        if (reader_init(&r, &c, cut[i], cut[i + 1], buf_size, &err)) {
            fuzz_fail("corpus", "reader_init: %s", err.msg);
            goto out;
        }
        have_r = 1;
        if (read_items(&r, &split, -1))
            goto out;
        truncated += r.truncated;
    }
    if (!same(&split, &want) || truncated != want.truncated) {
        fuzz_fail("corpus", "%d ranges: %lld items, %lld cut; expected %lld "
                            "items, %lld cut",
                  ranges, (long long)split.count, (long long)truncated,
                  (long long)want.count, (long long)want.truncated);
        goto out;
    }
    /* tell after k items of the last range, seek a fresh reader there */
    const int64_t begin = cut[ranges - 1];
    int64_t k = (int64_t)(next_random(&seed) % (uint32_t)(want.count + 1));
    items before = {0}, rest = {0}, all = {0};
    reader_free(&r);
    have_r = 0;
    if (reader_init(&r, &c, begin, c.size, buf_size, &err)) {
        fuzz_fail("corpus", "reader_init: %s", err.msg);
        goto out;
    }
    have_r = 1;
    int skip;
    int broken = read_items(&r, &before, k);
    int64_t at = reader_tell(&r, &skip);
    if (!broken && reader_init(&s, &c, begin, c.size, 4096, &err))
        broken = fuzz_fail("corpus", "reader_init: %s", err.msg);
    else if (!broken) {
        have_s = 1;
        reader_seek(&s, at, skip);
        broken = read_items(&s, &rest, -1);
        reader_rewind(&r);
        if (!broken)
            broken = read_items(&r, &all, -1);
        if (!broken && (items_put(&before, rest.p, rest.len) ||
                        !same(&before, &all)))
            broken = fuzz_fail("corpus", "seeking to offset %lld after %lld "
                                         "items does not continue the same",
                               (long long)at, (long long)k);
    }
    free(before.p);
    free(rest.p);
    free(all.p);
    if (broken)
        goto out;
    rc = 0;
out:
    if (have_r)
        reader_free(&r);
    if (have_s)
        reader_free(&s);
    corpus_close(&c);
    free(want.p);
    free(whole.p);
    free(split.p);
    return rc;
}
