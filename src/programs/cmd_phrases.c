/* cmd_phrases.c - the `w2v phrases` command: word2phrase, one or more
 * passes, each joining the frequent pairs of the previous pass's text. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "commands.h"
#include "input.h"
#include "outfile.h"
#include "pathcheck.h"
#include "phrases.h"

typedef struct phrases_job {
    const char *input, *output, *scoring_name;
    phrase_scoring scoring;
    phrase_count_config count;
    double threshold;
    int64_t min_count, passes, threads, max_vocab, debug;
    int quiet;
} phrases_job;

static const char phrases_usage[] =
    "usage: w2v phrases -input CORPUS -output CORPUS2 [OPTIONS]\n"
    "Joins frequent word pairs with '_' (\"new york\" -> \"new_york\"), as\n"
    "word2phrase does; each further pass can join the phrases again.\n"
    "A pair is joined when its score is above -threshold:\n"
    "  default: (count(a b) - min-count) / count(a) / count(b) * words\n"
    "  npmi:    normalized pointwise mutual information, in [-1, 1]\n"
    "CORPUS and CORPUS2 may be '-' for standard input / output.";

/* Parses argv into job; returns -1 to go on, else the exit status. */
static int parse_phrases(int argc, char **argv, phrases_job *job)
{
    /* 0 until given: the help then names the default instead of this
     * machine's count */
    job->threads = 0;
    const cli_opt opts[] = {
        {"-input", CLI_STRING, &job->input, 0, 0,
         "corpus, '-' = stdin (required)", "FILE"},
        {"-train", CLI_STRING, &job->input, 0, 0, "same as -input", "FILE"},
        {"-output", CLI_STRING, &job->output, 0, 0,
         "the corpus with phrases joined, '-' = stdout (required)", "FILE"},
        {"-min-count", CLI_INT, &job->min_count, 0, 1e18,
         "words and pairs seen fewer times are never joined", "N"},
        {"-threshold", CLI_REAL, &job->threshold, -1e300, 1e300,
         "join pairs scoring above this (npmi: in [-1, 1]); each further "
         "pass halves it (npmi: keeps it)", "T"},
        {"-scoring", CLI_STRING, &job->scoring_name, 0, 0,
         "pair score: word2phrase's (default) or normalized pointwise "
         "mutual information", "default|npmi"},
        {"-passes", CLI_INT, &job->passes, 1, 100,
         "passes over the text (2 joins phrases of up to four words)", "N"},
        {"-threads", CLI_INT, &job->threads, 1, 1024,
         "counting and writing threads (default: the CPUs this process may "
         "use)", "N"},
        {"-max-vocab", CLI_INT, &job->max_vocab, 0, 1e15,
         "words and pairs held while counting (pairs over all threads), "
         "0 = no limit", "N"},
        {"-debug", CLI_INT, &job->debug, 0, 10,
         "0 = warnings and errors only, 1 = also statistics, 2 = also "
         "progress", "N"},
        {"-quiet", CLI_FLAG, &job->quiet, 0, 0, "the same as -debug 0", NULL},
        {NULL, 0, NULL, 0, 0, NULL, NULL},
    };
    int rc = cli_parse_command("phrases", phrases_usage, opts, argc - 1,
                               argv + 1, NULL, 0, NULL, NULL);
    if (rc >= 0)
        return rc;
    if (job->threads == 0)
        job->threads = w2v_allotted_cpus();
    if (job->quiet)
        job->debug = 0;
    w2v_err err;
    if (!job->input || !job->output)
        return cli_usage_error("phrases", "-input and -output are required");
    const path_use uses[] = {{"-input", job->input, 0},
                             {"-output", job->output, 1}};
    if (paths_check_distinct(uses, 2, &err))
        return cli_usage_error("phrases", err.msg);
    if (!job->scoring_name || !strcmp(job->scoring_name, "default"))
        job->scoring = PHRASE_SCORE_DEFAULT;
    else if (!strcmp(job->scoring_name, "npmi"))
        job->scoring = PHRASE_SCORE_NPMI;
    else {
        snprintf(err.msg, sizeof err.msg,
                 "-scoring: '%s' is not default or npmi", job->scoring_name);
        return cli_usage_error("phrases", err.msg);
    }
    if (phrase_threshold_check(job->scoring, job->threshold, &err)) {
        char msg[sizeof err.msg + 16];
        snprintf(msg, sizeof msg, "-threshold: %s", err.msg);
        return cli_usage_error("phrases", msg);
    }
    job->count = (phrase_count_config){job->min_count, (int)job->threads,
                                       VOCAB_RANGE_BYTES, job->max_vocab};
    return -1;
}

/* A new already-unlinked file in dir for the text between two passes:
 * *fd for reading it back, *fp for writing it. */
static int open_pass_file(const char *dir, int *fd, FILE **fp, w2v_err *err)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/w2v-phrases.XXXXXX", dir);
    *fd = mkstemp(path);
    if (*fd < 0)
        return w2v_fail_errno(err, "cannot create a temporary file in %s",
                              dir);
    unlink(path);
    int wfd = dup(*fd);
    if (wfd < 0 || !(*fp = fdopen(wfd, "wb"))) {
        w2v_fail_errno(err, "cannot open a temporary file in %s", dir);
        if (wfd >= 0)
            close(wfd);
        close(*fd);
        return -1;
    }
    return 0;
}

