/* noise.c - alias-table noise sampler and subsampling thresholds. */
#include "noise.h"

#include <math.h>
#include <stdlib.h>

void alias_free(alias_table *t)
{
    free(t->keep);
    free(t->alias);
    t->keep = t->alias = NULL;
    t->n = 0;
}

int alias_build(alias_table *t, const double *weights, int64_t n,
                w2v_err *err)
{
    t->keep = t->alias = NULL;
    t->n = 0;
    if (n <= 0 || n >= INT32_MAX)
        return w2v_fail(err, "noise table: bad size %lld", (long long)n);
    double sum = 0.0;
    for (int64_t i = 0; i < n; i++)
        sum += weights[i];
    if (!(sum > 0.0) || !isfinite(sum))
        return w2v_fail(err, "noise table: weights do not sum to a positive number");
    double *scaled = w2v_malloc(sizeof *scaled * (size_t)n, err);
    uint32_t *small = w2v_malloc(sizeof *small * (size_t)n, err);
    uint32_t *large = w2v_malloc(sizeof *large * (size_t)n, err);
    t->keep = w2v_malloc(sizeof *t->keep * (size_t)n, err);
    t->alias = w2v_malloc(sizeof *t->alias * (size_t)n, err);
    if (!scaled || !small || !large || !t->keep || !t->alias) {
        free(scaled), free(small), free(large);
        alias_free(t);
        return -1;
    }
    /* Vose: bins of average mass 1; small bins are topped up from large. */
    int64_t ns = 0, nl = 0;
    for (int64_t i = 0; i < n; i++) {
        scaled[i] = weights[i] * (double)n / sum;
        if (scaled[i] < 1.0)
            small[ns++] = (uint32_t)i;
        else
            large[nl++] = (uint32_t)i;
    }
    while (ns > 0 && nl > 0) {
        uint32_t s = small[--ns], l = large[nl - 1];
        t->keep[s] = (uint32_t)fmin(ldexp(scaled[s], 32), 4294967295.0);
        t->alias[s] = l;
        scaled[l] -= 1.0 - scaled[s];
        if (scaled[l] < 1.0) {
            nl--;
            small[ns++] = l;
        }
    }
    /* what is left has mass 1 up to rounding: always keep */
    while (nl > 0) {
        uint32_t l = large[--nl];
        t->keep[l] = UINT32_MAX;
        t->alias[l] = l;
    }
    while (ns > 0) {
        uint32_t s = small[--ns];
        t->keep[s] = UINT32_MAX;
        t->alias[s] = s;
    }
    free(scaled), free(small), free(large);
    t->n = (uint32_t)n;
    return 0;
}

int noise_build(alias_table *t, const int64_t *counts, int64_t n, double power,
                w2v_err *err)
{
    double *w = w2v_malloc(sizeof *w * (size_t)(n > 0 ? n : 1), err);
    if (!w)
        return -1;
    for (int64_t i = 0; i < n; i++)
        w[i] = pow((double)counts[i], power);
    int rc = alias_build(t, w, n, err);
    free(w);
    return rc;
}

void subsample_thresholds(const int64_t *counts, int64_t n, int64_t total,
                          double sample, uint64_t *keep)
{
    const double always = 4294967296.0; /* 2^32 */
    for (int64_t i = 0; i < n; i++) {
        double p = 1.0;
        if (sample > 0.0 && counts[i] > 0 && total > 0) {
            double f = (double)counts[i] / (double)total;
            p = (sqrt(f / sample) + 1.0) * sample / f;
        }
        keep[i] = p >= 1.0 ? (uint64_t)always : (uint64_t)(p * always);
    }
}
