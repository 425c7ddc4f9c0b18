/* cmd_eval.c - `w2v eval analogy` (the analogy benchmark), `w2v eval
 * similarity` (word-pair similarity) and `w2v eval loglik` (held-out
 * log-likelihood of a model). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "commands.h"
#include "eval.h"
#include "input.h"
#include "loglik.h"
#include "outfile.h"
#include "vecjob.h"

#define MAX_THREADS 256

/* Threads when -threads is not given: the CPUs this process may use. */
static int64_t default_threads(void)
{
    int cpus = w2v_allotted_cpus();
    return cpus < MAX_THREADS ? cpus : MAX_THREADS;
}

static double percent(int64_t part, int64_t whole)
{
    return whole ? 100.0 * (double)part / (double)whole : 0.0;
}

typedef struct tally {
    int64_t total, answered, correct;
} tally;

static void print_tally_text(FILE *fp, const char *name, tally t)
{
    fprintf(fp, "%-28s %6.2f%%  (%lld/%lld correct, %lld questions)\n", name,
            percent(t.correct, t.answered), (long long)t.correct,
            (long long)t.answered, (long long)t.total);
}

static void print_tally_json(FILE *fp, tally t)
{
    fprintf(fp, "{\"accuracy\": %.6f, \"correct\": %lld, \"answered\": %lld, "
                "\"questions\": %lld}",
            t.answered ? (double)t.correct / (double)t.answered : 0.0,
            (long long)t.correct, (long long)t.answered, (long long)t.total);
}

static void print_analogy_report(FILE *fp, const analogy_set *set, int json,
                                 const char *method, int64_t restrict_rows,
                                 int case_insensitive, double seconds)
{
    tally sem = {0, 0, 0}, syn = {0, 0, 0}, all;
    for (int i = 0; i < set->n_sections; i++) {
        const analogy_section *s = &set->sections[i];
        tally *t = s->syntactic ? &syn : &sem;
        t->total += s->total;
        t->answered += s->answered;
        t->correct += s->correct;
    }
    all = (tally){sem.total + syn.total, sem.answered + syn.answered,
                  sem.correct + syn.correct};
    if (!json) {
        for (int i = 0; i < set->n_sections; i++) {
            const analogy_section *s = &set->sections[i];
            print_tally_text(fp, s->name,
                             (tally){s->total, s->answered, s->correct});
        }
        print_tally_text(fp, "semantic", sem);
        print_tally_text(fp, "syntactic", syn);
        print_tally_text(fp, "total", all);
        fprintf(fp, "coverage: %lld/%lld questions (%.2f%%), method %s, "
                    "restrict %lld, case-%s, %.3f s\n",
                (long long)all.answered, (long long)all.total,
                percent(all.answered, all.total), method,
                (long long)restrict_rows,
                case_insensitive ? "insensitive" : "sensitive", seconds);
        return;
    }
    fprintf(fp, "{\"method\": \"%s\", \"restrict\": %lld, "
                "\"case_insensitive\": %s, \"seconds\": %.6f,\n \"sections\": [",
            method, (long long)restrict_rows,
            case_insensitive ? "true" : "false", seconds);
    for (int i = 0; i < set->n_sections; i++) {
        const analogy_section *s = &set->sections[i];
        fprintf(fp, "%s\n  {\"name\": ", i ? "," : "");
        cli_json_string(fp, s->name);
        fprintf(fp, ", \"syntactic\": %s, \"result\": ",
                s->syntactic ? "true" : "false");
        print_tally_json(fp, (tally){s->total, s->answered, s->correct});
        fputc('}', fp);
    }
    fprintf(fp, "],\n \"semantic\": ");
    print_tally_json(fp, sem);
    fprintf(fp, ",\n \"syntactic\": ");
    print_tally_json(fp, syn);
    fprintf(fp, ",\n \"total\": ");
    print_tally_json(fp, all);
    fprintf(fp, ",\n \"coverage\": %.6f}\n",
            all.total ? (double)all.answered / (double)all.total : 0.0);
}

/* Case mode from the two flags; -1 when both are given. */
static int case_mode(int insensitive, int sensitive)
{
    if (insensitive && sensitive)
        return -1;
    return !sensitive;
}

/* The option entries that analogy and similarity share: case folding
 * into flags insensitive and sensitive (case_mode), and -format, -json and
 * -output of vec_job job with flag json, ending the table. */
