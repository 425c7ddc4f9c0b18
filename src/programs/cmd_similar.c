/* cmd_similar.c - the query commands `w2v similar` (nearest neighbours,
 * with words to add and subtract) and `w2v analogy` (A is to B as C is to ?,
 * and with a fourth word, where that word ranks), one query from the
 * command line or one per line of standard input. */
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
#define MAX_NEGATIVE 64

/* Splits a line into whitespace-separated words (in place); returns how
 * many, max + 1 when there are more than max. */
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

/* Settings and scratch space shared by similar and analogy. */
typedef struct query_ctx {
    const char *cmd;
    const kernel *kern;
    const vectors *v;
    eval_method method;
    const char *method_name;
    int k;
    int json;
    int case_insensitive;
    int64_t limit;         /* -limit as given, for messages */
    const cli_list *negative; /* -negative words, subtracted in every query */
    eval_vocab fold;       /* folded lookups: -case-insensitive, or the
                              suggestions after a miss (built then) */
    int fold_ready;
    eval_hit *hits;
    float *query;          /* 3 * dim floats */
    int64_t *exclude;      /* rows never answered */
    int64_t n_exclude, exclude_cap;
    FILE *out;
    int64_t answered;      /* queries printed so far, for the blank line */
} query_ctx;

/* Builds the case-folded lookup once; -1 after printing why it failed. */
static int fold_ready(query_ctx *q)
{
    w2v_err err;
    if (q->fold_ready)
        return 0;
    if (eval_vocab_init(&q->fold, q->v, 0, 1, &err)) {
        cli_runtime_error(q->cmd, err.msg);
        return -1;
    }
    q->fold_ready = 1;
    return 0;
}

/* Row of word (with -case-insensitive, its most frequent variant's), or
 * -1 with the reason in why: beyond -limit, or not in the vocabulary, and
 * a loaded case variant suggested. */
static int64_t find_word(query_ctx *q, const char *word, char *why, size_t cap)
{
    int64_t row = q->case_insensitive ? eval_vocab_find(&q->fold, word)
                                      : vectors_find(q->v, word);
    if (row >= 0)
        return row;
    char hint[160] = "";
    if (!q->case_insensitive && fold_ready(q) == 0) {
        int64_t variant = eval_vocab_find(&q->fold, word);
        if (variant >= 0)
            snprintf(hint, sizeof hint, "; did you mean '%.100s'?",
                     q->v->words[variant]);
    }
    int64_t beyond = vectors_find_rest(q->v, word);
    if (beyond >= 0)
        snprintf(why, cap, "'%s' is beyond -limit %lld (row %lld)%s", word,
                 (long long)q->limit, (long long)beyond + 1, hint);
    else
        snprintf(why, cap, "'%s' is not in the vocabulary%s", word, hint);
    return -1;
}

static int push_exclude(query_ctx *q, int64_t row)
{
    if (q->n_exclude == q->exclude_cap) {
        int64_t cap = q->exclude_cap ? 2 * q->exclude_cap : 64;
        int64_t *bigger = realloc(q->exclude, (size_t)cap * sizeof *bigger);
        if (!bigger)
            return -1;
        q->exclude = bigger;
        q->exclude_cap = cap;
    }
    q->exclude[q->n_exclude++] = row;
    return 0;
}

/* Adds row to the rows never answered, and with -case-insensitive every
 * case variant of it too (row is then the first variant). */
static int exclude_row(query_ctx *q, int64_t row)
{
    if (push_exclude(q, row))
        return -1;
    if (q->case_insensitive)
        for (int64_t r = row + 1; r < q->fold.rows; r++)
            if (q->fold.canon[r] == row && push_exclude(q, r))
                return -1;
    return 0;
}

/* Reports a query that cannot be answered: on stderr, and with -json as
 * its result line too. */
static void query_failed(query_ctx *q, char **words, int n, const char *why)
{
    fprintf(stderr, "w2v %s: %s\n", q->cmd, why);
    if (!q->json)
        return;
    fputs("{\"query\": [", q->out);
    for (int i = 0; i < n; i++) {
        if (i)
            fputs(", ", q->out);
        cli_json_string(q->out, words[i]);
    }
    fputs("], \"error\": ", q->out);
    cli_json_string(q->out, why);
    fputs("}\n", q->out);
}