/* Finishes the text of a pass written through fp (its file open as fd)
 * and opens it as the corpus of the next pass. */
static int reopen_pass_file(int fd, FILE *fp, corpus *next, w2v_err *err)
{
    int failed = fflush(fp) != 0 || ferror(fp);
    failed |= fclose(fp) != 0;
    if (failed) {
        close(fd);
        return w2v_fail_errno(err, "%s: cannot write the text between two "
                                   "passes", cli_spool_dir());
    }
    int rc = corpus_open_fd(next, fd, "the text between two passes", NULL,
                            NULL, err);
    close(fd);
    return rc;
}

static void warn_pruning(const phrases_job *job, int pass,
                         const phrase_stats *st)
{
    const char *input = cli_is_stdin(job->input) ? "standard input"
                                                 : job->input;
    if (pass == 1 && st->truncated)
        fprintf(stderr, "warning: %s: %lld %s longer than %d bytes %s "
                        "truncated\n", input, (long long)st->truncated,
                cli_plural(st->truncated, "word", "words"), W2V_MAX_WORD,
                cli_plural(st->truncated, "was", "were"));
    if (st->words_limited)
        fprintf(stderr, "warning: %s: pass %d: the words reached -max-vocab "
                        "%lld: kept exactly the %lld most frequent (the last "
                        "seen %lld %s)\n",
                input, pass, (long long)job->max_vocab,
                (long long)st->words_kept, (long long)st->words_cut_count,
                cli_plural(st->words_cut_count, "time", "times"));
    if (st->pair_reductions)
        fprintf(stderr, "warning: %s: pass %d: the pairs reached -max-vocab "
                        "%lld; pairs seen fewer than %lld times were dropped "
                        "(%lld %s)\n",
                input, pass, (long long)job->max_vocab,
                (long long)st->pairs_pruned_below,
                (long long)st->pair_reductions,
                cli_plural(st->pair_reductions, "pruning", "prunings"));
}

/* One pass: counts `in`, then writes it with its phrases joined to out. */
static int run_pass(const phrases_job *job, int pass, double threshold,
                    const corpus *in, FILE *out, const char *out_name,
                    w2v_err *err)
{
    phrase_model m;
    phrase_stats st;
    double t0 = w2v_now();
    int64_t joined = 0;
    if (phrase_count(&m, in, &job->count, &st, err))
        return -1;
    warn_pruning(job, pass, &st);
    int64_t pairs = m.pairs.size;
    int64_t phrases = phrase_select(&m, job->scoring, threshold, err);
    phrase_write_config wc = {(int)job->threads, PHRASE_CHUNK_BYTES};
    int rc = phrases < 0 ? -1
                         : phrase_write(&m, in, &wc, out, out_name, &joined,
                                        err);
    if (!rc && job->debug >= 1)
        fprintf(stderr, "pass %d: %lld words (%lld distinct seen >= %lld "
                        "times), %lld pairs of them (%lld seen >= %lld "
                        "times), %lld phrases scoring > %g (%s); joined "
                        "%lld pairs; %d %s, %.2f s\n",
                pass, (long long)st.tokens, (long long)m.words.size,
                (long long)job->min_count, (long long)st.pairs_counted,
                (long long)pairs, (long long)job->min_count,
                (long long)phrases, threshold,
                phrase_scoring_name(job->scoring), (long long)joined,
                st.threads, cli_plural(st.threads, "thread", "threads"),
                w2v_now() - t0);
    phrase_model_free(&m);
    return rc;
}

/* Every pass, the last one into the open output. */
static int run_passes(const phrases_job *job, corpus *in, outfile *out,
                      w2v_err *err)
{
    double threshold = job->threshold;
    for (int pass = 1; pass <= job->passes; pass++) {
        if (pass == job->passes)
            return run_pass(job, pass, threshold, in, out->fp, job->output,
                            err);
        int fd = -1;
        FILE *fp = NULL;
        corpus next;
        if (open_pass_file(cli_spool_dir(), &fd, &fp, err))
            return -1;
        if (run_pass(job, pass, threshold, in, fp, "the temporary file",
                     err)) {
            fclose(fp);
            close(fd);
            return -1;
        }
        if (reopen_pass_file(fd, fp, &next, err))
            return -1;
        corpus_close(in);
        *in = next;
        if (job->scoring == PHRASE_SCORE_DEFAULT)
            threshold /= 2;
    }
    return 0;
}

int cmd_phrases(int argc, char **argv)
{
    phrases_job job = {
        .threshold = 100, .min_count = 5, .passes = 1,
        .max_vocab = 20000000, .debug = 2,
    };
    int rc = parse_phrases(argc, argv, &job);
    if (rc >= 0)
        return rc;
    cli_warn_threads("phrases", job.threads);
    cli_remove_outputs_on_signal();
    w2v_err err = {""};
    outfile out = {0};
    corpus in = {.fd = -1};
    input_options opt = {"phrases", job.debug >= 2, job.debug >= 1};
    /* the output first: a bad path fails before a large file is read */
    if (outfile_open(&out, job.output, &err) ||
        input_open(&in, job.input, &opt, &err) ||
        run_passes(&job, &in, &out, &err) || outfile_commit(&out, &err))
        rc = cli_runtime_error("phrases", err.msg);
    else
        rc = EXIT_OK;
    outfile_abort(&out);
    corpus_close(&in);
    return rc;
}