#define CASE_OPTIONS(insensitive, sensitive)                               \
    {"-case-insensitive", CLI_FLAG, &(insensitive), 0, 0,                  \
     "fold case, first variant wins, like gensim (the default)", NULL},    \
    {"-case-sensitive", CLI_FLAG, &(sensitive), 0, 0,                      \
     "match words exactly", NULL}
#define JOB_OUTPUT_OPTIONS(job, json)                                      \
    {"-format", CLI_STRING, &(job).format, 0, 0, VEC_FORMAT_HELP,          \
     VEC_FORMAT_ARG},                                                      \
    {"-json", CLI_FLAG, &(json), 0, 0, "print the results as JSON", NULL}, \
    {"-output", CLI_STRING, &(job).output, 0, 0,                           \
     "write here instead of stdout", "FILE"},                              \
    {NULL, CLI_INT, NULL, 0, 0, NULL, NULL}

static int eval_analogy_cmd(int argc, char **argv)
{
    const char *cmd = "eval analogy";
    const char *questions = NULL, *method = "add";
    int64_t restrict_rows = 30000;
    vec_job job;
    vec_job_init(&job, cmd);
    int64_t threads = 0; /* until given: the help names the default */
    int insensitive = 0, sensitive = 0, json = 0;
    cli_opt opts[] = {
        {"-vectors", CLI_STRING, &job.vectors, 0, 0,
         "vector file, '-' = stdin (required)", "FILE"},
        {"-questions", CLI_STRING, &questions, 0, 0,
         "questions in the questions-words.txt format, '-' = stdin "
         "(required)", "FILE"},
        {"-restrict", CLI_INT, &restrict_rows, 0, 1e15,
         "candidates and known words: the first N words (0: all)", "N"},
        {"-limit", CLI_INT, &restrict_rows, 0, 1e15, "same as -restrict",
         "N"},
        {"-method", CLI_STRING, &method, 0, 0, "3CosAdd or 3CosMul",
         "add|mul"},
        CASE_OPTIONS(insensitive, sensitive),
        {"-threads", CLI_INT, &threads, 1, MAX_THREADS,
         "worker threads (default: the CPUs this process may use)", "N"},
        JOB_OUTPUT_OPTIONS(job, json),
    };
    int rc = cli_parse_command(
        cmd,
        "usage: w2v eval analogy -vectors FILE -questions FILE "
        "[-restrict 30000]\n"
        "                        [-method add|mul] [-case-insensitive]\n"
        "Accuracy on analogy questions 'A B C D' (A is to B as C is to D):\n"
        "per section, semantic / syntactic (sections named gram*) / total,\n"
        "and coverage.  A question counts as answered only when its four\n"
        "words are among the first -restrict words; the prediction is the\n"
        "best of those words, the three inputs excluded.",
        opts, argc - 1, argv + 1, NULL, 0, NULL, NULL);
    if (rc >= 0)
        return rc;
    if (threads == 0)
        threads = default_threads();
    eval_method m;
    int fold = case_mode(insensitive, sensitive);
    if (!job.vectors || !questions)
        return cli_usage_error(cmd, "-vectors and -questions are required");
    static const char *const readers[] = {"-vectors", "-questions", NULL};
    if ((rc = cli_one_stdin(cmd, opts, readers)) >= 0)
        return rc;
    if (parse_method(method, &m))
        return cli_usage_error(cmd, "-method must be add or mul");
    if (fold < 0)
        return cli_usage_error(cmd, "-case-insensitive and -case-sensitive "
                                "contradict each other");
    cli_warn_threads(cmd, threads);
    job.limit = restrict_rows;
    if ((rc = vec_job_load(&job, 1)) >= 0)
        return vec_job_finish(&job, rc);
    eval_vocab ev;
    analogy_set set = {0};
    FILE *out;
    w2v_err err;
    double start = w2v_now();
    if (eval_vocab_init(&ev, &job.v, restrict_rows, fold, &err) ||
        analogy_read(questions, &ev, &set, &err) ||
        analogy_evaluate(job.kern, &ev, &set, m, (int)threads, &err))
        rc = cli_runtime_error(cmd, err.msg);
    else if (!(out = vec_job_output(&job)))
        rc = EXIT_RUNTIME;
    else {
        print_analogy_report(out, &set, json, method, ev.rows, fold,
                             w2v_now() - start);
        rc = EXIT_OK;
    }
    analogy_free(&set);
    eval_vocab_free(&ev);
    return vec_job_finish(&job, rc);
}

