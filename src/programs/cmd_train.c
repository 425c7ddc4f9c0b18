/* cmd_train.c - the `w2v train` command: flags, output files, the counting
 * pass, training and the report. */
#include <stdio.h>
#include <string.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include "classes.h"
#include "cli.h"
#include "commands.h"
#include "counting.h"
#include "outfile.h"
#include "progress.h"
#include "train.h"
#include "vectors.h"

/* What `w2v train` adds to the training parameters: files and display. */
typedef struct train_job {
    train_config cfg;
    const char *input;        /* corpus, "-" = stdin */
    const char *output;       /* word vectors (emb_in), "-" = stdout */
    const char *save_context; /* context vectors (emb_out), or NULL */
    const char *save_vocab;
    const char *read_vocab;
    const char *kernel;       /* kernel body name, NULL = $W2V_KERNEL/auto */
    int64_t binary;
    int64_t classes;          /* > 0: write word classes instead of vectors */
    int64_t kmeans_iter;
    int64_t debug;            /* 0 = no statistics, 1+ = statistics */
    int quiet;                /* no progress line or statistics */
} train_job;

/* The open files of a run; closed (temporary files removed) by job_close. */
typedef struct train_files {
    outfile out, context, vocab;
    corpus corpus;
} train_files;

static const char train_usage[] =
    "usage: w2v train -input CORPUS -output VECTORS [OPTIONS]\n"
    "Trains word vectors: skip-gram (or CBOW) with negative sampling,\n"
    "full softmax or hierarchical softmax.\n"
    "CORPUS and VECTORS may be '-' for standard input / output.";

/* Parses argv into job; returns -1 to go on, else the exit status. */
static int parse_train(int argc, char **argv, train_job *job)
{
    train_config *cfg = &job->cfg;
    const char *loss = NULL;
    int64_t cbow = 0, hs = 0;
    const cli_opt opts[] = {
        {"-input", CLI_STRING, &job->input, 0, 0, "training corpus, '-' = stdin"},
        {"-train", CLI_STRING, &job->input, 0, 0, "same as -input"},
        {"-output", CLI_STRING, &job->output, 0, 0, "word vectors, '-' = stdout"},
        {"-size", CLI_INT, &cfg->dim, 1, 100000, "vector dimension"},
        {"-window", CLI_INT, &cfg->window, 1, 1000, "max context distance"},
        {"-sample", CLI_REAL, &cfg->sample, 0, 1, "subsampling threshold, 0 = off"},
        {"-negative", CLI_INT, &cfg->negative, 0, 1000,
         "noise words per prediction (-loss ns)"},
        {"-threads", CLI_INT, &cfg->threads, 1, 1024, "training threads"},
        {"-iter", CLI_INT, &cfg->iter, 1, 1000000, "epochs"},
        {"-min-count", CLI_INT, &cfg->min_count, 0, 1e18, "drop rarer words"},
        {"-max-vocab", CLI_INT, &cfg->max_vocab, 0, 2e9,
         "prune rare words when counting reaches this many, 0 = no limit"},
        {"-alpha", CLI_REAL, &cfg->alpha, 1e-12, 1e6,
         "starting learning rate (default 0.025, CBOW 0.05)"},
        {"-min-alpha-ratio", CLI_REAL, &cfg->min_alpha_ratio, 0, 1,
         "final learning rate as a fraction of -alpha"},
        {"-binary", CLI_INT, &job->binary, 0, 1, "1 = binary vectors"},
        {"-save-vocab", CLI_STRING, &job->save_vocab, 0, 0, "write the vocabulary"},
        {"-read-vocab", CLI_STRING, &job->read_vocab, 0, 0,
         "read the vocabulary instead of counting"},
        {"-save-context", CLI_STRING, &job->save_context, 0, 0,
         "also write the context (output) vectors"},
        {"-seed", CLI_INT, &cfg->seed, 0, 9.2e18, "random seed"},
        {"-debug", CLI_INT, &job->debug, 0, 10, "0 = quiet, 1+ = statistics"},
        {"-kernel", CLI_STRING, &job->kernel, 0, 0,
         "auto, scalar, avx2, avx512, neon (or $W2V_KERNEL)"},
        {"-quiet", CLI_FLAG, &job->quiet, 0, 0,
         "no progress or statistics (warnings still show)"},
        {"-loss", CLI_STRING, &loss, 0, 0,
         "ns, softmax or hs (default: from -negative / -hs)"},
        {"-hs", CLI_INT, &hs, 0, 1, "1 = hierarchical softmax (-loss hs)"},
        {"-cbow", CLI_INT, &cbow, 0, 1, "1 = CBOW, 0 = skip-gram"},
        {"-softmax-centers", CLI_INT, &cfg->softmax_centers, 1, 64,
         "skip-gram softmax: center words per pass over the output matrix"},
        {"-batch", CLI_INT, &cfg->batch, 0, 1,
         "skip-gram ns: 1 = noise words shared per window (HogBatch), "
         "0 = per pair"},
        {"-classes", CLI_INT, &job->classes, 0, INT32_MAX,
         "write 'word class' lines of this many k-means classes instead of "
         "vectors, 0 = vectors"},
        {"-kmeans-iter", CLI_INT, &job->kmeans_iter, 1, 1000000,
         "-classes: k-means rounds at most"},
        {NULL, 0, NULL, 0, 0, NULL},
    };
    int rc = cli_parse_command("train", train_usage, opts, argc - 1, argv + 1,
                               NULL, 0, NULL);
    if (rc >= 0)
        return rc;
    w2v_err err = {""};
    if (!job->input)
        return cli_usage_error("train", "-input is required");
    if (!job->output && !job->save_vocab)
        return cli_usage_error("train", "-output (or -save-vocab) is required");
    if (loss) {
        static const loss_kind kinds[] = {LOSS_NS, LOSS_SOFTMAX, LOSS_HS};
        cfg->loss_given = 0;
        for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
            if (strcmp(loss, loss_name(kinds[i])) == 0) {
                cfg->loss = kinds[i];
                cfg->loss_given = 1;
            }
        if (!cfg->loss_given) {
            snprintf(err.msg, sizeof err.msg,
                     "-loss: '%s' is not ns, softmax or hs", loss);
            return cli_usage_error("train", err.msg);
        }
    }
    cfg->hs = (int)hs;
    cfg->cbow = (int)cbow;
    cfg->keep_context = job->save_context != NULL;
    if (train_config_check(cfg, &err))
        return cli_usage_error("train", err.msg);
    return -1;
}

