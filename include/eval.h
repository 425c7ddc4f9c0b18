/* eval.h - queries and evaluations over loaded word vectors: nearest
 * neighbours, analogies (3CosAdd, 3CosMul), the analogy benchmark in blocked
 * batches, and word-pair similarity (Spearman).  Library code: never prints,
 * reports failures through w2v_err. */
#ifndef W2V_EVAL_H
#define W2V_EVAL_H

#include <stdint.h>

#include "kernel.h"
#include "vectors.h"
#include "w2v.h"

/* 3CosMul's epsilon (Levy & Goldberg 2014), added to the shifted cosine of
 * the subtracted word. */
#define EVAL_MUL_EPSILON 0.001f

/* Answers an analogy question considers, as gensim's evaluation does: the
 * best of these that is not a case variant of an input is the prediction. */
#define EVAL_ANALOGY_TOPN 5

typedef enum eval_method {
    EVAL_ADD, /* 3CosAdd: cos(x, b - a + c) */
    EVAL_MUL, /* 3CosMul: cos'(x,b) cos'(x,c) / (cos'(x,a) + eps),
               * cos' = (cos + 1) / 2 */
} eval_method;

typedef struct eval_hit {
    int64_t row;
    float score;
} eval_hit;

/* Scales every row of v to unit length; rows of zeros stay zero. */
void eval_normalize(vectors *v, const kernel *kern);

/* The k best rows among rows [0, rows) of v for `score`, best first, ties
 * broken by the lower row; rows listed in exclude[0..n_exclude-1] are never
 * returned.  With method EVAL_ADD, `query` is one vector (length v->dim) and
 * the score is its dot product with the row; with EVAL_MUL, `query` holds the
 * three unit vectors a, b, c one after another and the score is 3CosMul.
 * Returns how many hits were written (at most k). */
int eval_nearest(const kernel *kern, const vectors *v, int64_t rows,
                 eval_method method, const float *query,
                 const int64_t *exclude, int n_exclude, int k, eval_hit *out);

/* Writes word[0..len) with its letters folded to upper case into out (room
 * for len + 1 bytes; NUL-terminated); the length never changes.  Folded:
 * ASCII a-z; and in well-formed two-byte UTF-8, the simple upper-case
 * mappings of the Latin-1 Supplement (U+00E0..U+00FE but U+00F7, U+00FF to
 * U+0178, the micro sign U+00B5 to U+039C), Latin Extended-A (U+0100..
 * U+017E in pairs; the dotless i U+0131 and the long s U+017F, whose upper
 * case is ASCII, stay), Greek (U+03B1..U+03CB, final sigma U+03C2 to
 * U+03A3, the tonos vowels U+03AC..U+03AF and U+03CC..U+03CE, the pairs
 * U+03D8..U+03EF) and Cyrillic (U+0430..U+045F, the pairs U+0460..U+0481,
 * U+048A..U+04BF, U+04C1..U+04CE and U+04D0..U+04FF, U+04CF to U+04C0).
 * Every other byte, invalid UTF-8 included, is copied unchanged. */
void eval_fold_case(const char *word, size_t len, char *out);

/* The 1-based position row `target` would have in eval_nearest's answer
 * with k = rows (the same scores, exclusions and tie order): 1 + the rows
 * not excluded that score higher, or as high and come first.  0 when target
 * is excluded or not among rows [0, rows). */
int64_t eval_rank(const kernel *kern, const vectors *v, int64_t rows,
                  eval_method method, const float *query,
                  const int64_t *exclude, int n_exclude, int64_t target);

/* The vocabulary evaluations look words up in: the first `rows` rows of a
 * unit-normalized vectors.  Case-insensitive mode folds words with
 * eval_fold_case and maps every case variant to its first (most frequent)
 * row. */
typedef struct eval_vocab {
    const vectors *v;
    int64_t rows;
    int case_insensitive;
    int64_t *canon;   /* row -> first row whose word equals it (folded) */
    char *const *keys; /* the words looked up: v->words, or folded */
    char **folded;    /* case-insensitive: the folded words, per row */
    char *fold_pool;  /* storage behind folded */
    word_table table; /* key -> canonical row */
} eval_vocab;

/* Builds the lookup over the first min(rows, v->n) rows (rows <= 0: all). */
int eval_vocab_init(eval_vocab *ev, const vectors *v, int64_t rows,
                    int case_insensitive, w2v_err *err);

/* Canonical row of word (folded when case-insensitive), or -1. */
int64_t eval_vocab_find(const eval_vocab *ev, const char *word);

/* Frees what eval_vocab_init allocated; safe on a zeroed struct. */
void eval_vocab_free(eval_vocab *ev);

/* One section of an analogy question file (": name" lines start them). */
typedef struct analogy_section {
    char *name;
    int syntactic;    /* name starts with "gram" */
    int64_t total;    /* questions in the file */
    int64_t answered; /* all four words in the vocabulary */
    int64_t correct;
} analogy_section;

typedef struct analogy_question {
    int64_t a, b, c, expected; /* canonical rows; a < 0 when not covered */
    int64_t predicted;         /* canonical row, -1 when not answered */
    int section;
    int correct;
} analogy_question;

typedef struct analogy_set {
    analogy_section *sections;
    int n_sections;
    analogy_question *questions;
    int64_t n_questions;
} analogy_set;

/* Reads a question file ("-": standard input) in the questions-words.txt
 * format ("A B C D" lines under ": section" lines; blank lines and CRLF
 * accepted) and looks its words up in ev.  Malformed lines are errors
 * naming the file and line. */
int analogy_read(const char *path, const eval_vocab *ev, analogy_set *set,
                 w2v_err *err);

/* Answers every covered question in blocks (one pass over the candidate
 * matrix per block, kernel->gemm_nt), using `threads` threads, and fills the
 * per-question and per-section counts.  The prediction is the best candidate
 * among ev's rows, the three input rows excluded, among the top
 * EVAL_ANALOGY_TOPN whose canonical row is not one of the inputs; it is
 * correct when its canonical row is the expected one. */
int analogy_evaluate(const kernel *kern, const eval_vocab *ev, analogy_set *set,
                     eval_method method, int threads, w2v_err *err);

/* Frees what analogy_read allocated; safe on a zeroed struct. */
void analogy_free(analogy_set *set);

/* Spearman's rank correlation of x and y (n pairs) into *rho: the Pearson
 * correlation of the ranks, tied values getting the average of their ranks.
 * *rho is NaN when n < 2 or either side is constant.  -1 only when out of
 * memory. */
int eval_spearman(const double *x, const double *y, int64_t n, double *rho,
                  w2v_err *err);

typedef struct similarity_result {
    int64_t pairs;    /* pairs read from the file */
    int64_t used;     /* pairs with both words in the vocabulary */
    double spearman;  /* over the used pairs; NaN when undefined */
} similarity_result;

/* Reads "w1 w2 score" lines from path ("-": standard input; fields split
 * by `delimiter`, or by any run of spaces and tabs when it is 0; '#'
 * comments, blank lines, CRLF and a missing final newline accepted; a first
 * line whose score is not a number is a header and skipped) and correlates
 * the scores with the cosines. */
int eval_similarity(const kernel *kern, const eval_vocab *ev, const char *path,
                    char delimiter, similarity_result *res, w2v_err *err);

#endif
