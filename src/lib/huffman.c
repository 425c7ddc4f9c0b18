/* huffman.c - Huffman codes and points for hierarchical softmax. */
#include "huffman.h"

#include <stdlib.h>
#include <string.h>

void huffman_free(huffman_tree *t)
{
    free(t->start);
    free(t->codes);
    free(t->points);
    memset(t, 0, sizeof *t);
}

int huffman_build(huffman_tree *t, const int64_t *counts, int64_t n,
                  w2v_err *err)
{
    memset(t, 0, sizeof *t);
    if (n < 1 || n > INT32_MAX)
        return w2v_fail(err, "Huffman tree: %lld words is out of range",
                        (long long)n);
    for (int64_t i = 1; i < n; i++)
        if (counts[i] > counts[i - 1])
            return w2v_fail(err, "Huffman tree: counts are not in "
                                 "non-increasing order at word %lld",
                            (long long)i);
    int64_t nodes = 2 * n - 1, root = nodes - 1;
    int64_t *weight = w2v_malloc(sizeof *weight * (size_t)nodes, err);
    int64_t *parent = w2v_malloc(sizeof *parent * (size_t)nodes, err);
    uint8_t *bit = w2v_calloc((size_t)nodes, 1, err);
    int rc = -1;
    if (!weight || !parent || !bit)
        goto out;
    memcpy(weight, counts, sizeof *weight * (size_t)n);
    /* Leaves in ascending weight are ids n-1, n-2, ...; inner nodes are
     * created in non-decreasing weight, so the lightest unmerged node is at
     * the head of one of the two queues. */
    int64_t leaf = n - 1, inner = n;
    for (int64_t next = n; next < nodes; next++) {
        int64_t pick[2];
        for (int j = 0; j < 2; j++) {
            if (leaf >= 0 && (inner >= next || weight[leaf] < weight[inner]))
                pick[j] = leaf--;
            else
                pick[j] = inner++;
        }
        weight[next] = weight[pick[0]] + weight[pick[1]];
        parent[pick[0]] = parent[pick[1]] = next;
        bit[pick[1]] = 1;
    }
    if (!(t->start = w2v_malloc(sizeof *t->start * (size_t)(n + 1), err)))
        goto out;
    t->start[0] = 0;
    for (int64_t w = 0; w < n; w++) {
        int64_t depth = 0;
        for (int64_t node = w; node != root; node = parent[node])
            depth++;
        t->start[w + 1] = t->start[w] + depth;
    }
    size_t total = (size_t)t->start[n];
    /* +1: a zero-length allocation may legitimately return NULL */
    if (!(t->codes = w2v_malloc(total + 1, err)) ||
        !(t->points = w2v_malloc(sizeof *t->points * (total + 1), err)))
        goto out;
    for (int64_t w = 0; w < n; w++) {
        int64_t i = t->start[w + 1];
        for (int64_t node = w; node != root; node = parent[node]) {
            i--;
            t->codes[i] = bit[node];
            t->points[i] = (int32_t)(parent[node] - n);
        }
    }
    t->n = n;
    rc = 0;
out:
    free(weight);
    free(parent);
    free(bit);
    if (rc)
        huffman_free(t);
    return rc;
}