/* The hits: "word<TAB>score" lines after a blank line between answers, or
 * a JSON list.  `score` names the number in JSON. */
static void print_hits(query_ctx *q, int n, const char *score)
{
    if (!q->json) {
        if (q->answered)
            fputc('\n', q->out);
        for (int i = 0; i < n; i++)
            fprintf(q->out, "%s\t%.6f\n", q->v->words[q->hits[i].row],
                    q->hits[i].score);
    } else {
        fputs("\"results\": [", q->out);
        for (int i = 0; i < n; i++) {
            fputs(i ? ", {\"word\": " : "{\"word\": ", q->out);
            cli_json_string(q->out, q->v->words[q->hits[i].row]);
            fprintf(q->out, ", \"%s\": %.6f}", score, q->hits[i].score);
        }
        fputc(']', q->out);
    }
    q->answered++;
}

/* Scales q->query (dim floats) to unit length. */
static void normalize_query(query_ctx *q)
{
    int64_t dim = q->v->dim;
    float norm = sqrtf(q->kern->dot(q->query, q->query, dim));
    for (int64_t j = 0; j < dim && norm > 0; j++)
        q->query[j] /= norm;
}

static void json_words(FILE *fp, const char *name, const char *const *words,
                       int n)
{
    fprintf(fp, "\"%s\": [", name);
    for (int i = 0; i < n; i++) {
        if (i)
            fputs(", ", fp);
        cli_json_string(fp, words[i]);
    }
    fputs("], ", fp);
}

/* One "similar" query: the words (a leading '-' subtracts a word, '+'
 * adds it, unless the word itself is in the vocabulary so spelled) and the
 * -negative words; the nearest rows to the sum of the added unit vectors
 * minus the subtracted ones, all of them excluded. */
static int similar_query(query_ctx *q, char **words, int n)
{
    const char *pos[MAX_QUERY_WORDS], *neg[MAX_QUERY_WORDS + MAX_NEGATIVE];
    int64_t pos_row[MAX_QUERY_WORDS], neg_row[MAX_QUERY_WORDS + MAX_NEGATIVE];
    int n_pos = 0, n_neg = 0;
    char why[512];
    for (int i = 0; i < n + q->negative->n; i++) {
        const char *w = i < n ? words[i] : q->negative->items[i - n];
        int sign = i < n ? 1 : -1;
        int64_t row = find_word(q, w, why, sizeof why);
        if (row < 0 && i < n && (w[0] == '-' || w[0] == '+') && w[1]) {
            sign = w[0] == '-' ? -1 : 1;
            row = find_word(q, ++w, why, sizeof why);
        }
        if (row < 0) {
            query_failed(q, words, n, why);
            return -1;
        }
        if (sign > 0) {
            pos[n_pos] = w;
            pos_row[n_pos++] = row;
        } else {
            neg[n_neg] = w;
            neg_row[n_neg++] = row;
        }
    }
    const vectors *v = q->v;
    memset(q->query, 0, (size_t)v->dim * sizeof(float));
    q->n_exclude = 0;
    for (int i = 0; i < n_pos + n_neg; i++) {
        int64_t row = i < n_pos ? pos_row[i] : neg_row[i - n_pos];
        q->kern->axpy(i < n_pos ? 1.0f : -1.0f, v->data + row * v->stride,
                      q->query, v->dim);
        if (exclude_row(q, row)) {
            query_failed(q, words, n, "out of memory");
            return -1;
        }
    }
    normalize_query(q);
    int got = eval_nearest(q->kern, v, v->n, EVAL_ADD, q->query, q->exclude,
                           (int)q->n_exclude, q->k, q->hits);
    if (q->json) {
        fputc('{', q->out);
        json_words(q->out, "positive", pos, n_pos);
        json_words(q->out, "negative", neg, n_neg);
    }
    print_hits(q, got, "cosine");
    if (q->json)
        fputs("}\n", q->out);
    return 0;
}

