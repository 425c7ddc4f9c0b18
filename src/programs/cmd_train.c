/* cmd_train.c - the `w2v train` command: flags, output files, the counting
 * pass, training and the report. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include "checkpoint.h"
#include "classes.h"
#include "cli.h"
#include "cluster.h"
#include "commands.h"
#include "counting.h"
#include "input.h"
#include "pathcheck.h"
#include "signals.h"
#include "train_job.h"
#include "vectors.h"

static const char train_usage[] =
    "usage: w2v train -input CORPUS -output VECTORS [OPTIONS]\n"
    "Trains word vectors: skip-gram (or CBOW) with negative sampling,\n"
    "full softmax or hierarchical softmax.\n"
    "CORPUS and VECTORS may be '-' for standard input / output.\n"
    "With -checkpoint FILE the run is saved every -checkpoint-every seconds\n"
    "and at the end of every epoch; SIGINT, SIGTERM and SIGHUP then save it\n"
    "before exiting, and 'w2v train -resume FILE' continues it.";

/* Parses argv into job; returns -1 to go on, else the exit status. */
static int parse_train(int argc, char **argv, train_job *job)
{
    train_config *cfg = &job->cfg;
    const char *loss = NULL, *corpus_cache = NULL;
    int64_t cbow = 0, hs = 0;
    /* 0 until given: the help then names the default instead of this
     * machine's count */
    int64_t cpus = cfg->threads;
    cfg->threads = 0;
    const cli_opt opts[] = {
        {"-input", CLI_STRING, &job->input, 0, 0,
         "training corpus, '-' = stdin (required)", "FILE"},
        {"-train", CLI_STRING, &job->input, 0, 0, "same as -input", "FILE"},
        {"-output", CLI_STRING, &job->output, 0, 0,
         "word vectors, '-' = stdout", "FILE"},
        {"-size", CLI_INT, &cfg->dim, 1, 100000, "vector dimension", "N"},
        {"-window", CLI_INT, &cfg->window, 1, 1000, "max context distance",
         "N"},
        {"-sample", CLI_REAL, &cfg->sample, 0, 1,
         "subsampling threshold, 0 = off", "S"},
        {"-negative", CLI_INT, &cfg->negative, 0, 1000,
         "noise words per prediction (-loss ns)", "K"},
        {"-threads", CLI_INT, &cfg->threads, 1, 1024,
         "training threads (default: the CPUs this process may use)", "N"},
        {"-iter", CLI_INT, &cfg->iter, 1, 1000000, "epochs", "N"},
        {"-min-count", CLI_INT, &cfg->min_count, 0, 1e18, "drop rarer words",
         "N"},
        {"-max-vocab", CLI_INT, &cfg->max_vocab, 0, 2e9,
         "count in bounded memory, keeping this many words, 0 = no limit",
         "N"},
        {"-max-final-vocab", CLI_INT, &cfg->max_final_vocab, 0, 2e9,
         "keep at most this many words, raising -min-count, 0 = off", "N"},
        {"-alpha", CLI_REAL, &cfg->alpha, 1e-12, 1e6,
         "starting learning rate (default 0.025, CBOW 0.05)", "A"},
        {"-min-alpha-ratio", CLI_REAL, &cfg->min_alpha_ratio, 0, 1,
         "final learning rate as a fraction of -alpha", "R"},
        {"-binary", CLI_INT, &job->binary, 0, 1, "1 = binary vectors", "0|1"},
        {"-save-vocab", CLI_STRING, &job->save_vocab, 0, 0,
         "write the vocabulary", "FILE"},
        {"-read-vocab", CLI_STRING, &job->read_vocab, 0, 0,
         "read the vocabulary instead of counting, '-' = stdin", "FILE"},
        {"-save-context", CLI_STRING, &job->save_context, 0, 0,
         "also write the context (output) vectors", "FILE"},
        {"-seed", CLI_INT, &cfg->seed, 0, 9.2e18, "random seed", "N"},
        {"-debug", CLI_INT, &job->debug, 0, 10,
         "0 = warnings and errors only, 1 = also statistics, 2 = also "
         "progress", "N"},
        {"-kernel", CLI_STRING, &job->kernel, 0, 0,
         "auto, scalar, avx2, avx512, neon (or $W2V_KERNEL)", "NAME"},
        {"-quiet", CLI_FLAG, &job->quiet, 0, 0, "the same as -debug 0", NULL},
        {"-loss", CLI_STRING, &loss, 0, 0,
         "objective (default: from -negative / -hs)",
         "ns|softmax|hs|hs+ns"},
        {"-hs", CLI_INT, &hs, 0, 1,
         "1 = hierarchical softmax; with -negative k > 0 both at once", "0|1"},
        {"-cbow", CLI_INT, &cbow, 0, 1, "1 = CBOW, 0 = skip-gram", "0|1"},
        {"-softmax-centers", CLI_INT, &cfg->softmax_centers, 1, 64,
         "skip-gram softmax: center words per pass over the output matrix",
         "N"},
        {"-batch", CLI_INT, &cfg->batch, 0, 1,
         "skip-gram ns: 1 = noise words shared per window (HogBatch), "
         "0 = per pair", "0|1"},
        {"-combine", CLI_INT, &cfg->combine, 1, 64,
         "skip-gram ns with -batch 1: windows sharing one set of output "
         "words (context combining), 1 = none", "N"},
        {"-combine-block", CLI_INT, &cfg->combine_block,
         TRAIN_COMBINE_BLOCK_MIN, TRAIN_COMBINE_BLOCK_MAX,
         "context combining: words whose windows are grouped together",
         "N"},
        {"-classes", CLI_INT, &job->classes, 0, INT32_MAX,
         "write 'word class' lines of this many k-means classes instead of "
         "vectors, 0 = vectors (default 0)", "K"},
        {"-kmeans-iter", CLI_INT, &job->kmeans_iter, 1, 1000000,
         "-classes: k-means rounds at most (default 10)", "N"},
        {"-corpus-cache", CLI_STRING, &corpus_cache, 0, 0,
         "epochs after the first read the corpus as word ids kept in memory "
         "(the same results); auto (the default) = with 2 epochs or more, "
         "as much of it as a fifth of the matrices holds, less what the "
         "combining blocks hold (at most a quarter of the memory), the rest "
         "read from the text; on = all of it",
         "auto|on|off"},
        {"-checkpoint", CLI_STRING, &job->checkpoint, 0, 0,
         "save the run to this file, to continue it with -resume", "FILE"},
        {"-checkpoint-every", CLI_INT, &job->checkpoint_every, 1, 1e9,
         "seconds between checkpoints (default 600; also at every epoch's "
         "end)", "SECONDS"},
        {"-resume", CLI_STRING, &job->resume, 0, 0,
         "continue the run saved in this checkpoint", "FILE"},
        {"-signal-checkpoint", CLI_STRING, &job->signal_checkpoint, 0, 0,
         "save a checkpoint on this signal and go on", "USR1|USR2|ALRM|XCPU"},
        {"-sync-every", CLI_REAL, &job->sync_every, 0.001, 3600,
         "MPI job: seconds between syncs of the ranks' models", "SECONDS"},
        {"-sync-rows", CLI_INT, &job->sync_rows, 1, 1e9,
         "MPI job: most frequent rows combined at every sync", "N"},
        {NULL, 0, NULL, 0, 0, NULL, NULL},
    };
    int given[sizeof opts / sizeof opts[0]] = {0};
    int rc = cli_parse_command("train", train_usage, opts, argc - 1, argv + 1,
                               NULL, 0, NULL, given);
    if (rc >= 0)
        return rc;
    if (cfg->threads == 0)
        cfg->threads = cpus;
    w2v_err err = {""};
    if (!job->resume && !job->input)
        return cli_usage_error("train", "-input is required");
    if (!job->resume && !job->output && !job->save_vocab)
        return cli_usage_error("train", "-output (or -save-vocab) is required");
    if (job->signal_checkpoint && !signal_by_name(job->signal_checkpoint))
        return cli_usage_error("train", "-signal-checkpoint: expected USR1, "
                                        "USR2, ALRM or XCPU");
    if (job->resume && job->read_vocab)
        return cli_usage_error("train", "-read-vocab: a resumed run keeps the "
                                        "vocabulary of its checkpoint");
    if (cluster_size() > 1 && job->input && strcmp(job->input, "-") == 0)
        return cli_usage_error("train", "-input -: standard input cannot be "
                                        "split among the ranks of an MPI job "
                                        "(each reads its own part of a file): "
                                        "save it to a file first");
    static const char *const readers[] = {"-input", "-read-vocab", NULL};
    if ((rc = cli_one_stdin("train", opts, readers)) >= 0)
        return rc;
    if (loss) {
        static const loss_kind kinds[] = {LOSS_NS, LOSS_SOFTMAX, LOSS_HS,
                                          LOSS_HS_NS};
        cfg->loss_given = 0;
        for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
            if (strcmp(loss, loss_name(kinds[i])) == 0) {
                cfg->loss = kinds[i];
                cfg->loss_given = 1;
            }
        if (!cfg->loss_given) {
            snprintf(err.msg, sizeof err.msg,
                     "-loss: '%s' is not ns, softmax, hs or hs+ns", loss);
            return cli_usage_error("train", err.msg);
        }
    }
    if (corpus_cache) {
        static const corpus_cache_mode modes[] = {
            CORPUS_CACHE_AUTO, CORPUS_CACHE_ON, CORPUS_CACHE_OFF};
        size_t i = 0;
        while (i < sizeof modes / sizeof modes[0] &&
               strcmp(corpus_cache, corpus_cache_mode_name(modes[i])) != 0)
            i++;
        if (i == sizeof modes / sizeof modes[0]) {
            snprintf(err.msg, sizeof err.msg,
                     "-corpus-cache: '%s' is not auto, on or off",
                     corpus_cache);
            return cli_usage_error("train", err.msg);
        }
        cfg->corpus_cache = modes[i];
    }
    cfg->hs = (int)hs;
    cfg->cbow = (int)cbow;
    if (job->quiet)
        job->debug = 0;
    if (cli_was_given(opts, given, "-negative") && cfg->loss_given &&
        (cfg->loss == LOSS_HS || cfg->loss == LOSS_SOFTMAX) &&
        cfg->negative > 0)
        fprintf(stderr, "w2v train: warning: -negative %lld is not used "
                        "by -loss %s (for hs and ns at once: -loss hs+ns, "
                        "or -hs 1 without -loss)\n",
                (long long)cfg->negative, loss_name(cfg->loss));
    if (job->resume) {
        if (!(job->resumed = w2v_malloc(sizeof *job->resumed, &err)) ||
            checkpoint_read(job->resume, job->resumed, &err) ||
            train_job_resume(job, opts, given, &err))
            return cli_runtime_error("train", err.msg);
        if (job->resumed->state.ranks != cluster_size()) {
            snprintf(err.msg, sizeof err.msg,
                     "%s: a run of %lld ranks resumes with as many, not %d",
                     job->resume, (long long)job->resumed->state.ranks,
                     cluster_size());
            return cli_runtime_error("train", err.msg);
        }
    }
    if (job->binary < 0)
        job->binary = 0;
    if (job->classes < 0)
        job->classes = 0;
    if (!job->kmeans_iter)
        job->kmeans_iter = KMEANS_ITER_DEFAULT;
    if (job->checkpoint && !job->checkpoint_every)
        job->checkpoint_every = CHECKPOINT_EVERY_DEFAULT;
    cfg->keep_context = job->save_context != NULL;
    if (train_config_check(cfg, &err))
        return cli_usage_error("train", err.msg);
    if (!train_config_combines(cfg)) {
        if (cli_was_given(opts, given, "-combine") && cfg->combine > 1)
            snprintf(err.msg, sizeof err.msg,
                     "-combine %lld: context combining is for skip-gram with "
                     "-loss ns and -batch 1",
                     (long long)cfg->combine);
        else if (cli_was_given(opts, given, "-combine-block"))
            snprintf(err.msg, sizeof err.msg,
                     "-combine-block %lld: no context combining to use it "
                     "(it needs skip-gram, -loss ns, -batch 1, -combine 2 or "
                     "more)",
                     (long long)cfg->combine_block);
        else
            return -1;
        return cli_usage_error("train", err.msg);
    }
    return -1;
}

