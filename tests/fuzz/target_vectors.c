/* target_vectors.c - vectors_load (vectors.h) under arbitrary bytes.
 *
 * Input: byte 0 picks the format (auto, text, binary) and the row limit
 * (none, 1, 2, 3); the rest is the file.  Checked for a file it accepts:
 * every word is found at its row, values are finite, the padding is zero;
 * written back in binary the rows read back bit for bit, and in text too
 * (when no word holds a tab or newline, which text cannot carry), also
 * when the format is detected. */
#include <math.h>
#include <string.h>

#include "fuzz.h"
#include "vectors.h"

static int check_loaded(const vectors *v, int64_t limit)
{
    if (v->n < 1 || (limit > 0 && v->n > limit) || v->dim < 1 ||
        v->stride != w2v_row_stride(v->dim))
        return fuzz_fail("vectors", "%lld rows of %lld (stride %lld), limit "
                                    "%lld",
                         (long long)v->n, (long long)v->dim,
                         (long long)v->stride, (long long)limit);
    for (int64_t i = 0; i < v->n; i++) {
        const float *row = v->data + i * v->stride;
        if (vectors_find(v, v->words[i]) != i)
            return fuzz_fail("vectors", "row %lld: its word is not found",
                             (long long)i);
        for (int64_t j = 0; j < v->stride; j++)
            if (j < v->dim ? !isfinite(row[j]) : row[j] != 0.0f)
                return fuzz_fail("vectors", "row %lld: value %lld is %g",
                                 (long long)i, (long long)j, (double)row[j]);
    }
    return 0;
}

static int same_vectors(const vectors *a, const vectors *b)
{
    if (a->n != b->n || a->dim != b->dim)
        return 0;
    for (int64_t i = 0; i < a->n; i++)
        if (strcmp(a->words[i], b->words[i]) != 0 ||
            memcmp(a->data + i * a->stride, b->data + i * b->stride,
                   sizeof(float) * (size_t)a->dim) != 0)
            return 0;
    return 1;
}

/* Writes v in one format to a scratch file and loads it back as `as`;
 * returns 0 when it reads back the same. */
static int round_trip(const vectors *v, int binary, vec_format as)
{
    const char *path = fuzz_file_put(1, NULL, 0);
    FILE *fp = path ? fopen(path, "wb") : NULL;
    w2v_err err;
    int rc = fp ? vectors_write(fp, path, (const char *const *)v->words,
                                v->data, v->n, v->dim, v->stride, binary, &err)
                : -1;
    if (fp && fclose(fp))
        rc = -1;
    if (rc)
        return fuzz_fail("vectors", "cannot write a copy");
    vectors back;
    if (vectors_load(path, as, 0, &back, &err))
        return fuzz_fail("vectors", "the %s copy does not load back (as %d): "
                                    "%s",
                         binary ? "binary" : "text", (int)as, err.msg);
    rc = same_vectors(v, &back) && back.format == (binary ? VEC_BINARY
                                                          : VEC_TEXT)
             ? 0
             : fuzz_fail("vectors", "the %s copy loads back different",
                         binary ? "binary" : "text");
    vectors_free(&back);
    return rc;
}

static int text_can_carry(const vectors *v)
{
    for (int64_t i = 0; i < v->n; i++)
        if (strpbrk(v->words[i], "\t\n"))
            return 0;
    return 1;
}

int fuzz_vectors(const uint8_t *data, size_t size)
{
    static const vec_format formats[] = {VEC_AUTO, VEC_TEXT, VEC_BINARY};
    if (size < 1)
        return 0;
    const vec_format fmt = formats[data[0] % 3];
    const int64_t limit = data[0] / 3 % 4;
    const char *path = fuzz_file_put(0, data + 1, size - 1);
    if (!path)
        return fuzz_fail("vectors", "cannot write the scratch file");
    vectors v;
    w2v_err err;
    if (vectors_load(path, fmt, limit, &v, &err))
        return 0;
    int rc = check_loaded(&v, limit);
    if (!rc)
        rc = round_trip(&v, 1, VEC_BINARY);
    if (!rc && text_can_carry(&v))
        rc = round_trip(&v, 0, VEC_TEXT) || round_trip(&v, 0, VEC_AUTO);
    vectors_free(&v);
    return rc;
}