/* Where the expected answer D of an analogy ranks, after the answers. */
static void report_expected(query_ctx *q, const char *word)
{
    char why[512];
    int64_t row = find_word(q, word, why, sizeof why);
    int64_t rank = row < 0 ? 0
                           : eval_rank(q->kern, q->v, q->v->n, q->method,
                                       q->query, q->exclude,
                                       (int)q->n_exclude, row);
    if (q->json) {
        fputs(", \"expected\": ", q->out);
        cli_json_string(q->out, word);
        if (rank > 0)
            fprintf(q->out, ", \"rank\": %lld, \"found\": %s",
                    (long long)rank, rank <= q->k ? "true" : "false");
        else
            fputs(", \"rank\": null, \"found\": false", q->out);
        if (row < 0) {
            fputs(", \"error\": ", q->out);
            cli_json_string(q->out, why);
        }
    } else if (row < 0) {
        fprintf(q->out, "expected: %s\n", why);
    } else if (rank == 0) {
        fprintf(q->out, "expected '%s': one of the three inputs, never an "
                        "answer\n", word);
    } else {
        fprintf(q->out, "expected '%s': rank %lld, %s the top %d\n", word,
                (long long)rank, rank <= q->k ? "in" : "not in", q->k);
    }
}

/* One "analogy" query: A is to B as C is to ?; a fourth word is the
 * expected answer, whose rank is reported. */
static int analogy_query(query_ctx *q, char **words, int n)
{
    if (n != 3 && n != 4) {
        char why[96];
        snprintf(why, sizeof why, "expected three words A B C (or four, "
                                  "A B C D), got %d", n);
        query_failed(q, words, n, why);
        return -1;
    }
    int64_t rows[3];
    char why[512];
    for (int i = 0; i < 3; i++)
        if ((rows[i] = find_word(q, words[i], why, sizeof why)) < 0) {
            query_failed(q, words, n, why);
            return -1;
        }
    const vectors *v = q->v;
    const float *a = v->data + rows[0] * v->stride;
    const float *b = v->data + rows[1] * v->stride;
    const float *c = v->data + rows[2] * v->stride;
    if (q->method == EVAL_ADD) {
        for (int64_t j = 0; j < v->dim; j++)
            q->query[j] = b[j] - a[j] + c[j];
        normalize_query(q);
    } else {
        memcpy(q->query, a, (size_t)v->dim * sizeof(float));
        memcpy(q->query + v->dim, b, (size_t)v->dim * sizeof(float));
        memcpy(q->query + 2 * v->dim, c, (size_t)v->dim * sizeof(float));
    }
    q->n_exclude = 0;
    for (int i = 0; i < 3; i++)
        if (exclude_row(q, rows[i])) {
            query_failed(q, words, n, "out of memory");
            return -1;
        }
    int got = eval_nearest(q->kern, v, v->n, q->method, q->query, q->exclude,
                           (int)q->n_exclude, q->k, q->hits);
    if (q->json) {
        fputc('{', q->out);
        json_words(q->out, "query", (const char *const *)words, 3);
        fprintf(q->out, "\"method\": \"%s\", ", q->method_name);
    }
    print_hits(q, got, "score");
    if (n == 4)
        report_expected(q, words[3]);
    if (q->json)
        fputs("}\n", q->out);
    return 0;
}