/* "TAB", "SPACE" or one character; 0 means "tabs or spaces". */
static int parse_delimiter(const char *s, char *out)
{
    if (!s)
        *out = 0;
    else if (!strcmp(s, "TAB") || !strcmp(s, "\\t"))
        *out = '\t';
    else if (!strcmp(s, "SPACE"))
        *out = ' ';
    else if (strlen(s) == 1)
        *out = s[0];
    else
        return -1;
    return 0;
}

static int eval_similarity_cmd(int argc, char **argv)
{
    const char *cmd = "eval similarity";
    const char *pairs = NULL, *delimiter = NULL;
    vec_job job;
    vec_job_init(&job, cmd);
    int insensitive = 0, sensitive = 0, json = 0;
    cli_opt opts[] = {
        {"-vectors", CLI_STRING, &job.vectors, 0, 0,
         "vector file, '-' = stdin (required)", "FILE"},
        {"-pairs", CLI_STRING, &pairs, 0, 0,
         "'word word score' lines, '-' = stdin (required)", "FILE"},
        {"-delimiter", CLI_STRING, &delimiter, 0, 0,
         "TAB, SPACE or one character (default: tabs or spaces)", "C"},
        {"-restrict", CLI_INT, &job.limit, 0, 1e15,
         "known words: the first N words (0: all)", "N"},
        {"-limit", CLI_INT, &job.limit, 0, 1e15, "same as -restrict", "N"},
        CASE_OPTIONS(insensitive, sensitive),
        JOB_OUTPUT_OPTIONS(job, json),
    };
    int rc = cli_parse_command(
        cmd,
        "usage: w2v eval similarity -vectors FILE -pairs FILE "
        "[-delimiter TAB]\n"
        "Spearman rank correlation (ties get average ranks) between the\n"
        "gold scores and the cosines, over the pairs whose two words are\n"
        "known; '#' comments, blank lines and a header line are skipped.",
        opts, argc - 1, argv + 1, NULL, 0, NULL, NULL);
    if (rc >= 0)
        return rc;
    char delim;
    int fold = case_mode(insensitive, sensitive);
    if (!job.vectors || !pairs)
        return cli_usage_error(cmd, "-vectors and -pairs are required");
    static const char *const readers[] = {"-vectors", "-pairs", NULL};
    if ((rc = cli_one_stdin(cmd, opts, readers)) >= 0)
        return rc;
    if (parse_delimiter(delimiter, &delim))
        return cli_usage_error(cmd, "-delimiter must be TAB, SPACE or one "
                                "character");
    if (fold < 0)
        return cli_usage_error(cmd, "-case-insensitive and -case-sensitive "
                                "contradict each other");
    if ((rc = vec_job_load(&job, 1)) >= 0)
        return vec_job_finish(&job, rc);
    eval_vocab ev;
    similarity_result res;
    FILE *out;
    w2v_err err;
    if (eval_vocab_init(&ev, &job.v, job.limit, fold, &err) ||
        eval_similarity(job.kern, &ev, pairs, delim, &res, &err))
        rc = cli_runtime_error(cmd, err.msg);
    else if (!(out = vec_job_output(&job)))
        rc = EXIT_RUNTIME;
    else {
        double oov = percent(res.pairs - res.used, res.pairs);
        if (json) {
            fprintf(out, "{\"spearman\": ");
            if (isnan(res.spearman))
                fprintf(out, "null");
            else
                fprintf(out, "%.6f", res.spearman);
            fprintf(out, ", \"pairs\": %lld, \"used\": %lld, "
                            "\"oov_ratio\": %.6f}\n",
                    (long long)res.pairs, (long long)res.used, oov / 100.0);
        } else {
            if (isnan(res.spearman))
                fprintf(out, "spearman: undefined (fewer than 2 pairs, "
                                "or constant scores)\n");
            else
                fprintf(out, "spearman: %.4f\n", res.spearman);
            fprintf(out, "pairs: %lld of %lld used, OOV %.2f%%\n",
                    (long long)res.used, (long long)res.pairs, oov);
        }
        rc = EXIT_OK;
    }
    eval_vocab_free(&ev);
    return vec_job_finish(&job, rc);
}

/* ---- loglik ---- */