/* Refuses, before any work, paths that would destroy data: an output that
 * is an input or another output, binary vectors for a terminal.  A new
 * file flag is one more line of the table. */
static int check_paths(const train_job *job, w2v_err *err)
{
    const path_use uses[] = {
        {"-input", job->input, 0},
        {"-read-vocab", job->read_vocab, 0},
        {"-output", job->output, 1},
        {"-save-context", job->save_context, 1},
        {"-save-vocab", job->save_vocab, 1},
        {"-checkpoint", job->checkpoint, 1},
    };
    if (paths_check_distinct(uses, sizeof uses / sizeof uses[0], err))
        return -1;
    /* -classes writes text whatever -binary says, as the original does */
    if (job->binary &&
        ((!job->classes &&
          paths_check_binary_output("-output", job->output, err)) ||
         paths_check_binary_output("-save-context", job->save_context, err)))
        return -1;
    return 0;
}

/* With other ranks: 0 when every rank's `ok` is set; -1 otherwise, err
 * saying why on the rank that failed and naming none elsewhere. */
static int agreed(int ok, w2v_err *err)
{
    if (cluster_all(ok))
        return 0;
    if (ok)
        err->msg[0] = '\0'; /* the failing rank says why */
    return -1;
}

/* Prints a runtime error of `w2v train` (naming the rank in a job; nothing
 * for an empty message: another rank failed and says why); returns 1. */
