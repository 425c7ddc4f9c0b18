/* counting.c - the counting pass and its warnings (counting.h). */
#include "counting.h"

#include <stdio.h>

#include "cli.h"

int64_t count_vocabulary(const char *input, const corpus *c, vocab *v,
                         int64_t max_vocab, int threads, int verbose,
                         w2v_err *err)
{
    vocab_stats vs;
    double t0 = w2v_now();
    vocab_count_config cfg = {.threads = threads,
                              .min_range_bytes = VOCAB_RANGE_BYTES,
                              .max_vocab = max_vocab};
    if (vocab_count(v, c, &cfg, &vs, err))
        return -1;
    if (vs.truncated)
        fprintf(stderr, "warning: %s: %lld %s longer than %d bytes %s "
                        "truncated\n", input, (long long)vs.truncated,
                cli_plural(vs.truncated, "word", "words"), W2V_MAX_WORD,
                cli_plural(vs.truncated, "was", "were"));
    if (vs.limited && vs.reductions)
        fprintf(stderr, "warning: %s: the vocabulary reached -max-vocab %lld "
                        "words: kept the %lld most frequent of %lld "
                        "candidates, recounted exactly in a second pass "
                        "(the last kept seen %lld %s); every word seen "
                        "more than %lld %s is kept\n",
                input, (long long)max_vocab, (long long)vs.kept,
                (long long)vs.candidates, (long long)vs.cut_count,
                cli_plural(vs.cut_count, "time", "times"),
                (long long)vs.guaranteed_above,
                cli_plural(vs.guaranteed_above, "time", "times"));
    else if (vs.limited)
        fprintf(stderr, "warning: %s: the vocabulary reached -max-vocab %lld "
                        "words: kept exactly the %lld most frequent (the "
                        "last seen %lld %s)\n",
                input, (long long)max_vocab, (long long)vs.kept,
                (long long)vs.cut_count,
                cli_plural(vs.cut_count, "time", "times"));
    if (verbose)
        fprintf(stderr, "read %lld %s, %lld %s, in %.2f s\n",
                (long long)vs.tokens, cli_plural(vs.tokens, "word", "words"),
                (long long)v->size, vs.limited ? "kept" : "distinct",
                w2v_now() - t0);
    return vs.tokens;
}

void report_min_count(const vocab *v, int64_t min_count,
                      int64_t max_final_vocab, int64_t used)
{
    if (used != min_count)
        fprintf(stderr, "keeping the %lld most frequent %s "
                        "(-max-final-vocab %lld): min-count raised from %lld "
                        "to %lld\n",
                (long long)v->size, cli_plural(v->size, "word", "words"),
                (long long)max_final_vocab, (long long)min_count,
                (long long)used);
}

int finalize_vocabulary(vocab *v, int64_t min_count, int64_t max_final_vocab,
                        w2v_err *err)
{
    int64_t used;
    if (vocab_finalize_at_most(v, min_count, max_final_vocab, &used, err))
        return -1;
    report_min_count(v, min_count, max_final_vocab, used);
    return 0;
}
