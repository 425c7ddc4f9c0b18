/* cmd_similar.c - the query commands `w2v similar` (nearest neighbours)
 * and `w2v analogy` (A is to B as C is to ?), one query from the command
 * line or one per line of standard input. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "commands.h"
#include "eval.h"
#include "vecjob.h"

#define MAX_QUERY_WORDS 256

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
    const char *method = "add";
    int64_t topn = 10;
    vec_job job;
    vec_job_init(&job, cmd);
    cli_opt opts[] = {
        {"-vectors", CLI_STRING, &job.vectors, 0, 0,
         "vector file, text or binary (required)"},
        {"-n", CLI_INT, &topn, 1, 100000, "answers per query"},
        {"-limit", CLI_INT, &job.limit, 0, 1e15,
         "load only the first N words (0: all)"},
        {"-format", CLI_STRING, &job.format, 0, 0, "auto, text or binary"},
        {"-output", CLI_STRING, &job.output, 0, 0,
         "write here instead of stdout"},
        /* last, so that without a method the table ends here */
        {with_method ? "-method" : NULL, CLI_STRING, &method, 0, 0,
         "add (3CosAdd) or mul (3CosMul)"},
        {NULL, CLI_INT, NULL, 0, 0, NULL},
    };
    char *words[MAX_QUERY_WORDS];
    int n_words = 0;
    int rc = cli_parse_command(cmd, about, opts, argc - 1, argv + 1, words,
                               MAX_QUERY_WORDS, &n_words, NULL);
    if (rc >= 0)
        return rc;
    query_ctx q = {cmd, NULL, NULL, EVAL_ADD, (int)topn, NULL, NULL, NULL, 0};
    if (parse_method(method, &q.method))
        return cli_usage_error(cmd, "-method must be add or mul");
    if (one == analogy_query && n_words != 0 && n_words != 3)
        return cli_usage_error(cmd, "expected three words A B C (or none, to "
                                "read triples from stdin)");
    if ((rc = vec_job_load(&job, 1)) >= 0)
        return vec_job_finish(&job, rc);
    q.kern = job.kern;
    q.v = &job.v;
    w2v_err err;
    q.hits = w2v_malloc((size_t)topn * sizeof *q.hits, &err);
    q.query = q.hits ? w2v_malloc((size_t)(3 * job.v.dim) * sizeof(float), &err)
                     : NULL;
    if (!q.query)
        rc = cli_runtime_error(cmd, err.msg);
    else if (!(q.out = vec_job_output(&job)))
        rc = EXIT_RUNTIME;
    else
        rc = run_queries(&q, words, n_words, one);
    free(q.hits);
    free(q.query);
    return vec_job_finish(&job, rc);
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