/* Opens every output (a bad path fails before any work) and the corpus. */
static int open_files(const train_job *job, train_files *f, w2v_err *err)
{
    if ((job->output && outfile_open(&f->out, job->output, err)) ||
        (job->save_context &&
         outfile_open(&f->context, job->save_context, err)) ||
        (job->save_vocab && outfile_open(&f->vocab, job->save_vocab, err)))
        return -1;
    return corpus_open(&f->corpus, job->input, cli_spool_dir(), err);
}

static void close_files(train_files *f)
{
    outfile_abort(&f->out);
    outfile_abort(&f->context);
    outfile_abort(&f->vocab);
    corpus_close(&f->corpus);
}

/* The vocabulary: read, or counted from the corpus; then finalized. */
static int build_vocabulary(const train_job *job, const corpus *c, vocab *v,
                            int verbose, w2v_err *err)
{
    const train_config *cfg = &job->cfg;
    if (vocab_init(v, err))
        return -1;
    if (job->read_vocab) {
        if (vocab_read(v, job->read_vocab, err))
            return -1;
    } else {
        int64_t tokens = count_vocabulary(job->input, c, v, cfg->max_vocab,
                                          (int)cfg->threads, verbose, err);
        if (tokens < 0)
            return -1;
        if (tokens == 0)
            return w2v_fail(err, "%s: no words in the corpus", job->input);
    }
    if (vocab_finalize(v, cfg->min_count, err))
        return -1;
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
        fprintf(stderr, "vocabulary: %lld words (min-count %lld), "
                        "%lld training words\n",
                (long long)v->size, (long long)cfg->min_count,
                (long long)v->total);
    return 0;
}

