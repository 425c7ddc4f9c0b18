/* counting.h - the counting pass and the finalization of the vocabulary in
 * `w2v train` and `w2v vocab`, with the warnings both print. */
#ifndef W2V_COUNTING_H
#define W2V_COUNTING_H

#include "corpus.h"
#include "vocab.h"

/* Counts corpus c (named `input` in messages) into v with `threads`
 * threads and the -max-vocab bound; prints a warning for truncated words
 * and for pruning, and, when verbose, the totals.  Returns the number of
 * tokens read, or -1 with the message in err. */
int64_t count_vocabulary(const char *input, const corpus *c, vocab *v,
                         int64_t max_vocab, int threads, int verbose,
                         w2v_err *err);

/* Says on stderr when -max-final-vocab raised min_count to `used`. */
void report_min_count(const vocab *v, int64_t min_count,
                      int64_t max_final_vocab, int64_t used);

/* Finalizes v (vocab_finalize_at_most) with min_count, raised as needed to
 * keep at most max_final_vocab words (0 = no limit); says on stderr when it
 * was raised, and to what. */
int finalize_vocabulary(vocab *v, int64_t min_count, int64_t max_final_vocab,
                        w2v_err *err);

#endif
