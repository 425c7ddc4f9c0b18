/* cmd_train.c - the `w2v train` and `w2v vocab` commands (program side:
 * parsing, messages, exit codes, output files). */
#include <math.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "commands.h"
#include "outfile.h"
#include "train.h"
#include "vectors.h"

/* ---- progress ---------------------------------------------------------- */

typedef struct progress_ctx {
    int tty;
    int drawn; /* a line is on screen without its newline */
} progress_ctx;

static void fmt_duration(char *buf, size_t n, double s)
{
    long t = s > 0 && s < 1e9 ? (long)(s + 0.5) : 0;
    if (t >= 3600)
        snprintf(buf, n, "%ld:%02ld:%02ld", t / 3600, t / 60 % 60, t % 60);
    else
        snprintf(buf, n, "%ld:%02ld", t / 60, t % 60);
}

static void show_progress(const train_stats *s, void *arg)
{
    progress_ctx *p = arg;
    double frac = s->words_total > 0 ? (double)s->words_done / s->words_total : 0;
    double wps = s->elapsed > 0 ? s->words_done / s->elapsed : 0;
    char el[32], eta[32];
    fmt_duration(el, sizeof el, s->elapsed);
    fmt_duration(eta, sizeof eta,
                 frac > 0 ? s->elapsed * (1.0 - frac) / frac : 0);
    fprintf(stderr, "%s%5.1f%%  alpha %.6f  %7.1fk words/s/thread  "
                    "elapsed %s  eta %s  loss %.4f%s",
            p->tty ? "\r" : "", 100.0 * frac, s->alpha,
            wps / (double)s->threads / 1000.0, el, eta, s->loss,
            p->tty ? "\033[K" : "\n");
    p->drawn = p->tty;
}

/* ---- options ------------------------------------------------------------ */

static int flag_given(int argc, char **argv, const char *flag)
{
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], flag) == 0)
            return 1;
    return 0;
}

/* The objective from -loss, or else from the original's -hs / -negative.
 * The original's hs-and-ns-together mode is refused: it trains two output
 * matrices at once, which no loss here reports honestly. */
static int resolve_loss(train_config *cfg, const char *loss, int64_t hs,
                        w2v_err *err)
{
    if (loss) {
        if (strcmp(loss, "ns") == 0)
            cfg->loss = LOSS_NS;
        else if (strcmp(loss, "softmax") == 0)
            cfg->loss = LOSS_SOFTMAX;
        else if (strcmp(loss, "hs") == 0)
            cfg->loss = LOSS_HS;
        else
            return w2v_fail(err, "-loss: '%s' is not ns, softmax or hs", loss);
        if (cfg->loss == LOSS_NS && cfg->negative == 0)
            return w2v_fail(err, "-loss ns needs -negative of at least 1");
        if (hs && cfg->loss != LOSS_HS)
            return w2v_fail(err, "-hs 1 contradicts -loss %s", loss);
        return 0;
    }
    if (hs && cfg->negative > 0)
        return w2v_fail(err, "-hs 1 with -negative %lld (both objectives at "
                             "once) is not supported: use -loss hs or -loss ns",
                        (long long)cfg->negative);
    if (hs) {
        cfg->loss = LOSS_HS;
        return 0;
    }
    if (cfg->negative == 0)
        return w2v_fail(err, "-negative 0 without -hs 1 leaves no objective: "
                             "use -loss ns|softmax|hs");
    cfg->loss = LOSS_NS;
    return 0;
}

static const char train_usage[] =
    "usage: w2v train -input CORPUS -output VECTORS [OPTIONS]\n"
    "Trains word vectors: skip-gram (or CBOW) with negative sampling,\n"
    "full softmax or hierarchical softmax.\n"
    "CORPUS and VECTORS may be '-' for standard input / output.\n\n";

