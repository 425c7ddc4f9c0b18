/* vocab_pack.c - the vocabulary as bytes, for the processes of a job to
 * send each other (vocab.h). */
#include "vocab.h"

#include <stdlib.h>
#include <string.h>

#include "crc32c.h"

static void put_le(unsigned char *p, uint64_t v, int n)
{
    for (int i = 0; i < n; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

static uint64_t get_le(const unsigned char *p, int n)
{
    uint64_t v = 0;
    for (int i = 0; i < n; i++)
        v |= (uint64_t)p[i] << (8 * i);
    return v;
}

int vocab_pack(const vocab *v, unsigned char **buf, size_t *bytes,
               w2v_err *err)
{
    size_t n = 0;
    for (int64_t w = 0; w < v->size; w++)
        n += 4 + (size_t)v->lens[w] + 8;
    unsigned char *p = w2v_malloc(n, err);
    if (!p)
        return -1;
    *buf = p;
    *bytes = n;
    for (int64_t w = 0; w < v->size; w++) {
        put_le(p, (uint64_t)v->lens[w], 4);
        memcpy(p + 4, v->words[w], (size_t)v->lens[w]);
        p += 4 + v->lens[w];
        put_le(p, (uint64_t)v->counts[w], 8);
        p += 8;
    }
    return 0;
}

int vocab_unpack(vocab *v, const unsigned char *buf, size_t bytes,
                 w2v_err *err)
{
    size_t at = 0;
    while (at < bytes) {
        if (bytes - at < 12)
            return w2v_fail(err, "a packed vocabulary ends in a word");
        size_t len = (size_t)get_le(buf + at, 4);
        if (len > bytes - at - 12 || len > INT32_MAX)
            return w2v_fail(err, "a packed vocabulary has a word too long");
        int64_t count = (int64_t)get_le(buf + at + 4 + len, 8);
        if (count < 0)
            return w2v_fail(err, "a packed vocabulary has a negative count");
        if (vocab_add(v, (const char *)buf + at + 4, (int)len, count, err) < 0)
            return -1;
        at += 12 + len;
    }
    v->total = 0;
    for (int64_t w = 0; w < v->size; w++)
        v->total += v->counts[w];
    return 0;
}

uint32_t vocab_checksum(const vocab *v)
{
    uint32_t crc = 0;
    for (int64_t w = 0; w < v->size; w++) {
        unsigned char head[4], tail[8];
        put_le(head, (uint64_t)v->lens[w], 4);
        put_le(tail, (uint64_t)v->counts[w], 8);
        crc = crc32c(crc, head, 4);
        crc = crc32c(crc, v->words[w], (size_t)v->lens[w]);
        crc = crc32c(crc, tail, 8);
    }
    return crc;
}