/* Runs the positional query, or one query per line of stdin until its end
 * or a line "EXIT"; analogy passes over ": section" lines.  Returns the
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
        if (getline(&line, &cap, stdin) < 0) {
            if (prompt) /* end of input: leave the prompt's line */
                fputc('\n', stderr);
            break;
        }
        char *w[MAX_QUERY_WORDS];
        int n = split_words(line, w, MAX_QUERY_WORDS);
        if (n == 0 || (one == analogy_query && w[0][0] == ':'))
            continue;
        if (n == 1 && strcmp(w[0], "EXIT") == 0)
            break;
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
                         int (*one)(query_ctx *, char **, int))
{
    const char *cmd = argv[0];
    int is_analogy = one == analogy_query;
    const char *method = "add";
    int64_t topn = 10;
    int json = 0, insensitive = 0;
    const char *negative_items[MAX_NEGATIVE];
    cli_list negative = {negative_items, 0, MAX_NEGATIVE};
    vec_job job;
    vec_job_init(&job, cmd);
    cli_opt opts[] = {
        {"-vectors", CLI_STRING, &job.vectors, 0, 0,
         "vector file, text or binary, '-' = stdin (required)", "FILE"},
        {"-n", CLI_INT, &topn, 1, 100000, "answers per query", "N"},
        {"-limit", CLI_INT, &job.limit, 0, 1e15,
         "load only the first N words' vectors (0: all)", "N"},
        {"-restrict", CLI_INT, &job.limit, 0, 1e15, "same as -limit", "N"},
        {"-case-insensitive", CLI_FLAG, &insensitive, 0, 0,
         "fold case, the most frequent variant wins; variants of the query "
         "words are never answers", NULL},
        {"-json", CLI_FLAG, &json, 0, 0, "one JSON object per query", NULL},
        {"-format", CLI_STRING, &job.format, 0, 0, VEC_FORMAT_HELP,
         VEC_FORMAT_ARG},
        {"-output", CLI_STRING, &job.output, 0, 0,
         "write here instead of stdout", "FILE"},
        /* last, so that each command ends its table where it needs */
        {is_analogy ? "-method" : "-negative",
         is_analogy ? CLI_STRING : CLI_LIST,
         is_analogy ? (void *)&method : (void *)&negative, 0, 0,
         is_analogy ? "3CosAdd or 3CosMul"
                    : "subtract this word's unit vector",
         is_analogy ? "add|mul" : "WORD"},
        {NULL, CLI_INT, NULL, 0, 0, NULL, NULL},
    };
    char *words[MAX_QUERY_WORDS];
    int n_words = 0;
    int rc = cli_parse_command(cmd, about, opts, argc - 1, argv + 1, words,
                               MAX_QUERY_WORDS, &n_words, NULL);
    if (rc >= 0)
        return rc;
    query_ctx q;
    memset(&q, 0, sizeof q);
    q.cmd = cmd;
    q.k = (int)topn;
    q.json = json;
    q.case_insensitive = insensitive;
    q.limit = job.limit;
    q.negative = &negative;
    q.method_name = method;
    if (parse_method(method, &q.method))
        return cli_usage_error(cmd, "-method must be add or mul");
    if (is_analogy && n_words != 0 && n_words != 3 && n_words != 4)
        return cli_usage_error(cmd, "expected three words A B C, or four "
                                    "A B C D (or none, to read them from "
                                    "stdin)");
    if (cli_is_stdin(job.vectors) && n_words == 0)
        return cli_usage_error(cmd, "-vectors - reads the vectors from "
                                    "standard input, so the queries cannot "
                                    "come from there too: give the words on "
                                    "the command line");
    job.rest = job.limit > 0;
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
    else if (insensitive && fold_ready(&q))
        rc = EXIT_RUNTIME;
    else if (!(q.out = vec_job_output(&job)))
        rc = EXIT_RUNTIME;
    else
        rc = run_queries(&q, words, n_words, one);
    free(q.hits);
    free(q.query);
    free(q.exclude);
    eval_vocab_free(&q.fold);
    return vec_job_finish(&job, rc);
}

int cmd_similar(int argc, char **argv)
{
    return query_command(
        argc, argv,
        "usage: w2v similar -vectors FILE [-n 10] [-negative WORD] "
        "[WORD...] [-- -WORD +WORD...]\n"
        "Prints the nearest words by cosine, 'word<TAB>cosine' per line.\n"
        "The words make one query: the sum of their unit vectors minus\n"
        "those of the -negative words and of words written '-word' (after\n"
        "'--' on the command line, or on a line of stdin: 'king -man\n"
        "+woman'), normalized; every query word is excluded.  Without\n"
        "words, reads one query per line from stdin until its end or a line\n"
        "EXIT (a blank line separates the answers).  Unknown words are\n"
        "reported on stderr (also a word beyond -limit, or in another\n"
        "case); the exit status is then 1.",
        similar_query);
}

int cmd_analogy(int argc, char **argv)
{
    return query_command(
        argc, argv,
        "usage: w2v analogy -vectors FILE [-n 10] [-method add|mul] A B C "
        "[D]\n"
        "Answers 'A is to B as C is to ?', 'word<TAB>score' per line, the\n"
        "three inputs excluded.  add: cosine with B - A + C (unit vectors);\n"
        "mul: 3CosMul, cos'(x,B) cos'(x,C) / (cos'(x,A) + 0.001) with\n"
        "cos' = (cos + 1) / 2.  A fourth word D is the expected answer: its\n"
        "rank follows the answers.  Without words, reads 'A B C' or\n"
        "'A B C D' lines from stdin (questions-words.txt: ': section' lines\n"
        "are passed over) until its end or a line EXIT.",
        analogy_query);
}