int cmd_train(int argc, char **argv)
{
    train_config cfg;
    train_config_defaults(&cfg);
    int64_t cbow = 0, hs = 0;
    const char *loss = NULL;
    const cli_opt opts[] = {
        {"-input", CLI_STRING, &cfg.input, 0, 0, "training corpus, '-' = stdin"},
        {"-train", CLI_STRING, &cfg.input, 0, 0, "same as -input"},
        {"-output", CLI_STRING, &cfg.output, 0, 0, "word vectors, '-' = stdout"},
        {"-size", CLI_INT, &cfg.dim, 1, 100000, "vector dimension"},
        {"-window", CLI_INT, &cfg.window, 1, 1000, "max context distance"},
        {"-sample", CLI_REAL, &cfg.sample, 0, 1, "subsampling threshold, 0 = off"},
        {"-negative", CLI_INT, &cfg.negative, 0, 1000,
         "noise words per prediction (-loss ns)"},
        {"-threads", CLI_INT, &cfg.threads, 1, 1024, "training threads"},
        {"-iter", CLI_INT, &cfg.iter, 1, 1000000, "epochs"},
        {"-min-count", CLI_INT, &cfg.min_count, 0, 1e18, "drop rarer words"},
        {"-max-vocab", CLI_INT, &cfg.max_vocab, 0, 2e9,
         "prune rare words when counting reaches this many, 0 = no limit"},
        {"-alpha", CLI_REAL, &cfg.alpha, 1e-12, 1e6,
         "starting learning rate (CBOW: 0.05)"},
        {"-min-alpha-ratio", CLI_REAL, &cfg.min_alpha_ratio, 0, 1,
         "final learning rate as a fraction of -alpha"},
        {"-binary", CLI_INT, &cfg.binary, 0, 1, "1 = binary vectors"},
        {"-save-vocab", CLI_STRING, &cfg.save_vocab, 0, 0, "write the vocabulary"},
        {"-read-vocab", CLI_STRING, &cfg.read_vocab, 0, 0,
         "read the vocabulary instead of counting"},
        {"-save-context", CLI_STRING, &cfg.save_context, 0, 0,
         "also write the context (output) vectors"},
        {"-seed", CLI_INT, &cfg.seed, 0, 9.2e18, "random seed"},
        {"-debug", CLI_INT, &cfg.debug, 0, 10, "0 = quiet, 1+ = statistics"},
        {"-kernel", CLI_STRING, &cfg.kernel, 0, 0,
         "auto, scalar, avx2, avx512, neon (or $W2V_KERNEL)"},
        {"-quiet", CLI_FLAG, &cfg.quiet, 0, 0,
         "no progress or statistics (warnings still show)"},
        {"-loss", CLI_STRING, &loss, 0, 0,
         "ns, softmax or hs (default: from -negative / -hs)"},
        {"-hs", CLI_INT, &hs, 0, 1, "1 = hierarchical softmax (-loss hs)"},
        {"-cbow", CLI_INT, &cbow, 0, 1, "1 = CBOW, 0 = skip-gram"},
        {"-softmax-centers", CLI_INT, &cfg.softmax_centers, 1, 64,
         "skip-gram softmax: center words per pass over the output matrix"},
        {"-batch", CLI_INT, &cfg.batch, 0, 1,
         "skip-gram ns: 1 = noise words shared per window (HogBatch), "
         "0 = per pair"},
        {NULL, 0, NULL, 0, 0, NULL},
    };
    w2v_err err = {""};
    char *extra[1];
    int rc = cli_parse(opts, argc - 1, argv + 1, extra, 0, NULL, &err);
    if (rc == 1) {
        fputs(train_usage, stdout);
        cli_print_options(stdout, opts);
        return EXIT_OK;
    }
    if (rc < 0)
        return cli_usage_error("train", err.msg);
    if (!cfg.input)
        return cli_usage_error("train", "-input is required");
    if (!cfg.output && !cfg.save_vocab)
        return cli_usage_error("train", "-output (or -save-vocab) is required");
    if (resolve_loss(&cfg, loss, hs, &err))
        return cli_usage_error("train", err.msg);
    cfg.cbow = (int)cbow;
    if (cfg.save_context && cfg.loss == LOSS_HS)
        return cli_usage_error("train", "-save-context: -loss hs has no context "
                                    "vectors (its output rows are the Huffman "
                                    "tree's inner nodes)");
    if (cbow && !flag_given(argc, argv, "-alpha"))
        cfg.alpha = 0.05;
    int verbose = !cfg.quiet && cfg.debug > 0;

    const kernel *k = cli_kernel(cfg.kernel, &err);
    if (!k)
        return cli_usage_error("train", err.msg);

    cli_remove_outputs_on_signal();
    outfile out = {0}, ctx_out = {0}, vocab_out = {0};
    corpus c = {.fd = -1};
    model m = {0};
    train_stats st = {0};
    int status = EXIT_RUNTIME;
    /* outputs first: a bad output path fails before any work */
    if ((cfg.output && outfile_open(&out, cfg.output, &err)) ||
        (cfg.save_context && outfile_open(&ctx_out, cfg.save_context, &err)) ||
        (cfg.save_vocab && outfile_open(&vocab_out, cfg.save_vocab, &err)))
        goto fail;
    if (corpus_open(&c, cfg.input, cli_spool_dir(), &err) ||
        vocab_init(&m.vocab, &err))
        goto fail;
    if (verbose && c.spooled)
        fprintf(stderr, "spooled %s to a temporary file (%lld bytes)\n",
                cfg.input, (long long)c.size);
    if (cfg.read_vocab) {
        if (vocab_read(&m.vocab, cfg.read_vocab, &err))
            goto fail;
    } else {
        vocab_stats vs;
        double t0 = w2v_now();
        if (vocab_count(&m.vocab, &c, cfg.max_vocab, (int)cfg.threads, &vs,
                        &err))
            goto fail;
        if (vs.truncated)
            fprintf(stderr, "warning: %s: %lld words longer than %d bytes were "
                            "truncated\n", cfg.input, (long long)vs.truncated,
                    W2V_MAX_WORD);
        if (vs.reductions)
            fprintf(stderr, "warning: %s: the vocabulary reached -max-vocab %lld "
                            "words; words seen fewer than %lld times were "
                            "dropped (%lld prunings)\n",
                    cfg.input, (long long)cfg.max_vocab,
                    (long long)vs.pruned_below, (long long)vs.reductions);
        if (vs.tokens == 0) {
            w2v_fail(&err, "%s: no words in the corpus", cfg.input);
            goto fail;
        }
        if (verbose)
            fprintf(stderr, "read %lld words, %lld distinct, in %.2f s\n",
                    (long long)vs.tokens, (long long)m.vocab.size,
                    w2v_now() - t0);
    }
    if (vocab_finalize(&m.vocab, cfg.min_count, &err))
        goto fail;
#if defined(__GLIBC__)
    /* hand the counting tables' memory back before the matrices arrive */
    malloc_trim(0);
#endif
    if (m.vocab.size == 0) {
        w2v_fail(&err, "%s: no word occurs at least -min-count %lld times",
                 cfg.read_vocab ? cfg.read_vocab : cfg.input,
                 (long long)cfg.min_count);
        goto fail;
    }
    if (verbose)
        fprintf(stderr, "vocabulary: %lld words (min-count %lld), "
                        "%lld training words\n",
                (long long)m.vocab.size, (long long)cfg.min_count,
                (long long)m.vocab.total);
    if (cfg.save_vocab) {
        if (vocab_save(&m.vocab, vocab_out.fp, cfg.save_vocab, &err) ||
            outfile_commit(&vocab_out, &err))
            goto fail;
    }
    if (!cfg.output) {
        status = EXIT_OK;
        goto done;
    }
    if (model_init(&m, cfg.dim, cfg.seed, cfg.sample, &err))
        goto fail;
    if (verbose)
        fprintf(stderr, "training: %s, loss %s, %lld threads, kernel %s, "
                        "%lld epochs\n", cfg.cbow ? "cbow" : "skip-gram",
                loss_name(cfg.loss), (long long)cfg.threads, k->name,
                (long long)cfg.iter);

    progress_ctx pc = {.tty = isatty(STDERR_FILENO)};
    cfg.progress_every = pc.tty ? 0.5 : 5.0;
    if (train_run(&m, &c, &cfg, k, cfg.quiet ? NULL : show_progress, &pc, &st,
                  &err)) {
        if (pc.drawn)
            fputc('\n', stderr);
        goto fail;
    }
    if (!cfg.quiet) {
        show_progress(&st, &pc);
        if (pc.drawn)
            fputc('\n', stderr);
    }
    if (verbose) {
        fprintf(stderr, "epoch  loss      words/s    alpha\n");
        for (int64_t e = 0; e < cfg.iter; e++)
            fprintf(stderr, "%5lld  %.6f  %9.0f  %.6f\n", (long long)e + 1,
                    st.epoch_loss[e],
                    st.epoch_seconds[e] > 0
                        ? (double)m.vocab.total / st.epoch_seconds[e] : 0.0,
                    st.epoch_alpha[e]);
    }
    if (!cfg.quiet)
        fprintf(stderr, "trained %lld words in %.2f s: %.0f words/s "
                        "(%.0f words/s/thread), average loss %.4f\n",
                (long long)st.words_done, st.elapsed,
                st.elapsed > 0 ? st.words_done / st.elapsed : 0.0,
                st.elapsed > 0 ? st.words_done / st.elapsed / cfg.threads : 0.0,
                st.loss_total);

    const char *const *words = (const char *const *)m.vocab.words;
    if (vectors_write(out.fp, cfg.output, words, m.emb_in, m.vocab.size,
                      m.dim, m.stride, (int)cfg.binary, &err) ||
        outfile_commit(&out, &err))
        goto fail;
    if (cfg.save_context &&
        (vectors_write(ctx_out.fp, cfg.save_context, words, m.emb_out,
                       m.vocab.size, m.dim, m.stride, (int)cfg.binary, &err) ||
         outfile_commit(&ctx_out, &err)))
        goto fail;
    status = EXIT_OK;
    goto done;
fail:
    fprintf(stderr, "w2v train: %s\n", err.msg);
done:
    outfile_abort(&out);
    outfile_abort(&ctx_out);
    outfile_abort(&vocab_out);
    train_stats_free(&st);
    model_free(&m);
    corpus_close(&c);
    return status;
}

