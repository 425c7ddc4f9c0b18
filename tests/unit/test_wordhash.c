/* test_wordhash.c - the word table shared by the vocabulary, the vector
 * loader and the evaluations. */
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "wordhash.h"

/* A key saturates the length at 255 bytes, so two long words, one a prefix
 * of the other, can share a key when their hashes collide.  The collision is
 * planted: the longer word is stored with the shorter one's hash, in the
 * slot where the shorter one's probe starts.  Looking up the shorter word
 * must not find it. */
TEST(wordhash_saturated_length_is_compared)
{
    enum { SHORT = 255, LONG = 263 };
    char *word = malloc(LONG + 1);
    REQUIRE(word != NULL);
    memset(word, 'q', LONG);
    word[LONG] = '\0';
    char *prefix = malloc(SHORT + 1);
    REQUIRE(prefix != NULL);
    memcpy(prefix, word, SHORT);
    prefix[SHORT] = '\0';
    word_table t;
    w2v_err err;
    REQUIRE(word_table_init(&t, 1024, &err) == 0);
    char *words[1] = {word};
    uint32_t h = word_hash(prefix, SHORT);
    CHECK(word_key(h, SHORT) == word_key(h, LONG));
    word_table_set(&t, h & (uint64_t)(t.n_slots - 1), h, LONG, 0);
    CHECK(word_table_find(&t, words, prefix, SHORT) == -1);
    /* a word of the same long length is still found through its key */
    word_table_free(&t);
    REQUIRE(word_table_init(&t, 1024, &err) == 0);
    uint32_t hl = word_hash(word, LONG);
    word_table_set(&t, word_table_probe(&t, words, word, LONG, hl), hl, LONG,
                   0);
    CHECK(word_table_find(&t, words, word, LONG) == 0);
    word_table_free(&t);
    free(word);
    free(prefix);
}

/* Rebuilding from hashes and lengths finds every word again, at any size. */
TEST(wordhash_rebuild_keeps_every_word)
{
    enum { N = 5000 };
    char **words = malloc(N * sizeof *words);
    uint32_t *hashes = malloc(N * sizeof *hashes);
    int32_t *lens = malloc(N * sizeof *lens);
    REQUIRE(words && hashes && lens);
    for (int i = 0; i < N; i++) {
        words[i] = malloc(16);
        REQUIRE(words[i] != NULL);
        lens[i] = snprintf(words[i], 16, "w%d", i);
        hashes[i] = word_hash(words[i], lens[i]);
    }
    word_table t = {0};
    w2v_err err;
    REQUIRE(word_table_rebuild(&t, word_table_slots_for(N), hashes, lens, N,
                             &err) == 0);
    CHECK(t.n_slots == 16384);
    int found = 0;
    for (int i = 0; i < N; i++)
        found += word_table_find(&t, words, words[i], lens[i]) == i;
    CHECK(found == N);
    CHECK(word_table_find(&t, words, "w5000", 5) == -1);
    word_table_free(&t);
    for (int i = 0; i < N; i++)
        free(words[i]);
    free(words);
    free(hashes);
    free(lens);
}
