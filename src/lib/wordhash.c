/* wordhash.c - allocating and rebuilding word tables (wordhash.h). */
#include "wordhash.h"

#include <stdlib.h>

int64_t word_table_slots_for(int64_t n)
{
    int64_t slots = 1024;
    while (slots < 2 * n)
        slots *= 2;
    return slots;
}

int word_table_init(word_table *t, int64_t n_slots, w2v_err *err)
{
    t->n_slots = 0;
    t->slots = w2v_malloc(sizeof *t->slots * (size_t)n_slots, err);
    if (!t->slots)
        return -1;
    memset(t->slots, 0xff, sizeof *t->slots * (size_t)n_slots); /* EMPTY */
    t->n_slots = n_slots;
    return 0;
}

void word_table_free(word_table *t)
{
    free(t->slots);
    t->slots = NULL;
    t->n_slots = 0;
}

int word_table_rebuild(word_table *t, int64_t n_slots, const uint32_t *hashes,
                       const int32_t *lens, int64_t n, w2v_err *err)
{
    word_table fresh;
    if (word_table_init(&fresh, n_slots, err))
        return -1;
    uint64_t mask = (uint64_t)n_slots - 1;
    for (int64_t id = 0; id < n; id++) {
        uint64_t i = hashes[id] & mask;
        while (fresh.slots[i] != WORD_SLOT_EMPTY)
            i = (i + 1) & mask;
        word_table_set(&fresh, i, hashes[id], lens[id], id);
    }
    word_table_free(t);
    *t = fresh;
    return 0;
}