static const char *const loglik_about =
    "usage: w2v eval loglik -vectors IN -context-vectors OUT -input TEXT "
    "[-window 5]\n"
    "Exact average held-out log-likelihood log p(c|w) of the full-softmax\n"
    "model p(c|w) = exp(u_c.v_w) / sum_j exp(u_j.v_w) (natural log), over\n"
    "every (center, context) pair within -window of each other in TEXT (no\n"
    "random shrink, no subsampling; words not in the vocabulary are left\n"
    "out and counted), and the average negative-sampling loss with\n"
    "-negative noise words from TEXT's unigram counts^0.75 for comparison.\n"
    "IN and OUT are the -output and -save-context files of one training run.\n"
    "Prints pairs, tokens, skipped, window, loglik, perplexity, negative,\n"
    "ns_loss, threads and seconds, as 'name: value' lines or one JSON\n"
    "object with the same names; progress goes to stderr.";

/* Progress of the scoring pass on stderr: redrawn on a terminal, a line
 * every LOG_SECONDS otherwise. */
typedef struct loglik_display {
    int tty, drawn;
    double start, last;
} loglik_display;

#define LOGLIK_TTY_SECONDS 0.5
#define LOGLIK_LOG_SECONDS 5.0

static void loglik_progress(int64_t done, int64_t total, void *ctx)
{
    loglik_display *d = ctx;
    double now = w2v_now();
    if (now - d->last < (d->tty ? LOGLIK_TTY_SECONDS : LOGLIK_LOG_SECONDS) &&
        done < total)
        return;
    d->last = now;
    double pct = total > 0 ? 100.0 * (double)done / (double)total : 100.0;
    double eta = done > 0 ? (now - d->start) * (double)(total - done) /
                                (double)done : 0.0;
    fprintf(stderr, "%sloglik: %5.1f%% of %lld bytes, %.1f s, ETA %.0f s%s",
            d->tty ? "\r" : "", pct, (long long)total, now - d->start, eta,
            d->tty ? "\033[K" : "\n");
    d->drawn = d->tty;
    fflush(stderr);
}

