/* test_fold.c - case folding beyond ASCII (eval_fold_case, through the
 * case-insensitive lookup too) and eval_rank. */
#include <stdlib.h>
#include <string.h>

#include "eval.h"
#include "harness.h"

/* eval_fold_case of a NUL-terminated word, in a static buffer. */
static const char *folded(const char *word)
{
    static char out[256];
    eval_fold_case(word, strlen(word), out);
    return out;
}

/* Both spellings fold to the same bytes. */
static int same_fold(const char *a, const char *b)
{
    char fa[256];
    strcpy(fa, folded(a));
    return strlen(a) == strlen(b) && strcmp(fa, folded(b)) == 0;
}

TEST(fold_ascii_and_latin)
{
    CHECK(strcmp(folded("Paris"), "PARIS") == 0);
    CHECK(same_fold("Ångström", "ångström"));
    CHECK(same_fold("ÅNGSTRÖM", "ångström"));
    CHECK(same_fold("café", "CAFÉ"));
    CHECK(same_fold("Œuvre", "œuvre")); /* Latin Extended-A, pairs */
    CHECK(same_fold("ŁÓDŹ", "łódź"));   /* odd-upper pairs */
    CHECK(same_fold("ÿ", "Ÿ"));         /* Latin-1 to Extended-A */
    CHECK(strcmp(folded("ångström"), "ÅNGSTRÖM") == 0);
    /* not letters, or without a same-length upper case: unchanged */
    CHECK(strcmp(folded("÷×"), "÷×") == 0);
    CHECK(strcmp(folded("ß"), "ß") == 0);
    CHECK(strcmp(folded("ı"), "ı") == 0); /* dotless i: upper is ASCII I */
}

TEST(fold_greek_and_cyrillic)
{
    CHECK(same_fold("ΑΘΗΝΑ", "αθηνα"));
    CHECK(strcmp(folded("αθηνα"), "ΑΘΗΝΑ") == 0);
    /* final sigma folds with sigma */
    CHECK(same_fold("ΟΔΥΣΣΕΥΣ", "οδυσσευς"));
    /* three-byte characters (Greek Extended) are copied, not folded */
    CHECK(strcmp(folded("ἀ"), "ἀ") == 0 && !same_fold("ἀ", "Ἀ"));
    CHECK(same_fold("ΆΈΉΊΌΎΏ", "άέήίόύώ"));
    CHECK(same_fold("МОСКВА", "москва"));
    CHECK(same_fold("ЁЖИК", "ёжик"));
    CHECK(same_fold("ЄЇ", "єї"));  /* U+0450..U+045F */
    CHECK(same_fold("ҐӘ", "ґә"));  /* pairs further on */
    CHECK(!same_fold("москва", "moskva"));
}

TEST(fold_leaves_invalid_utf8_alone)
{
    const char *bad[] = {"\xc3", "a\xc3", "\xc3(", "\xe9t\xe9", "\xff\xfe",
                         "\xc0\x80", "\xa9x"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char want[16];
        size_t len = strlen(bad[i]);
        for (size_t j = 0; j <= len; j++)
            want[j] = bad[i][j] >= 'a' && bad[i][j] <= 'z'
                          ? (char)(bad[i][j] - 'a' + 'A')
                          : bad[i][j];
        CHECK_MSG(memcmp(folded(bad[i]), want, len + 1) == 0, "case %zu", i);
    }
    /* a valid character after an invalid byte is still folded */
    CHECK(strcmp(folded("\xe9\xc3\xa9"), "\xe9\xc3\x89") == 0);
}

TEST(fold_lookup_finds_other_cases)
{
    vectors v;
    memset(&v, 0, sizeof v);
    char *words[] = {"ångström", "Ångström", "москва", "αθηνας", "café"};
    float data[5 * 16] = {0};
    v.n = 5;
    v.dim = 1;
    v.stride = 16;
    v.data = data;
    v.words = words;
    eval_vocab ev;
    w2v_err err;
    CHECK(eval_vocab_init(&ev, &v, 0, 1, &err) == 0);
    CHECK(eval_vocab_find(&ev, "ÅNGSTRÖM") == 0);
    CHECK(eval_vocab_find(&ev, "Ångström") == 0); /* first variant wins */
    CHECK(ev.canon[1] == 0);
    CHECK(eval_vocab_find(&ev, "МОСКВА") == 2);
    CHECK(eval_vocab_find(&ev, "ΑΘΗΝΑΣ") == 3);
    CHECK(eval_vocab_find(&ev, "ΑΘΗΝΑΣ") == eval_vocab_find(&ev, "αθηνασ"));
    CHECK(eval_vocab_find(&ev, "CAFÉ") == 4);
    CHECK(eval_vocab_find(&ev, "cafe") == -1);
    eval_vocab_free(&ev);
}

TEST(rank_matches_nearest)
{
    /* 6 rows of 2 values; the query (1, 0) */
    float data[6 * 16] = {0};
    const float xy[6][2] = {{1, 0}, {0.9f, 0.1f}, {0.9f, 0.1f},
                            {0, 1}, {-1, 0}, {0.5f, 0.5f}};
    for (int i = 0; i < 6; i++) {
        data[i * 16] = xy[i][0];
        data[i * 16 + 1] = xy[i][1];
    }
    char *words[] = {"a", "b", "c", "d", "e", "f"};
    vectors v;
    memset(&v, 0, sizeof v);
    v.n = 6;
    v.dim = 2;
    v.stride = 16;
    v.data = data;
    v.words = words;
    float q[2] = {1, 0};
    int64_t ex[1] = {0};
    eval_hit hits[6];
    int n = eval_nearest(&kernel_scalar, &v, 6, EVAL_ADD, q, ex, 1, 6, hits);
    CHECK(n == 5);
    for (int i = 0; i < n; i++)
        CHECK_MSG(eval_rank(&kernel_scalar, &v, 6, EVAL_ADD, q, ex, 1,
                            hits[i].row) == i + 1,
                  "row %lld", (long long)hits[i].row);
    CHECK(eval_rank(&kernel_scalar, &v, 6, EVAL_ADD, q, ex, 1, 0) == 0);
    CHECK(eval_rank(&kernel_scalar, &v, 6, EVAL_ADD, q, ex, 1, 6) == 0);
    /* equal scores: the earlier row ranks first */
    CHECK(eval_rank(&kernel_scalar, &v, 6, EVAL_ADD, q, ex, 1, 1) == 1);
    CHECK(eval_rank(&kernel_scalar, &v, 6, EVAL_ADD, q, ex, 1, 2) == 2);
    CHECK(eval_rank(&kernel_scalar, &v, 6, EVAL_ADD, q, NULL, 0, 4) == 6);
}