static int train_error(const w2v_err *err)
{
    char msg[sizeof err->msg + 32];
    if (!err->msg[0])
        return EXIT_RUNTIME;
    if (cluster_size() > 1)
        snprintf(msg, sizeof msg, "rank %d: %s", cluster_rank(), err->msg);
    else
        snprintf(msg, sizeof msg, "%s", err->msg);
    return cli_runtime_error("train", msg);
}

/* Opens every output (a bad path fails before any work) and the corpus;
 * with several ranks, each its own part of it. */
static int open_files(train_session *s, w2v_err *err)
{
    const train_job *job = s->job;
    int writes = cluster_rank() == 0; /* rank 0 writes for the job */
    input_options in = {"train", s->progress_on, s->verbose};
    int ok = !((writes && job->output &&
                outfile_open(&s->out, job->output, err)) ||
               (writes && job->save_context &&
                outfile_open(&s->context, job->save_context, err)) ||
               (writes && job->save_vocab &&
                outfile_open(&s->vocab, job->save_vocab, err)) ||
               input_open(&s->corpus, job->input, &in, err) ||
               (job->checkpoint && train_session_check_corpus(s, err)));
    if (ok)
        corpus_set_window(&s->corpus, cluster_rank(), cluster_size());
    return agreed(ok, err);
}