static int eval_loglik_cmd(int argc, char **argv)
{
    const char *cmd = "eval loglik";
    const char *in_path = NULL, *out_path = NULL, *text = NULL;
    const char *kernel_name = NULL, *format = "auto", *output = NULL;
    int64_t window = 5, negative = 5, seed = 1, limit = 0;
    int64_t threads = 0; /* until given: the help names the default */
    int json = 0, quiet = 0;
    cli_opt opts[] = {
        {"-vectors", CLI_STRING, &in_path, 0, 0,
         "word (input) vectors, the -output of train, '-' = stdin "
         "(required)", "FILE"},
        {"-context-vectors", CLI_STRING, &out_path, 0, 0,
         "context (output) vectors, the -save-context of train, '-' = stdin "
         "(required)", "FILE"},
        {"-input", CLI_STRING, &text, 0, 0,
         "held-out text, '-' = stdin (required)", "FILE"},
        {"-window", CLI_INT, &window, 1, 1000, "context words on each side",
         "N"},
        {"-negative", CLI_INT, &negative, 0, 1000,
         "noise words per pair for the NS loss", "K"},
        {"-seed", CLI_INT, &seed, 0, 9.2e18, "seed of the noise draws", "N"},
        {"-limit", CLI_INT, &limit, 0, 1e15,
         "vocabulary: the first N words of both files (0: all)", "N"},
        {"-restrict", CLI_INT, &limit, 0, 1e15, "same as -limit", "N"},
        {"-threads", CLI_INT, &threads, 1, MAX_THREADS,
         "scoring threads, which do not change the result (default: the CPUs "
         "this process may use)", "N"},
        {"-format", CLI_STRING, &format, 0, 0, VEC_FORMAT_HELP,
         VEC_FORMAT_ARG},
        {"-kernel", CLI_STRING, &kernel_name, 0, 0,
         "kernel body: auto, scalar, avx2, avx512, neon (or $W2V_KERNEL)",
         "NAME"},
        {"-json", CLI_FLAG, &json, 0, 0, "print the results as JSON", NULL},
        {"-quiet", CLI_FLAG, &quiet, 0, 0, "no progress on stderr", NULL},
        {"-output", CLI_STRING, &output, 0, 0,
         "write here instead of stdout", "FILE"},
        {NULL, CLI_INT, NULL, 0, 0, NULL, NULL},
    };
    w2v_err err;
    int rc = cli_parse_command(cmd, loglik_about, opts, argc - 1, argv + 1,
                               NULL, 0, NULL, NULL);
    if (rc >= 0)
        return rc;
    if (threads == 0)
        threads = default_threads();
    vec_format fmt;
    if (!in_path || !out_path || !text)
        return cli_usage_error(cmd, "-vectors, -context-vectors and -input "
                                    "are required");
    static const char *const readers[] = {"-vectors", "-context-vectors",
                                          "-input", NULL};
    if ((rc = cli_one_stdin(cmd, opts, readers)) >= 0)
        return rc;
    if (parse_format(format, &fmt))
        return cli_usage_error(cmd, "-format must be auto, text, binary or "
                                    "text-noheader");
    const kernel *k = cli_kernel(kernel_name, &err);
    if (!k)
        return cli_usage_error(cmd, err.msg);

    cli_remove_outputs_on_signal();
    vectors in, out;
    memset(&in, 0, sizeof in);
    memset(&out, 0, sizeof out);
    corpus c = {.fd = -1};
    input_options text_input = {cmd, !quiet, 0};
    outfile of = {0};
    loglik_result r;
    loglik_display shown = {isatty(STDERR_FILENO), 0, w2v_now(), 0.0};
    loglik_config cfg = {window, negative, (uint64_t)seed, (int)threads,
                         quiet ? NULL : loglik_progress, &shown};
    int status = EXIT_RUNTIME;
    shown.last = shown.start;
    vec_load_opts lo = {fmt, limit, 0};
    if (outfile_open(&of, output ? output : "-", &err) ||
        vectors_load_opts(in_path, &lo, &in, &err) ||
        vectors_load_opts(out_path, &lo, &out, &err) ||
        input_open(&c, text, &text_input, &err) ||
        loglik_run(&in, &out, &c, &cfg, k, &r, &err)) {
        if (shown.drawn)
            fputc('\n', stderr);
        cli_runtime_error(cmd, err.msg);
        goto done;
    }
    if (shown.drawn)
        fputc('\n', stderr);
    double seconds = w2v_now() - shown.start;
    FILE *fp = of.fp;
    if (json)
        fprintf(fp, "{\"pairs\": %lld, \"tokens\": %lld, \"skipped\": %lld, "
                    "\"window\": %lld, \"loglik\": %.9g, \"perplexity\": "
                    "%.9g, \"negative\": %lld, \"ns_loss\": %.9g, "
                    "\"threads\": %lld, \"seconds\": %.3f}\n",
                (long long)r.pairs, (long long)r.tokens, (long long)r.skipped,
                (long long)window, r.loglik, exp(-r.loglik),
                (long long)negative, r.ns_loss, (long long)threads, seconds);
    else
        fprintf(fp, "pairs: %lld\ntokens: %lld\nskipped: %lld\n"
                    "window: %lld\nloglik: %.6f\nperplexity: %.2f\n"
                    "negative: %lld\nns_loss: %.6f\nthreads: %lld\n"
                    "seconds: %.3f\n",
                (long long)r.pairs, (long long)r.tokens, (long long)r.skipped,
                (long long)window, r.loglik, exp(-r.loglik),
                (long long)negative, r.ns_loss, (long long)threads, seconds);
    if (outfile_commit(&of, &err))
        cli_runtime_error(cmd, err.msg);
    else
        status = EXIT_OK;
done:
    outfile_abort(&of);
    corpus_close(&c);
    vectors_free(&in);
    vectors_free(&out);
    return status;
}

/* The kinds of `w2v eval`, for the suggestion after a typo. */
static const char *const eval_kinds[] = {"analogy", "similarity", "loglik"};

int cmd_eval(int argc, char **argv)
{
    const char *what = argc > 1 ? argv[1] : "";
    if (!strcmp(what, "analogy"))
        return eval_analogy_cmd(argc - 1, argv + 1);
    if (!strcmp(what, "similarity"))
        return eval_similarity_cmd(argc - 1, argv + 1);
    if (!strcmp(what, "loglik"))
        return eval_loglik_cmd(argc - 1, argv + 1);
    if (!strcmp(what, "--help") || !strcmp(what, "-help") ||
        !strcmp(what, "-h")) {
        printf("usage: w2v eval analogy -vectors FILE -questions FILE ...\n"
               "       w2v eval similarity -vectors FILE -pairs FILE ...\n"
               "       w2v eval loglik -vectors FILE -context-vectors FILE "
               "-input TEXT ...\n"
               "'w2v eval KIND --help' describes the options of each.\n");
        return EXIT_OK;
    }
    char msg[256], hint[128];
    cli_suggest(what, eval_kinds, 3, "'", hint, sizeof hint);
    snprintf(msg, sizeof msg, "expected 'analogy', 'similarity' or 'loglik' "
             "after 'eval'%s", hint);
    return cli_usage_error("eval", msg);
}
