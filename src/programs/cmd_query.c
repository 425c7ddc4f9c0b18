/* cmd_query.c - the query and evaluation subcommands: similar, analogy,
 * eval (analogy, similarity) and convert.  The program side: parses flags,
 * prints results and messages, picks the exit status. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "commands.h"
#include "eval.h"
#include "kernel.h"
#include "outfile.h"
#include "vectors.h"

#define MAX_QUERY_WORDS 256
#define MAX_THREADS 256

/* Parses argv against opts; prints help (about + options) on --help.
 * Returns -1 to go on, or the exit status to return. */
static int parse_args(const char *cmd, const char *about,
                      const cli_opt *opts, int argc, char **argv,
                      char **positional, int max_positional, int *n_positional)
{
    w2v_err err;
    int rc = cli_parse(opts, argc, argv, positional, max_positional,
                       n_positional, &err);
    if (rc == 1) {
        printf("%s\n\noptions:\n", about);
        cli_print_options(stdout, opts);
        return EXIT_OK;
    }
    if (rc < 0)
        return cli_usage_error(cmd, err.msg);
    return -1;
}

static int parse_format(const char *s, vec_format *fmt)
{
    if (!s || !strcmp(s, "auto"))
        *fmt = VEC_AUTO;
    else if (!strcmp(s, "text"))
        *fmt = VEC_TEXT;
    else if (!strcmp(s, "binary"))
        *fmt = VEC_BINARY;
    else
        return -1;
    return 0;
}

static int parse_method(const char *s, eval_method *m)
{
    if (!strcmp(s, "add"))
        *m = EVAL_ADD;
    else if (!strcmp(s, "mul"))
        *m = EVAL_MUL;
    else
        return -1;
    return 0;
}

/* Loads (and, when unit, normalizes) vectors; prints any problem.
 * Returns 0 or EXIT_RUNTIME. */
static int load_vectors(const char *cmd, const char *path, vec_format fmt,
                        int64_t limit, int unit, const kernel *kern,
                        vectors *v)
{
    w2v_err err;
    if (vectors_load(path, fmt, limit, v, &err))
        return cli_runtime_error(cmd, err.msg);
    if (v->warning[0])
        fprintf(stderr, "w2v %s: warning: %s\n", cmd, v->warning);
    if (unit)
        eval_normalize(v, kern);
    return 0;
}

static const kernel *get_kernel(const char *cmd)
{
    w2v_err err;
    const kernel *kern = cli_kernel(NULL, &err);
    if (!kern)
        cli_runtime_error(cmd, err.msg);
    return kern;
}

static int open_output(const char *cmd, const char *path, outfile *out)
{
    w2v_err err;
    if (outfile_open(out, path ? path : "-", &err))
        return cli_runtime_error(cmd, err.msg);
    return 0;
}

static int commit_output(const char *cmd, outfile *out)
{
    w2v_err err;
    if (outfile_commit(out, &err))
        return cli_runtime_error(cmd, err.msg);
    return EXIT_OK;
}

/* Splits a line into whitespace-separated words (in place). */
static int split_words(char *line, char **words, int max)
{
    int n = 0;
    char *save = NULL;
    for (char *w = strtok_r(line, " \t\r\n", &save); w;
         w = strtok_r(NULL, " \t\r\n", &save)) {
        if (n == max)
            return max + 1;
        words[n++] = w;
    }
    return n;
}

static void print_hits(FILE *fp, const vectors *v, const eval_hit *hits,
                       int n)
{
    for (int i = 0; i < n; i++)
        fprintf(fp, "%s\t%.6f\n", v->words[hits[i].row], hits[i].score);
}

/* Looks every word up; names the first unknown one on stderr. */
static int find_words(const char *cmd, const vectors *v, char **words, int n,
                      int64_t *rows)
{
    for (int i = 0; i < n; i++)
        if ((rows[i] = vectors_find(v, words[i])) < 0) {
            fprintf(stderr, "w2v %s: '%s' is not in the vocabulary\n", cmd,
                    words[i]);
            return -1;
        }
    return 0;
}