static void close_files(train_session *s)
{
    outfile_abort(&s->out);
    outfile_abort(&s->context);
    outfile_abort(&s->vocab);
    outfile_abort(&s->ckpt);
    corpus_close(&s->corpus);
}

/* The vocabulary: read, or counted from the corpus; then finalized. */
static int build_vocabulary(const train_job *job, const corpus *c, vocab *v,
                            int verbose, w2v_err *err)
{
    const train_config *cfg = &job->cfg;
    int64_t tokens = 0;
    int ok = vocab_init(v, err) == 0;
    if (ok && job->read_vocab)
        ok = vocab_read(v, job->read_vocab, err) == 0;
    else if (ok)
        ok = (tokens = count_vocabulary(job->input, c, v, cfg->max_vocab,
                                        (int)cfg->threads, verbose, err)) >= 0;
    if (agreed(ok, err))
        return -1;
    if (!job->read_vocab && cluster_sum(tokens) == 0)
        return w2v_fail(err, "%s: no words in the corpus", job->input);
    uint32_t crc;
    int64_t used;
    if (job->read_vocab
            ? agreed(vocab_finalize_at_most(v, cfg->min_count,
                                            cfg->max_final_vocab, &used,
                                            err) == 0,
                     err) ||
                  cluster_same_vocab(v, &crc, err)
            : cluster_merge_vocab(v, cfg->min_count, cfg->max_final_vocab,
                                  &used, err))
        return -1;
    if (cluster_rank() == 0)
        report_min_count(v, cfg->min_count, cfg->max_final_vocab, used);
#if defined(__GLIBC__)
    /* hand the counting tables' memory back before the matrices arrive */
    malloc_trim(0);
#endif
    if (v->size == 0)
        return w2v_fail(err, "%s: no word occurs at least -min-count %lld "
                             "times",
                        job->read_vocab ? job->read_vocab : job->input,
                        (long long)cfg->min_count);
    if (verbose)
        fprintf(stderr, "vocabulary: %lld %s (min-count %lld), "
                        "%lld training %s\n",
                (long long)v->size, cli_plural(v->size, "word", "words"),
                (long long)cfg->min_count, (long long)v->total,
                cli_plural(v->total, "word", "words"));
    if (cluster_size() > 1) {
        if (cluster_same_vocab(v, &crc, err))
            return -1;
        if (job->debug >= 3)
            fprintf(stderr, "rank %d: vocabulary of %lld words, checksum "
                            "%08x\n", cluster_rank(), (long long)v->size, crc);
        if (verbose)
            fprintf(stderr, "vocabulary identical on the %d ranks "
                            "(checksum %08x)\n", cluster_size(), crc);
    }
    return 0;
}

