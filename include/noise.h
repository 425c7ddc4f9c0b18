/* noise.h - the two sampling distributions of training:
 *   - the noise distribution P_n(w) = count_w^0.75 / sum count^0.75, drawn
 *     exactly in O(1) with an alias table (Walker/Vose), O(V) memory;
 *   - subsampling: a word of relative frequency f is kept with probability
 *     min(1, (sqrt(f / s) + 1) * s / f). */
#ifndef W2V_NOISE_H
#define W2V_NOISE_H

#include <stdint.h>

#include "rng.h"
#include "w2v.h"

typedef struct alias_table {
    uint32_t n;
    uint32_t *keep;  /* bin i returns i when the 32-bit coin < keep[i] */
    uint32_t *alias; /* ... else alias[i] */
} alias_table;

/* Builds the table for probabilities proportional to weights[0..n) (finite,
 * >= 0, not all zero; n < 2^31). */
int alias_build(alias_table *t, const double *weights, int64_t n,
                w2v_err *err);

/* Builds the word2vec noise table: weights count^power (power 0.75). */
int noise_build(alias_table *t, const int64_t *counts, int64_t n, double power,
                w2v_err *err);

void alias_free(alias_table *t);

/* One draw: an index with the table's probability (exact up to the 2^-32
 * rounding of each bin's split; the bin itself is chosen without bias). */
static inline uint32_t alias_draw(const alias_table *t, rng *r)
{
    uint64_t x = rng_next(r);
    uint64_t m = (x >> 32) * (uint64_t)t->n;
    if ((uint32_t)m < t->n) { /* Lemire's rejection: unbiased bin */
        uint32_t reject = (uint32_t)(-t->n) % t->n;
        while ((uint32_t)m < reject) {
            x = rng_next(r);
            m = (x >> 32) * (uint64_t)t->n;
        }
    }
    uint32_t bin = (uint32_t)(m >> 32);
    return (uint32_t)x < t->keep[bin] ? bin : t->alias[bin];
}

/* Fills keep[i] with the subsampling keep probability of word i scaled to
 * 2^32 (so a word is kept when the top 32 bits of a draw are below it); a
 * value of 2^32 keeps always.  sample <= 0 keeps every word. */
void subsample_thresholds(const int64_t *counts, int64_t n, int64_t total,
                          double sample, uint64_t *keep);

#endif
