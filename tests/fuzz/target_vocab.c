/* target_vocab.c - vocab_read (vocab.h) under arbitrary bytes.
 *
 * Checked for a file it accepts: every word has its recorded length, no
 * count is negative, what vocab_save writes reads back as the same words
 * with the same counts in the same order, and vocab_finalize then sorts
 * them by count and sums the counts. */
#include <string.h>

#include "fuzz.h"
#include "vocab.h"

/* 0 when v is well formed, else 1 (reported). */
static int check_words(const vocab *v)
{
    for (int64_t id = 0; id < v->size; id++) {
        if (v->lens[id] < 1 || (size_t)v->lens[id] != strlen(v->words[id]))
            return fuzz_fail("vocab", "word %lld: length %d, strlen %zu",
                             (long long)id, v->lens[id],
                             strlen(v->words[id]));
        if (v->counts[id] < 0)
            return fuzz_fail("vocab", "word %lld: count %lld", (long long)id,
                             (long long)v->counts[id]);
        if (vocab_find(v, v->words[id], v->lens[id]) != id)
            return fuzz_fail("vocab", "word %lld is not found", (long long)id);
    }
    return 0;
}

/* 0 when v is in frequency order and its total is the sum, else 1. */
static int check_order(const vocab *v)
{
    int64_t sum = 0;
    for (int64_t id = 0; id < v->size; id++) {
        if (v->counts[id] < 1 || (id > 0 && v->counts[id] > v->counts[id - 1]))
            return fuzz_fail("vocab", "finalized word %lld: count %lld",
                             (long long)id, (long long)v->counts[id]);
        sum += v->counts[id];
    }
    if (sum != v->total)
        return fuzz_fail("vocab", "total %lld, counts sum to %lld",
                         (long long)v->total, (long long)sum);
    return 0;
}

static int same_words(const vocab *a, const vocab *b)
{
    if (a->size != b->size)
        return 0;
    for (int64_t id = 0; id < a->size; id++)
        if (a->lens[id] != b->lens[id] || a->counts[id] != b->counts[id] ||
            memcmp(a->words[id], b->words[id], (size_t)a->lens[id]) != 0)
            return 0;
    return 1;
}

int fuzz_vocab(const uint8_t *data, size_t size)
{
    const char *path = fuzz_file_put(0, data, size);
    if (!path)
        return fuzz_fail("vocab", "cannot write the scratch file");
    vocab v, again;
    w2v_err err;
    if (vocab_init(&v, &err))
        return fuzz_fail("vocab", "vocab_init: %s", err.msg);
    if (vocab_init(&again, &err)) {
        vocab_free(&v);
        return fuzz_fail("vocab", "vocab_init: %s", err.msg);
    }
    int rc = 0;
    if (vocab_read(&v, path, &err) == 0 && !(rc = check_words(&v))) {
        const char *copy = fuzz_file_put(1, NULL, 0);
        FILE *fp = copy ? fopen(copy, "wb") : NULL;
        int saved = fp ? vocab_save(&v, fp, copy, &err) : -1;
        if (fp && fclose(fp))
            saved = -1;
        if (saved)
            rc = fuzz_fail("vocab", "cannot save a copy");
        else if (vocab_read(&again, copy, &err))
            rc = fuzz_fail("vocab", "what vocab_save wrote does not read "
                                    "back: %s", err.msg);
        else if (!same_words(&v, &again))
            rc = fuzz_fail("vocab", "what vocab_save wrote reads back as "
                                    "other words or counts");
        else if (vocab_finalize(&v, 1, &err))
            rc = fuzz_fail("vocab", "vocab_finalize: %s", err.msg);
        else
            rc = check_words(&v) || check_order(&v);
    }
    vocab_free(&v);
    vocab_free(&again);
    return rc;
}