/* Settings shared by similar and analogy. */
typedef struct query_ctx {
    const char *cmd;
    const kernel *kern;
    const vectors *v;
    eval_method method;
    int k;
    eval_hit *hits;
    float *query;
    FILE *out;
    int64_t answered; /* queries printed so far, for the separating line */
} query_ctx;

/* One "similar" query: nearest rows to the sum of the words' unit vectors. */
static int similar_query(query_ctx *q, char **words, int n)
{
    int64_t rows[MAX_QUERY_WORDS];
    if (find_words(q->cmd, q->v, words, n, rows))
        return -1;
    const vectors *v = q->v;
    memset(q->query, 0, (size_t)v->dim * sizeof(float));
    for (int i = 0; i < n; i++)
        q->kern->axpy(1.0f, v->data + rows[i] * v->stride, q->query, v->dim);
    float norm = sqrtf(q->kern->dot(q->query, q->query, v->dim));
    for (int64_t j = 0; j < v->dim && norm > 0; j++)
        q->query[j] /= norm;
    int got = eval_nearest(q->kern, v, v->n, EVAL_ADD, q->query, rows, n,
                           q->k, q->hits);
    if (q->answered++)
        fputc('\n', q->out);
    print_hits(q->out, v, q->hits, got);
    return 0;
}

/* One "analogy" query: A is to B as C is to ? */
static int analogy_query(query_ctx *q, char **words, int n)
{
    if (n != 3) {
        fprintf(stderr, "w2v %s: expected three words A B C, got %d\n",
                q->cmd, n);
        return -1;
    }
    int64_t rows[3];
    if (find_words(q->cmd, q->v, words, 3, rows))
        return -1;
    const vectors *v = q->v;
    const float *a = v->data + rows[0] * v->stride;
    const float *b = v->data + rows[1] * v->stride;
    const float *c = v->data + rows[2] * v->stride;
    if (q->method == EVAL_ADD) {
        for (int64_t j = 0; j < v->dim; j++)
            q->query[j] = b[j] - a[j] + c[j];
        float norm = sqrtf(q->kern->dot(q->query, q->query, v->dim));
        for (int64_t j = 0; j < v->dim && norm > 0; j++)
            q->query[j] /= norm;
    } else {
        memcpy(q->query, a, (size_t)v->dim * sizeof(float));
        memcpy(q->query + v->dim, b, (size_t)v->dim * sizeof(float));
        memcpy(q->query + 2 * v->dim, c, (size_t)v->dim * sizeof(float));
    }
    int got = eval_nearest(q->kern, v, v->n, q->method, q->query, rows, 3,
                           q->k, q->hits);
    if (q->answered++)
        fputc('\n', q->out);
    print_hits(q->out, v, q->hits, got);
    return 0;
}

/* Runs the positional query, or one query per line of stdin.  Returns the
 * exit status: EXIT_RUNTIME when any query could not be answered. */
static int run_queries(query_ctx *q, char **words, int n_words,
                       int (*one)(query_ctx *, char **, int))
{
    if (n_words > 0)
        return one(q, words, n_words) ? EXIT_RUNTIME : EXIT_OK;
    int failed = 0, prompt = isatty(STDIN_FILENO);
    char *line = NULL;
    size_t cap = 0;
    for (;;) {
        if (prompt) {
            fprintf(stderr, "query> ");
            fflush(stderr);
        }
        if (getline(&line, &cap, stdin) < 0)
            break;
        char *w[MAX_QUERY_WORDS];
        int n = split_words(line, w, MAX_QUERY_WORDS);
        if (n == 0)
            continue;
        if (n > MAX_QUERY_WORDS) {
            fprintf(stderr, "w2v %s: more than %d words in a query\n", q->cmd,
                    MAX_QUERY_WORDS);
            failed = 1;
            continue;
        }
        failed |= one(q, w, n) != 0;
        fflush(q->out);
    }
    free(line);
    return failed ? EXIT_RUNTIME : EXIT_OK;
}

