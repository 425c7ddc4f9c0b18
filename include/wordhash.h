/* wordhash.h - the one hash table of words that the vocabulary, the vector
 * loader and the evaluations look words up in.
 *
 * The table maps a word to an id (0 .. 2^32 - 2); the words themselves stay
 * in the caller's array `words` (NUL-terminated, words[id]), passed to each
 * lookup, so the table is only slots: open addressing with linear probing,
 * a power-of-two number of slots kept at most half full.  A slot packs a
 * key (the hash's high 24 bits and the word's length, saturated at 255)
 * with the id, so a probe rejects nearly every other word without touching
 * its bytes. */
#ifndef W2V_WORDHASH_H
#define W2V_WORDHASH_H

#include <stdint.h>
#include <string.h>

#include "w2v.h"

#define WORD_SLOT_EMPTY UINT64_MAX
/* Largest id a slot holds (its low 32 bits; all ones would read as empty
 * together with an all-ones key). */
#define WORD_TABLE_MAX_ID ((int64_t)UINT32_MAX - 1)

typedef struct word_table {
    uint64_t *slots;  /* key << 32 | id, or WORD_SLOT_EMPTY */
    int64_t n_slots;  /* a power of two */
} word_table;

/* The 8 bytes at p as a number whose low byte is p[0], on any host. */
static inline uint64_t word_load_le64(const void *p)
{
    uint64_t x;
    memcpy(&x, p, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    x = __builtin_bswap64(x);
#endif
    return x;
}

/* 32-bit hash of word[0..len): 8 bytes at a time, multiply-xorshift mix.
 * Inline: it runs once per token of every epoch. */
static inline uint32_t word_hash(const char *word, int len)
{
    uint64_t h = 0x9e3779b97f4a7c15ull ^ (uint64_t)len;
    int i = 0;
    for (; i + 8 <= len; i += 8) {
        uint64_t k;
        memcpy(&k, word + i, 8);
        h = (h ^ k) * 0xff51afd7ed558ccdull;
        h ^= h >> 32;
    }
    uint64_t tail = 0;
    for (int j = 0; i + j < len; j++)
        tail |= (uint64_t)(unsigned char)word[i + j] << (8 * j);
    h = (h ^ tail) * 0xc4ceb9fe1a85ec53ull;
    h ^= h >> 29;
    h *= 0x9e3779b97f4a7c15ull;
    return (uint32_t)(h >> 32);
}

/* Slots for n words: the smallest power of two >= max(1024, 2 n). */
int64_t word_table_slots_for(int64_t n);

/* Allocates n_slots empty slots (a power of two).  On failure t is empty. */
int word_table_init(word_table *t, int64_t n_slots, w2v_err *err);

/* Frees the slots; safe on a zeroed table. */
void word_table_free(word_table *t);

/* The key of a word: hash bits and length, as stored in a slot's high half. */
static inline uint32_t word_key(uint32_t h, int len)
{
    return (h & 0xffffff00u) | (uint32_t)(len < 255 ? len : 255);
}

/* memcmp(a, b, len) == 0, inlined for the short words that dominate text. */
static inline int word_bytes_equal(const char *a, const char *b, int len)
{
    int i = 0;
    for (; i + 8 <= len; i += 8) {
        uint64_t x, y;
        memcpy(&x, a + i, 8);
        memcpy(&y, b + i, 8);
        if (x != y)
            return 0;
    }
    for (; i < len; i++)
        if (a[i] != b[i])
            return 0;
    return 1;
}

/* Index of the slot holding word[0..len) (hash h), or of the empty slot
 * where it would go.  words[id] are the stored words. */
static inline uint64_t word_table_probe(const word_table *t,
                                        char *const *words, const char *word,
                                        int len, uint32_t h)
{
    uint64_t mask = (uint64_t)t->n_slots - 1;
    uint64_t key = word_key(h, len);
    for (uint64_t i = h & mask;; i = (i + 1) & mask) {
        uint64_t slot = t->slots[i];
        if (slot == WORD_SLOT_EMPTY)
            return i;
        if (slot >> 32 != key)
            continue;
        const char *w = words[(uint32_t)slot];
        /* a length of 255 or more is only saturated in the key */
        if ((len < 255 || strnlen(w, (size_t)len + 1) == (size_t)len) &&
            word_bytes_equal(w, word, len))
            return i;
    }
}

/* Id in slot i, or -1 when it is empty. */
static inline int64_t word_table_id(const word_table *t, uint64_t i)
{
    return t->slots[i] == WORD_SLOT_EMPTY ? -1 : (int64_t)(uint32_t)t->slots[i];
}

/* Stores id (hash h, length len) in the empty slot i. */
static inline void word_table_set(word_table *t, uint64_t i, uint32_t h,
                                  int len, int64_t id)
{
    t->slots[i] = (uint64_t)word_key(h, len) << 32 | (uint64_t)id;
}

/* Id of word[0..len), or -1. */
static inline int64_t word_table_find(const word_table *t, char *const *words,
                                      const char *word, int len)
{
    return word_table_id(t, word_table_probe(t, words, word, len,
                                             word_hash(word, len)));
}

/* Replaces the slots with n_slots of them holding ids 0..n-1, whose hashes
 * and lengths are given (no word is compared: they must be distinct). */
int word_table_rebuild(word_table *t, int64_t n_slots, const uint32_t *hashes,
                       const int32_t *lens, int64_t n, w2v_err *err);

#endif
