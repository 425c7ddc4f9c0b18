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
    vocab_count_config cfg = {threads, VOCAB_RANGE_BYTES, max_vocab};
    if (vocab_count(v, c, &cfg, &vs, err))
        return -1;
    if (vs.truncated)
        fprintf(stderr, "warning: %s: %lld %s longer than %d bytes %s "
                        "truncated\n", input, (long long)vs.truncated,
                cli_plural(vs.truncated, "word", "words"), W2V_MAX_WORD,
                cli_plural(vs.truncated, "was", "were"));
    if (vs.reductions)
        fprintf(stderr, "warning: %s: the vocabulary reached -max-vocab %lld "
                        "words; words seen fewer than %lld %s were "
                        "dropped (%lld %s)\n",
                input, (long long)max_vocab, (long long)vs.pruned_below,
                cli_plural(vs.pruned_below, "time", "times"),
                (long long)vs.reductions,
                cli_plural(vs.reductions, "pruning", "prunings"));
    if (verbose)
        fprintf(stderr, "read %lld %s, %lld distinct, in %.2f s\n",
                (long long)vs.tokens, cli_plural(vs.tokens, "word", "words"),
                (long long)v->size, w2v_now() - t0);
    return vs.tokens;
}