/* The body shared by similar and analogy. */
static int query_command(int argc, char **argv, const char *about,
                         int (*one)(query_ctx *, char **, int),
                         int with_method)
{
    const char *cmd = argv[0];
    const char *vectors_path = NULL, *format = "auto", *method = "add",
               *output = NULL;
    int64_t topn = 10, limit = 0;
    cli_opt opts[] = {
        {"-vectors", CLI_STRING, &vectors_path, 0, 0,
         "vector file, text or binary (required)"},
        {"-n", CLI_INT, &topn, 1, 100000, "answers per query"},
        {"-limit", CLI_INT, &limit, 0, 1e15,
         "load only the first N words (0: all)"},
        {"-format", CLI_STRING, &format, 0, 0, "auto, text or binary"},
        {"-output", CLI_STRING, &output, 0, 0, "write here instead of stdout"},
        /* last, so that without a method the table ends here */
        {with_method ? "-method" : NULL, CLI_STRING, &method, 0, 0,
         "add (3CosAdd) or mul (3CosMul)"},
        {NULL, CLI_INT, NULL, 0, 0, NULL},
    };
    char *words[MAX_QUERY_WORDS];
    int n_words = 0;
    int rc = parse_args(cmd, about, opts, argc - 1, argv + 1, words,
                        MAX_QUERY_WORDS, &n_words);
    if (rc >= 0)
        return rc;
    vec_format fmt;
    query_ctx q = {cmd, NULL, NULL, EVAL_ADD, (int)topn, NULL, NULL, NULL, 0};
    if (!vectors_path)
        return cli_usage_error(cmd, "-vectors is required");
    if (parse_format(format, &fmt))
        return cli_usage_error(cmd, "-format must be auto, text or binary");
    if (parse_method(method, &q.method))
        return cli_usage_error(cmd, "-method must be add or mul");
    if (one == analogy_query && n_words != 0 && n_words != 3)
        return cli_usage_error(cmd, "expected three words A B C (or none, to "
                                "read triples from stdin)");
    vectors v;
    outfile out = {0};
    if (!(q.kern = get_kernel(cmd)) ||
        load_vectors(cmd, vectors_path, fmt, limit, 1, q.kern, &v))
        return EXIT_RUNTIME;
    q.v = &v;
    w2v_err err;
    q.hits = w2v_malloc((size_t)topn * sizeof *q.hits, &err);
    q.query = q.hits ? w2v_malloc((size_t)(3 * v.dim) * sizeof(float), &err)
                     : NULL;
    if (!q.query)
        rc = cli_runtime_error(cmd, err.msg);
    else if (open_output(cmd, output, &out))
        rc = EXIT_RUNTIME;
    else {
        q.out = out.fp;
        rc = run_queries(&q, words, n_words, one);
        int committed = commit_output(cmd, &out);
        if (rc == EXIT_OK)
            rc = committed;
    }
    free(q.hits);
    free(q.query);
    vectors_free(&v);
    return rc;
}

int cmd_similar(int argc, char **argv)
{
    return query_command(
        argc, argv,
        "usage: w2v similar -vectors FILE [-n 10] [WORD...]\n"
        "Prints the nearest words by cosine, 'word<TAB>cosine' per line.\n"
        "Several words make one query: the sum of their unit vectors, the\n"
        "words themselves excluded.  Without words, reads one query per\n"
        "line from stdin (a blank line separates the answers).  Unknown\n"
        "words are reported on stderr; the exit status is then 1.",
        similar_query, 0);
}

int cmd_analogy(int argc, char **argv)
{
    return query_command(
        argc, argv,
        "usage: w2v analogy -vectors FILE [-n 10] [-method add|mul] A B C\n"
        "Answers 'A is to B as C is to ?', 'word<TAB>score' per line, the\n"
        "three inputs excluded.  add: cosine with B - A + C (unit vectors);\n"
        "mul: 3CosMul, cos'(x,B) cos'(x,C) / (cos'(x,A) + 0.001) with\n"
        "cos' = (cos + 1) / 2.  Without words, reads 'A B C' lines from stdin.",
        analogy_query, 1);
}