/* The per-epoch table and the summary line after training. */
static void report(const train_job *job, const model *m, const train_stats *st,
                   int verbose)
{
    const train_config *cfg = &job->cfg;
    if (verbose) {
        fprintf(stderr, "epoch  loss      words/s    alpha\n");
        for (int64_t e = 0; e < cfg->iter; e++)
            fprintf(stderr, "%5lld  %.6f  %9.0f  %.6f\n", (long long)e + 1,
                    st->epoch_loss[e],
                    st->epoch_seconds[e] > 0
                        ? (double)m->vocab.total / st->epoch_seconds[e] : 0.0,
                    st->epoch_alpha[e]);
    }
    if (!job->quiet) {
        double wps = st->elapsed > 0 ? st->words_done / st->elapsed : 0.0;
        fprintf(stderr, "trained %lld words in %.2f s: %.0f words/s "
                        "(%.0f words/s/thread), average loss %.4f\n",
                (long long)st->words_done, st->elapsed, wps,
                wps / (double)cfg->threads, st->loss_total);
    }
}

/* Writes the vectors (and the context vectors) and commits the files. */
static int write_vectors(const train_job *job, const model *m,
                         train_files *f, w2v_err *err)
{
    const char *const *words = (const char *const *)m->vocab.words;
    if (job->classes > 0) {
        const kmeans_config kc = {job->classes, job->kmeans_iter,
                                  (uint64_t)job->cfg.seed,
                                  (int)job->cfg.threads};
        const kernel *kern = cli_kernel(job->kernel, err);
        if (!kern ||
            write_classes(f->out.fp, job->output, words, m->emb_in,
                          m->vocab.size, m->dim, m->stride, &kc, kern,
                          job->quiet, 0, err) ||
            outfile_commit(&f->out, err))
            return -1;
    } else if (vectors_write(f->out.fp, job->output, words, m->emb_in,
                             m->vocab.size, m->dim, m->stride,
                             (int)job->binary, err) ||
               outfile_commit(&f->out, err))
        return -1;
    if (job->save_context &&
        (vectors_write(f->context.fp, job->save_context, words, m->emb_out,
                       m->vocab.size, m->dim, m->stride, (int)job->binary,
                       err) ||
         outfile_commit(&f->context, err)))
        return -1;
    return 0;
}

/* Trains with the job's settings on its open files. */
static int run_training(const train_job *job, const kernel *k, train_files *f,
                        w2v_err *err)
{
    const train_config *cfg = &job->cfg;
    int verbose = !job->quiet && job->debug > 0;
    model m = {0};
    train_stats st = {0};
    int rc = -1;
    if (verbose && f->corpus.spooled)
        fprintf(stderr, "spooled %s to a temporary file (%lld bytes)\n",
                job->input, (long long)f->corpus.size);
    if (build_vocabulary(job, &f->corpus, &m.vocab, verbose, err))
        goto out;
    if (job->save_vocab &&
        (vocab_save(&m.vocab, f->vocab.fp, job->save_vocab, err) ||
         outfile_commit(&f->vocab, err)))
        goto out;
    if (!job->output) {
        rc = 0;
        goto out;
    }
    if (model_init(&m, cfg->dim, cfg->seed, err))
        goto out;
    if (verbose)
        fprintf(stderr, "training: %s, loss %s, %lld threads, kernel %s, "
                        "%lld epochs\n", cfg->cbow ? "cbow" : "skip-gram",
                loss_name(cfg->loss), (long long)cfg->threads, k->name,
                (long long)cfg->iter);
    progress_display pd;
    train_monitor mon = {job->quiet ? NULL : progress_show, &pd, 0};
    progress_init(&pd, &mon.interval);
    int failed = train_run(&m, &f->corpus, cfg, k, &mon, &st, err);
    if (!failed && !job->quiet)
        progress_show(&st, &pd);
    progress_end(&pd);
    if (failed)
        goto out;
    report(job, &m, &st, verbose);
    rc = write_vectors(job, &m, f, err);
out:
    train_stats_free(&st);
    model_free(&m);
    return rc;
}

int cmd_train(int argc, char **argv)
{
    train_job job = {.debug = 2, .kmeans_iter = 10};
    train_config_defaults(&job.cfg);
    int rc = parse_train(argc, argv, &job);
    if (rc >= 0)
        return rc;
    w2v_err err = {""};
    const kernel *k = cli_kernel(job.kernel, &err);
    if (!k)
        return cli_usage_error("train", err.msg);
    cli_remove_outputs_on_signal();
    train_files f = {.corpus = {.fd = -1}};
    rc = open_files(&job, &f, &err) || run_training(&job, k, &f, &err)
             ? cli_runtime_error("train", err.msg)
             : EXIT_OK;
    close_files(&f);
    return rc;
}