/* The per-epoch table and the summary line after training. */
static void report(const train_job *job, const model *m, const train_stats *st)
{
    const train_config *cfg = &job->cfg;
    fprintf(stderr, "epoch  loss      words/s    alpha\n");
    for (int64_t e = 0; e < cfg->iter; e++)
        fprintf(stderr, "%5lld  %.6f  %9.0f  %.6f\n", (long long)e + 1,
                st->epoch_loss[e],
                st->epoch_seconds[e] > 0
                    ? (double)m->vocab.total / st->epoch_seconds[e] : 0.0,
                st->epoch_alpha[e]);
    double wps = st->elapsed > 0 ? st->words_done / st->elapsed : 0.0;
    double threads = (double)(cfg->threads * cluster_size());
    char split[96] = "";
    if (cfg->loss == LOSS_HS_NS)
        snprintf(split, sizeof split, " (hs %.4f + ns %.4f)",
                 st->hs_loss_total, st->loss_total - st->hs_loss_total);
    fprintf(stderr, "trained %lld %s in %.2f s: %.0f words/s "
                    "(%.0f words/s/thread), average loss %.4f%s\n",
            (long long)st->words_done,
            cli_plural(st->words_done, "word", "words"), st->elapsed, wps,
            wps / threads, st->loss_total, split);
    if (st->tail_takes > 0)
        fprintf(stderr, "last epoch: threads done with their own range took "
                        "over half of another's rest %lld %s%s\n",
                (long long)st->tail_takes,
                cli_plural(st->tail_takes, "time", "times"),
                cluster_size() > 1 ? " on rank 0" : "");
}

/* What set auto's budget of the corpus cache (the program gives none). */
static const char *budget_rule(const train_cache_plan *plan, char *buf,
                               size_t size)
{
    if (plan->by_memory)
        return "a quarter of the memory";
    if (!plan->blocks)
        return "a fifth of the matrices";
    snprintf(buf, size, "a fifth of the matrices, less %.1f MB held by the "
                        "combining blocks", (double)plan->blocks / 1e6);
    return buf;
}

/* `bytes` in buf[32] as kB under 0.1 MB, else MB, with one decimal. */
static const char *size_text(int64_t bytes, char *buf)
{
    if (bytes < 100000)
        snprintf(buf, 32, "%.1f kB", (double)bytes / 1e3);
    else
        snprintf(buf, 32, "%.1f MB", (double)bytes / 1e6);
    return buf;
}