static const char vocab_usage[] =
    "usage: w2v vocab -input CORPUS -output VOCAB [-min-count N]\n"
    "Counts a corpus and writes 'word count' lines in frequency order\n"
    "(the -save-vocab format).  '-' means standard input / output.\n\n";

int cmd_vocab(int argc, char **argv)
{
    const char *input = NULL, *output = NULL;
    int64_t min_count = 5, max_vocab = 21000000, threads = w2v_online_cpus();
    const cli_opt opts[] = {
        {"-input", CLI_STRING, &input, 0, 0, "corpus, '-' = stdin"},
        {"-train", CLI_STRING, &input, 0, 0, "same as -input"},
        {"-output", CLI_STRING, &output, 0, 0, "vocabulary file, '-' = stdout"},
        {"-min-count", CLI_INT, &min_count, 0, 1e18, "drop rarer words"},
        {"-max-vocab", CLI_INT, &max_vocab, 0, 2e9,
         "prune rare words when counting reaches this many, 0 = no limit"},
        {"-threads", CLI_INT, &threads, 1, 1024, "counting threads"},
        {NULL, 0, NULL, 0, 0, NULL},
    };
    w2v_err err = {""};
    char *extra[1];
    int rc = cli_parse(opts, argc - 1, argv + 1, extra, 0, NULL, &err);
    if (rc == 1) {
        fputs(vocab_usage, stdout);
        cli_print_options(stdout, opts);
        return EXIT_OK;
    }
    if (rc < 0)
        return cli_usage_error("vocab", err.msg);
    if (!input || !output)
        return cli_usage_error("vocab", "-input and -output are required");

    cli_remove_outputs_on_signal();
    outfile out = {0};
    corpus c = {.fd = -1};
    vocab v = {0};
    vocab_stats vs;
    int status = EXIT_RUNTIME;
    if (outfile_open(&out, output, &err) || corpus_open(&c, input, cli_spool_dir(), &err) ||
        vocab_init(&v, &err) ||
        vocab_count(&v, &c, max_vocab, (int)threads, &vs, &err) ||
        vocab_finalize(&v, min_count, &err))
        goto fail;
    if (vs.truncated)
        fprintf(stderr, "warning: %s: %lld words longer than %d bytes were "
                        "truncated\n", input, (long long)vs.truncated,
                W2V_MAX_WORD);
    if (vs.reductions)
        fprintf(stderr, "warning: %s: the vocabulary reached -max-vocab %lld "
                        "words; words seen fewer than %lld times were dropped\n",
                input, (long long)max_vocab, (long long)vs.pruned_below);
    if (vocab_save(&v, out.fp, output, &err) || outfile_commit(&out, &err))
        goto fail;
    status = EXIT_OK;
    goto done;
fail:
    cli_runtime_error("vocab", err.msg);
done:
    outfile_abort(&out);
    vocab_free(&v);
    corpus_close(&c);
    return status;
}