/* ---- eval ---- */

/* Writes s as a JSON string. */
static void json_string(FILE *fp, const char *s)
{
    fputc('"', fp);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            fprintf(fp, "\\%c", c);
        else if (c < 0x20)
            fprintf(fp, "\\u%04x", c);
        else
            fputc(c, fp);
    }
    fputc('"', fp);
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
        json_string(fp, s->name);
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

static int eval_analogy_cmd(int argc, char **argv)
{
    const char *cmd = "eval analogy";
    const char *vectors_path = NULL, *questions = NULL, *format = "auto",
               *method = "add", *output = NULL;
    int64_t restrict_rows = 30000;
    int64_t threads = w2v_online_cpus() < MAX_THREADS ? w2v_online_cpus()
                                                      : MAX_THREADS;
    int insensitive = 0, sensitive = 0, json = 0;
    cli_opt opts[] = {
        {"-vectors", CLI_STRING, &vectors_path, 0, 0,
         "vector file, text or binary (required)"},
        {"-questions", CLI_STRING, &questions, 0, 0,
         "questions in the questions-words.txt format (required)"},
        {"-restrict", CLI_INT, &restrict_rows, 0, 1e15,
         "candidates and known words: the first N words (0: all)"},
        {"-method", CLI_STRING, &method, 0, 0,
         "add (3CosAdd) or mul (3CosMul)"},
        {"-case-insensitive", CLI_FLAG, &insensitive, 0, 0,
         "fold case, first variant wins, like gensim (the default)"},
        {"-case-sensitive", CLI_FLAG, &sensitive, 0, 0,
         "match words exactly"},
        {"-threads", CLI_INT, &threads, 1, MAX_THREADS, "worker threads"},
        {"-format", CLI_STRING, &format, 0, 0, "auto, text or binary"},
        {"-json", CLI_FLAG, &json, 0, 0, "print the results as JSON"},
        {"-output", CLI_STRING, &output, 0, 0, "write here instead of stdout"},
        {NULL, CLI_INT, NULL, 0, 0, NULL},
    };
    int rc = parse_args(
        cmd,
        "usage: w2v eval analogy -vectors FILE -questions FILE "
        "[-restrict 30000]\n"
        "                        [-method add|mul] [-case-insensitive]\n"
        "Accuracy on analogy questions 'A B C D' (A is to B as C is to D):\n"
        "per section, semantic / syntactic (sections named gram*) / total,\n"
        "and coverage.  A question counts as answered only when its four\n"
        "words are among the first -restrict words; the prediction is the\n"
        "best of those words, the three inputs excluded.",
        opts, argc - 1, argv + 1, NULL, 0, NULL);
    if (rc >= 0)
        return rc;
    vec_format fmt;
    eval_method m;
    int fold = case_mode(insensitive, sensitive);
    if (!vectors_path || !questions)
        return cli_usage_error(cmd, "-vectors and -questions are required");
    if (parse_format(format, &fmt))
        return cli_usage_error(cmd, "-format must be auto, text or binary");
    if (parse_method(method, &m))
        return cli_usage_error(cmd, "-method must be add or mul");
    if (fold < 0)
        return cli_usage_error(cmd, "-case-insensitive and -case-sensitive "
                                "contradict each other");
    const kernel *kern = get_kernel(cmd);
    vectors v;
    if (!kern || load_vectors(cmd, vectors_path, fmt, restrict_rows, 1, kern,
                              &v))
        return EXIT_RUNTIME;
    eval_vocab ev;
    analogy_set set = {0};
    outfile out = {0};
    w2v_err err;
    double start = w2v_now();
    if (eval_vocab_init(&ev, &v, restrict_rows, fold, &err) ||
        analogy_read(questions, &ev, &set, &err) ||
        analogy_evaluate(kern, &ev, &set, m, (int)threads, &err))
        rc = cli_runtime_error(cmd, err.msg);
    else if (open_output(cmd, output, &out))
        rc = EXIT_RUNTIME;
    else {
        print_analogy_report(out.fp, &set, json, method, ev.rows, fold,
                             w2v_now() - start);
        rc = commit_output(cmd, &out);
    }
    analogy_free(&set);
    eval_vocab_free(&ev);
    vectors_free(&v);
    return rc;
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
    const char *vectors_path = NULL, *pairs = NULL, *format = "auto",
               *delimiter = NULL, *output = NULL;
    int64_t restrict_rows = 0;
    int insensitive = 0, sensitive = 0, json = 0;
    cli_opt opts[] = {
        {"-vectors", CLI_STRING, &vectors_path, 0, 0,
         "vector file, text or binary (required)"},
        {"-pairs", CLI_STRING, &pairs, 0, 0,
         "'word word score' lines (required)"},
        {"-delimiter", CLI_STRING, &delimiter, 0, 0,
         "TAB, SPACE or one character (default: tabs or spaces)"},
        {"-restrict", CLI_INT, &restrict_rows, 0, 1e15,
         "known words: the first N words (0: all)"},
        {"-case-insensitive", CLI_FLAG, &insensitive, 0, 0,
         "fold case, first variant wins, like gensim (the default)"},
        {"-case-sensitive", CLI_FLAG, &sensitive, 0, 0,
         "match words exactly"},
        {"-format", CLI_STRING, &format, 0, 0, "auto, text or binary"},
        {"-json", CLI_FLAG, &json, 0, 0, "print the results as JSON"},
        {"-output", CLI_STRING, &output, 0, 0, "write here instead of stdout"},
        {NULL, CLI_INT, NULL, 0, 0, NULL},
    };
    int rc = parse_args(
        cmd,
        "usage: w2v eval similarity -vectors FILE -pairs FILE "
        "[-delimiter TAB]\n"
        "Spearman rank correlation (ties get average ranks) between the\n"
        "gold scores and the cosines, over the pairs whose two words are\n"
        "known; '#' comments, blank lines and a header line are skipped.",
        opts, argc - 1, argv + 1, NULL, 0, NULL);
    if (rc >= 0)
        return rc;
    vec_format fmt;
    char delim;
    int fold = case_mode(insensitive, sensitive);
    if (!vectors_path || !pairs)
        return cli_usage_error(cmd, "-vectors and -pairs are required");
    if (parse_format(format, &fmt))
        return cli_usage_error(cmd, "-format must be auto, text or binary");
    if (parse_delimiter(delimiter, &delim))
        return cli_usage_error(cmd, "-delimiter must be TAB, SPACE or one "
                                "character");
    if (fold < 0)
        return cli_usage_error(cmd, "-case-insensitive and -case-sensitive "
                                "contradict each other");
    const kernel *kern = get_kernel(cmd);
    vectors v;
    if (!kern || load_vectors(cmd, vectors_path, fmt, restrict_rows, 1, kern,
                              &v))
        return EXIT_RUNTIME;
    eval_vocab ev;
    similarity_result res;
    outfile out = {0};
    w2v_err err;
    if (eval_vocab_init(&ev, &v, restrict_rows, fold, &err) ||
        eval_similarity(kern, &ev, pairs, delim, &res, &err))
        rc = cli_runtime_error(cmd, err.msg);
    else if (open_output(cmd, output, &out))
        rc = EXIT_RUNTIME;
    else {
        double oov = percent(res.pairs - res.used, res.pairs);
        if (json) {
            fprintf(out.fp, "{\"spearman\": ");
            if (isnan(res.spearman))
                fprintf(out.fp, "null");
            else
                fprintf(out.fp, "%.6f", res.spearman);
            fprintf(out.fp, ", \"pairs\": %lld, \"used\": %lld, "
                            "\"oov_ratio\": %.6f}\n",
                    (long long)res.pairs, (long long)res.used, oov / 100.0);
        } else {
            if (isnan(res.spearman))
                fprintf(out.fp, "spearman: undefined (fewer than 2 pairs, "
                                "or constant scores)\n");
            else
                fprintf(out.fp, "spearman: %.4f\n", res.spearman);
            fprintf(out.fp, "pairs: %lld of %lld used, OOV %.2f%%\n",
                    (long long)res.used, (long long)res.pairs, oov);
        }
        rc = commit_output(cmd, &out);
    }
    eval_vocab_free(&ev);
    vectors_free(&v);
    return rc;
}