/* The line saying whether the corpus cache will be used, and why. */
static void report_cache_plan(const train_job *job, const model *m,
                              const corpus *c)
{
    train_cache_plan plan;
    train_cache_plan_for(m, c, &job->cfg, &plan);
    const char *part = cluster_size() > 1 ? " for rank 0's part" : "";
    char estimate[32], budget[32], rule[96];
    size_text(plan.estimate, estimate);
    size_text(plan.budget, budget);
    switch (job->cfg.corpus_cache) {
    case CORPUS_CACHE_OFF:
        fprintf(stderr, "corpus cache: off (-corpus-cache off)\n");
        break;
    case CORPUS_CACHE_ON:
        fprintf(stderr, "corpus cache: on (-corpus-cache on), about %s "
                        "estimated%s\n", estimate, part);
        break;
    case CORPUS_CACHE_AUTO:
        if (!plan.use && job->cfg.iter == 1)
            fprintf(stderr, "corpus cache: off (one epoch reads the text "
                            "once)\n");
        else if (!plan.use)
            fprintf(stderr, "corpus cache: off (no budget left: %s)\n",
                    budget_rule(&plan, rule, sizeof rule));
        else if (plan.whole)
            fprintf(stderr, "corpus cache: on, about %s estimated%s, within "
                            "the budget of %s (%s)\n",
                    estimate, part, budget,
                    budget_rule(&plan, rule, sizeof rule));
        else
            fprintf(stderr, "corpus cache: on for about %.0f%% of the words%s, "
                            "the budget of %s (%s); all of them would take "
                            "about %s (-corpus-cache on)\n",
                    100.0 * (double)plan.budget / (double)plan.estimate, part,
                    budget, budget_rule(&plan, rule, sizeof rule), estimate);
        break;
    }
}

/* The line "corpus cache: <what> n of <threads> threads, <why>", when n is
 * not 0. */
static void report_cache_threads(const char *what, int64_t n, int64_t threads,
                                 const char *why)
{
    if (n > 0)
        fprintf(stderr, "corpus cache: %s %lld of %lld %s, %s\n", what,
                (long long)n, (long long)threads,
                cli_plural(threads, "thread", "threads"), why);
}

/* The line saying what the corpus cache held in the end. */
static void report_cache(const train_job *job, const train_stats *st)
{
    int64_t threads = job->cfg.threads * cluster_size();
    char held[32];
    if (job->cfg.corpus_cache == CORPUS_CACHE_OFF)
        return;
    if (st->cache_threads > 0)
        fprintf(stderr, "corpus cache: %s for %lld %s (%.2f bytes per "
                        "word), held by %lld of %lld %s\n",
                size_text(st->cache_bytes, held), (long long)st->cache_words,
                cli_plural(st->cache_words, "word", "words"),
                st->cache_words > 0 ? (double)st->cache_bytes /
                                          (double)st->cache_words
                                    : 0.0,
                (long long)st->cache_threads, (long long)threads,
                cli_plural(threads, "thread", "threads"));
    report_cache_threads("partial for", st->cache_partial, threads,
                         "at the budget (the rest of the text is read every "
                         "epoch)");
    report_cache_threads("dropped by", st->cache_dropped, threads,
                         "with no room for one word (those read the text "
                         "every epoch)");
}

/* Writes the vectors, or with -classes the word classes (k-means with
 * kernel k), and the context vectors, and commits the files. */
static int write_vectors(train_session *s, const model *m, const kernel *k,
                         w2v_err *err)
{
    const train_job *job = s->job;
    const char *const *words = (const char *const *)m->vocab.words;
    if (job->classes > 0) {
        const kmeans_config kc = {job->classes, job->kmeans_iter,
                                  (uint64_t)job->cfg.seed,
                                  (int)job->cfg.threads};
        if (write_classes(s->out.fp, job->output, words, m->emb_in,
                          m->vocab.size, m->dim, m->stride, &kc, k,
                          !s->verbose, 0, err) ||
            outfile_commit(&s->out, err))
            return -1;
    } else if (vectors_write(s->out.fp, job->output, words, m->emb_in,
                             m->vocab.size, m->dim, m->stride,
                             (int)job->binary, err) ||
               outfile_commit(&s->out, err)) {
        return -1;
    }
    if (job->save_context &&
        (vectors_write(s->context.fp, job->save_context, words, m->emb_out,
                       m->vocab.size, m->dim, m->stride, (int)job->binary,
                       err) ||
         outfile_commit(&s->context, err)))
        return -1;
    return 0;
}

/* The model to train: the resumed checkpoint's, or a new one over the
 * vocabulary (read or counted). */
