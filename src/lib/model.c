/* model.c - allocating and initializing the embedding matrices. */
#include "model.h"

#include <stdlib.h>
#include <string.h>

#include "rng.h"

int64_t model_matrix_bytes(int64_t words, int64_t dim)
{
    int64_t stride = w2v_row_stride(dim);
    if (words < 0 || dim < 1 || stride > INT64_MAX / (int64_t)sizeof(float))
        return -1;
    int64_t row_bytes = stride * (int64_t)sizeof(float);
    if (words > 0 && row_bytes > (int64_t)(SIZE_MAX / 2) / words)
        return -1;
    return words * row_bytes;
}

int model_init(model *m, int64_t dim, int64_t seed, w2v_err *err)
{
    int64_t V = m->vocab.size;
    m->dim = dim;
    m->stride = w2v_row_stride(dim);
    m->emb_in = m->emb_out = m->emb_hs = NULL;
    int64_t bytes = model_matrix_bytes(V, dim);
    if (bytes < 0)
        return w2v_fail(err, "%lld words x %lld dimensions: the matrices "
                             "would not fit in this machine's address space",
                        (long long)V, (long long)dim);
    m->emb_in = w2v_alloc_huge((size_t)bytes, NULL);
    m->emb_out = m->emb_in ? w2v_alloc_huge((size_t)bytes, NULL) : NULL;
    if (!m->emb_out) {
        free(m->emb_in);
        m->emb_in = NULL;
        return w2v_fail(err, "out of memory: %lld words x %lld dimensions "
                             "need %.1f MiB for the two matrices",
                        (long long)V, (long long)dim,
                        2.0 * (double)bytes / (1024.0 * 1024.0));
    }
    rng r;
    rng_seed(&r, (uint64_t)seed, UINT64_MAX); /* a stream no thread uses */
    for (int64_t w = 0; w < V; w++) {
        float *row = model_in_row(m, w);
        for (int64_t j = 0; j < m->stride; j++)
            row[j] = j < dim ? (float)((rng_uniform(&r) - 0.5) / (double)dim)
                             : 0.0f;
    }
    memset(m->emb_out, 0, (size_t)bytes);
    return 0;
}

int model_init_tree_rows(model *m, w2v_err *err)
{
    int64_t bytes = model_matrix_bytes(m->vocab.size, m->dim);
    free(m->emb_hs);
    if (bytes < 0 || !(m->emb_hs = w2v_alloc_huge((size_t)bytes, NULL)))
        return w2v_fail(err, "out of memory: the tree's %lld rows of %lld "
                             "dimensions", (long long)m->vocab.size,
                        (long long)m->dim);
    memset(m->emb_hs, 0, (size_t)bytes);
    return 0;
}

void model_free(model *m)
{
    free(m->emb_in);
    free(m->emb_out);
    free(m->emb_hs);
    vocab_free(&m->vocab);
    m->emb_in = m->emb_out = m->emb_hs = NULL;
}
