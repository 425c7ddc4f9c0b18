/* io.c - writing vector files (see vectors.h for the formats). */
#include "vectors.h"

#include <stdlib.h>
#include <string.h>

/* Float as 4 little-endian bytes, whatever the host order. */
static void put_le32(unsigned char *p, float f)
{
    uint32_t u;
    memcpy(&u, &f, sizeof u);
    p[0] = (unsigned char)u;
    p[1] = (unsigned char)(u >> 8);
    p[2] = (unsigned char)(u >> 16);
    p[3] = (unsigned char)(u >> 24);
}

int vectors_write(FILE *fp, const char *name, const char *const *words,
                  const float *m, int64_t n, int64_t dim, int64_t stride,
                  int binary, w2v_err *err)
{
    unsigned char *buf = NULL;
    if (binary && !(buf = w2v_malloc((size_t)dim * 4, err)))
        return -1;
    fprintf(fp, "%lld %lld\n", (long long)n, (long long)dim);
    for (int64_t i = 0; i < n && !ferror(fp); i++) {
        const float *row = m + i * stride;
        fputs(words[i], fp);
        if (binary) {
            fputc(' ', fp);
            for (int64_t j = 0; j < dim; j++)
                put_le32(buf + 4 * j, row[j]);
            fwrite(buf, 4, (size_t)dim, fp);
        } else {
            for (int64_t j = 0; j < dim; j++)
                fprintf(fp, " %.9g", row[j]);
        }
        fputc('\n', fp);
    }
    free(buf);
    if (ferror(fp))
        return w2v_fail_errno(err, "%s: write failed", name);
    return 0;
}