static int prepare_model(train_session *s, model *m, w2v_err *err)
{
    const train_job *job = s->job;
    if (job->resumed) {
        *m = job->resumed->m;
        memset(&job->resumed->m, 0, sizeof job->resumed->m);
        if (s->verbose)
            fprintf(stderr, "resuming %s: %lld words, %lld of %lld training "
                            "words done\n", job->resume,
                    (long long)m->vocab.size,
                    (long long)job->resumed->state.words_done,
                    (long long)(job->cfg.iter * m->vocab.total));
    } else if (build_vocabulary(job, &s->corpus, &m->vocab, s->verbose, err)) {
        return -1;
    }
    int ok = !(job->save_vocab && cluster_rank() == 0 &&
               (vocab_save(&m->vocab, s->vocab.fp, job->save_vocab, err) ||
                outfile_commit(&s->vocab, err)));
    if (agreed(ok, err))
        return ok ? 0 : -1;
    /* before the training, not after it; every rank finds it, rank 0
     * says so */
    if (job->output && job->classes > m->vocab.size) {
        w2v_fail(err, "-classes %lld for %lld words: there cannot be more "
                      "classes than words",
                 (long long)job->classes, (long long)m->vocab.size);
        if (cluster_rank() != 0)
            err->msg[0] = '\0';
        return -1;
    }
    if (!job->output || job->resumed)
        return 0;
    /* the same seed on every rank: the replicas start equal */
    ok = model_init(m, job->cfg.dim, job->cfg.seed, err) == 0 &&
         (job->cfg.loss != LOSS_HS_NS || model_init_tree_rows(m, err) == 0);
    if (ok && s->verbose && job->cfg.loss == LOSS_HS_NS && job->save_context)
        fprintf(stderr, "-save-context: writes the negative-sampling output "
                        "vectors (hierarchical softmax's inner nodes are not "
                        "word vectors)\n");
    return agreed(ok, err);
}

/* The part of a resumed run's state that is this rank's: its threads. */
static const train_state *resumed_state(const train_job *job,
                                        train_state *slice)
{
    if (!job->resumed)
        return NULL;
    *slice = job->resumed->state;
    slice->threads /= cluster_size();
    slice->ranks = 1;
    slice->thread += cluster_rank() * slice->threads;
    return slice;
}

/* The line saying why a run stopped early, and what was kept.  Returns the
 * exit status: 128 + the signal, or that of a broken pipe. */
static int stopped(const train_session *s, const train_stats *st)
{
    const train_job *job = s->job;
    int sig = signals_stop_requested();
    double done = st->words_total > 0
                      ? 100.0 * (double)st->words_done / (double)st->words_total
                      : 0.0;
    char why[64];
    if (cluster_rank() != 0)
        goto wait_for_rank_0;
    if (s->stdout_gone)
        snprintf(why, sizeof why, "the reader of standard output is gone");
    else
        snprintf(why, sizeof why, "stopped by %s", signal_name(sig));
    if (job->checkpoint && s->ckpt_written)
        fprintf(stderr, "w2v train: %s at %.1f%%; checkpoint written to %s "
                        "(continue with: w2v train -resume %s); no vectors "
                        "written\n", why, done, job->checkpoint,
                job->checkpoint);
    else
        fprintf(stderr, "w2v train: %s at %.1f%%; no checkpoint written%s, "
                        "no vectors written\n", why, done,
                job->checkpoint ? " (writing it failed)"
                                : " (no -checkpoint given)");
wait_for_rank_0:
    /* mpirun ends a job at the first rank that exits with a failure: the
     * others wait until rank 0 has said what it kept */
    cluster_all(1);
    return s->stdout_gone ? 128 + SIGPIPE : 128 + sig;
}

/* Trains with the job's settings on the session's open files.  Returns
 * the exit status (a message printed for a failure). */