int cmd_eval(int argc, char **argv)
{
    const char *what = argc > 1 ? argv[1] : "";
    if (!strcmp(what, "analogy"))
        return eval_analogy_cmd(argc - 1, argv + 1);
    if (!strcmp(what, "similarity"))
        return eval_similarity_cmd(argc - 1, argv + 1);
    if (!strcmp(what, "loglik"))
        return cmd_eval_loglik(argc - 1, argv + 1);
    if (!strcmp(what, "--help") || !strcmp(what, "-help") ||
        !strcmp(what, "-h")) {
        printf("usage: w2v eval analogy -vectors FILE -questions FILE ...\n"
               "       w2v eval similarity -vectors FILE -pairs FILE ...\n"
               "       w2v eval loglik -vectors FILE -context-vectors FILE "
               "-input TEXT ...\n"
               "'w2v eval KIND --help' describes the options of each.\n");
        return EXIT_OK;
    }
    return cli_usage_error("eval", "expected 'analogy', 'similarity' or 'loglik' "
                               "after 'eval'");
}

/* ---- convert ---- */

int cmd_convert(int argc, char **argv)
{
    const char *cmd = argv[0];
    const char *input = NULL, *output = NULL, *format = "auto",
               *binary = NULL;
    int64_t limit = 0;
    cli_opt opts[] = {
        {"-input", CLI_STRING, &input, 0, 0, "vector file to read (required)"},
        {"-output", CLI_STRING, &output, 0, 0,
         "vector file to write, '-' for stdout (required)"},
        {"-binary", CLI_STRING, &binary, 0, 0,
         "1: write binary, 0: write text (default: the other format)"},
        {"-format", CLI_STRING, &format, 0, 0,
         "input format: auto, text or binary"},
        {"-limit", CLI_INT, &limit, 0, 1e15,
         "convert only the first N words (0: all)"},
        {NULL, CLI_INT, NULL, 0, 0, NULL},
    };
    int rc = parse_args(
        cmd,
        "usage: w2v convert -input FILE -output FILE [-binary 0|1]\n"
        "Converts vectors between text and binary.  Text is written with\n"
        "%.9g, which reads back to the identical float32, so binary -> text\n"
        "-> binary is exact.  The output is written atomically.",
        opts, argc - 1, argv + 1, NULL, 0, NULL);
    if (rc >= 0)
        return rc;
    vec_format fmt;
    if (!input || !output)
        return cli_usage_error(cmd, "-input and -output are required");
    if (parse_format(format, &fmt))
        return cli_usage_error(cmd, "-format must be auto, text or binary");
    if (binary && strcmp(binary, "0") && strcmp(binary, "1"))
        return cli_usage_error(cmd, "-binary must be 0 or 1");
    outfile out = {0};
    vectors v;
    w2v_err err;
    if (open_output(cmd, output, &out))
        return EXIT_RUNTIME;
    if (load_vectors(cmd, input, fmt, limit, 0, NULL, &v)) {
        outfile_abort(&out);
        return EXIT_RUNTIME;
    }
    int to_binary = binary ? binary[0] == '1' : v.format == VEC_TEXT;
    if (vectors_write(out.fp, output, (const char *const *)v.words, v.data,
                      v.n, v.dim, v.stride, to_binary, &err)) {
        outfile_abort(&out);
        rc = cli_runtime_error(cmd, err.msg);
    } else {
        rc = commit_output(cmd, &out);
    }
    vectors_free(&v);
    return rc;
}