static int run_training(train_session *s, const kernel *k)
{
    const train_job *job = s->job;
    const train_config *cfg = &job->cfg;
    model m = {0};
    train_stats st = {0};
    w2v_err err = {""};
    int rc = -1;
    if (s->verbose && s->corpus.spooled)
        fprintf(stderr, "spooled %s to a temporary file (%lld %s)\n",
                strcmp(job->input, "-") ? job->input : "standard input",
                (long long)s->corpus.size,
                cli_plural(s->corpus.size, "byte", "bytes"));
    train_state slice;
    if (prepare_model(s, &m, &err))
        goto out;
    if (!job->output) {
        rc = 0;
        goto out;
    }
    if (s->verbose)
        fprintf(stderr, "training: %s, loss %s, %lld %s, kernel %s, "
                        "%lld %s\n", cfg->cbow ? "cbow" : "skip-gram",
                loss_name(cfg->loss), (long long)cfg->threads,
                cli_plural(cfg->threads, "thread", "threads"), k->name,
                (long long)cfg->iter, cli_plural(cfg->iter, "epoch", "epochs"));
    if (s->verbose && train_config_combines(cfg))
        fprintf(stderr, "context combining: up to %lld windows a group, "
                        "blocks of %lld words\n",
                (long long)cfg->combine, (long long)cfg->combine_block);
    if (s->verbose)
        report_cache_plan(job, &m, &s->corpus);
    train_monitor mon = {0};
    train_session_monitor(s, &mon);
    cluster_sync_config sync = {cfg->threads, job->sync_every, job->sync_rows};
    if (cluster_monitor(&mon, &sync, &m, cfg->loss, &err))
        goto out;
    signals_training(1);
    rc = train_run(&m, &s->corpus, cfg, k, &mon, resumed_state(job, &slice),
                   &st, &err);
    signals_training(0);
    if (rc == TRAIN_STOPPED) {
        progress_end(&s->progress);
        rc = stopped(s, &st);
        goto done;
    }
    /* a job's model: the replicas combined, written by rank 0 */
    if (agreed(rc == 0, &err) || cluster_combine(&m, &err) ||
        cluster_sum_stats(&st, cfg->iter, &err)) {
        rc = -1;
        progress_end(&s->progress);
        goto out;
    }
    if (s->progress_on)
        progress_show(&st, &s->progress);
    progress_end(&s->progress);
    if (cluster_rank() != 0)
        goto done;
    if (s->verbose) {
        report(job, &m, &st);
        report_cache(job, &st);
    }
    train_session_report_checkpoints(s);
    rc = write_vectors(s, &m, k, &err);
    if (rc && errno == EPIPE) { /* the reader of -output - went away */
        cli_runtime_error("train", err.msg);
        rc = 128 + SIGPIPE;
        goto done;
    }
out:
    if (rc)
        rc = train_error(&err);
done:
    train_stats_free(&st);
    model_free(&m);
    return rc;
}

/* Parses the command line; in a job the ranks but rank 0 keep the usage
 * errors (which every rank finds alike) to themselves. */
static int parse_quietly(int argc, char **argv, train_job *job)
{
    int saved = -1;
    if (cluster_rank() != 0) {
        fflush(stderr);
        saved = dup(STDERR_FILENO);
        int null = open("/dev/null", O_WRONLY);
        if (null >= 0) {
            dup2(null, STDERR_FILENO);
            close(null);
        }
    }
    int rc = parse_train(argc, argv, job);
    if (saved >= 0) {
        fflush(stderr);
        dup2(saved, STDERR_FILENO);
        close(saved);
    }
    return rc;
}

int cmd_train(int argc, char **argv)
{
    if (cluster_start(&argc, &argv))
        return cli_runtime_error("train", "MPI cannot start (or gives no "
                                          "MPI_THREAD_FUNNELED)");
    train_job job = {.debug = 2, .binary = -1, .classes = -1,
                     .sync_every = SYNC_EVERY_DEFAULT,
                     .sync_rows = SYNC_ROWS_DEFAULT};
    train_config_defaults(&job.cfg);
    int rc = parse_quietly(argc, argv, &job);
    if (rc < 0) {
        w2v_err err = {""};
        const kernel *k = cli_kernel(job.kernel, &err);
        if (check_paths(&job, &err) || !k) {
            rc = cli_usage_error("train", err.msg);
        } else {
            if (cluster_rank() == 0)
                cli_warn_threads("train", job.cfg.threads);
            signals_install(job.signal_checkpoint
                                ? signal_by_name(job.signal_checkpoint)
                                : 0);
            train_session s = {.job = &job, .corpus = {.fd = -1}};
            int speaks = cluster_rank() == 0; /* rank 0 speaks for a job */
            s.verbose = speaks && job.debug >= 1;
            s.progress_on = speaks && job.debug >= 2;
            rc = open_files(&s, &err) ? train_error(&err)
                                      : run_training(&s, k);
            close_files(&s);
        }
    }
    if (job.resumed) {
        checkpoint_free(job.resumed);
        free(job.resumed);
    }
    cluster_end();
    return rc;
}
