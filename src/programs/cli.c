/* cli.c - table-driven flag parsing with checked numbers. */
#include "cli.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "outfile.h"

/* s is a plain decimal number: an optional '-', digits, and for reals an
 * optional fraction and exponent; no spaces, '+', hex or words. */
static int is_decimal(const char *s, int real)
{
    const char *p = s + (*s == '-');
    int digits = 0;
    for (; *p >= '0' && *p <= '9'; p++)
        digits++;
    if (real && *p == '.')
        for (p++; *p >= '0' && *p <= '9'; p++)
            digits++;
    if (!digits)
        return 0;
    if (real && (*p == 'e' || *p == 'E')) {
        p++;
        p += *p == '-' || *p == '+';
        if (!(*p >= '0' && *p <= '9'))
            return 0;
        while (*p >= '0' && *p <= '9')
            p++;
    }
    return *p == '\0';
}

int cli_parse_int(const char *s, int64_t *out)
{
    char *end;
    if (!is_decimal(s, 0))
        return -1;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || *end)
        return -1;
    *out = (int64_t)v;
    return 0;
}

int cli_parse_real(const char *s, double *out)
{
    char *end;
    if (!is_decimal(s, 1))
        return -1;
    errno = 0;
    double v = strtod(s, &end);
    if (errno == ERANGE && fabs(v) > 1.0)
        return -1;
    if (*end || !isfinite(v))
        return -1;
    *out = v;
    return 0;
}

static int is_help(const char *a)
{
    return strcmp(a, "-h") == 0 || strcmp(a, "-help") == 0 ||
           strcmp(a, "--help") == 0;
}

static const cli_opt *find_opt(const cli_opt *opts, const char *name)
{
    for (; opts->name; opts++)
        if (strcmp(opts->name, name) == 0)
            return opts;
    return NULL;
}

/* Longest flag name looked up; longer ones are unknown. */
#define MAX_FLAG_NAME 64
/* Most options in one table that a suggestion considers. */
#define MAX_SUGGEST_NAMES 128

int cli_edit_distance(const char *a, const char *b, int limit)
{
    size_t la = strlen(a), lb = strlen(b);
    size_t diff = la > lb ? la - lb : lb - la;
    if (diff > (size_t)limit || la > MAX_FLAG_NAME || lb > MAX_FLAG_NAME)
        return limit + 1;
    /* three rows of the optimal-string-alignment table */
    int rows[3][MAX_FLAG_NAME + 1];
    int *prev2 = rows[0], *prev = rows[1], *cur = rows[2];
    for (size_t j = 0; j <= lb; j++)
        prev[j] = (int)j;
    for (size_t i = 1; i <= la; i++) {
        cur[0] = (int)i;
        int ai = tolower((unsigned char)a[i - 1]);
        for (size_t j = 1; j <= lb; j++) {
            int bj = tolower((unsigned char)b[j - 1]);
            int best = prev[j - 1] + (ai != bj);
            if (prev[j] + 1 < best)
                best = prev[j] + 1;
            if (cur[j - 1] + 1 < best)
                best = cur[j - 1] + 1;
            if (i > 1 && j > 1 && ai == tolower((unsigned char)b[j - 2]) &&
                tolower((unsigned char)a[i - 2]) == bj &&
                prev2[j - 2] + 1 < best)
                best = prev2[j - 2] + 1;
            cur[j] = best;
        }
        int *t = prev2;
        prev2 = prev;
        prev = cur;
        cur = t;
    }
    return prev[lb] > limit ? limit + 1 : prev[lb];
}

static const char *skip_dashes(const char *s)
{
    while (*s == '-')
        s++;
    return s;
}

void cli_suggest(const char *word, const char *const *names, int n,
                 const char *quote, char *out, size_t cap)
{
    enum { LIMIT = 2, MAX_SHOWN = 5 };
    int best = LIMIT + 1, picked[MAX_SHOWN], n_picked = 0;
    const char *w = skip_dashes(word);
    for (int i = 0; i < n; i++) {
        const char *name = skip_dashes(names[i]);
        int d = cli_edit_distance(w, name, LIMIT);
        if (d > LIMIT || d >= (int)strlen(name) || d > best)
            continue;
        if (d < best) {
            best = d;
            n_picked = 0;
        }
        if (n_picked < MAX_SHOWN)
            picked[n_picked++] = i;
    }
    size_t len = 0;
    out[0] = '\0';
    for (int k = 0; k < n_picked && len < cap; k++) {
        const char *sep = k == 0 ? "; did you mean "
                          : k == n_picked - 1 ? " or " : ", ";
        int got = snprintf(out + len, cap - len, "%s%s%s%s%s", sep, quote,
                           names[picked[k]], quote,
                           k == n_picked - 1 ? "?" : "");
        if (got < 0)
            break;
        len += (size_t)got;
    }
}

/* The usage error for an unknown flag `typed` (name: its key, without any
 * "=value"), with a suggestion when one is close. */
static int unknown_flag(const cli_opt *opts, const char *typed,
                        const char *name, int takes_words, w2v_err *err)
{
    const char *names[MAX_SUGGEST_NAMES];
    int n = 0;
    for (; opts->name && n < MAX_SUGGEST_NAMES; opts++)
        names[n++] = opts->name;
    char hint[256];
    cli_suggest(name, names, n, "", hint, sizeof hint);
    if (!hint[0] && takes_words)
        snprintf(hint, sizeof hint, " (words that start with '-' go after "
                                    "'--')");
    return w2v_fail(err, "unknown option '%s'%s", typed, hint);
}

static int set_value(const cli_opt *o, const char *v, w2v_err *err)
{
    switch (o->type) {
    case CLI_INT: {
        int64_t x;
        if (cli_parse_int(v, &x))
            return w2v_fail(err, "%s: '%s' is not a whole number", o->name, v);
        if ((double)x < o->min || (double)x > o->max)
            return w2v_fail(err, "%s: %s is out of range [%.15g, %.15g]",
                            o->name, v, o->min, o->max);
        *(int64_t *)o->dest = x;
        return 0;
    }
    case CLI_REAL: {
        double x;
        if (cli_parse_real(v, &x))
            return w2v_fail(err, "%s: '%s' is not a finite number", o->name, v);
        if (x < o->min || x > o->max)
            return w2v_fail(err, "%s: %s is out of range [%g, %g]", o->name, v,
                            o->min, o->max);
        *(double *)o->dest = x;
        return 0;
    }
    case CLI_STRING:
        if (!*v)
            return w2v_fail(err, "%s: empty value", o->name);
        *(const char **)o->dest = v;
        return 0;
    case CLI_LIST: {
        cli_list *l = o->dest;
        if (!*v)
            return w2v_fail(err, "%s: empty value", o->name);
        if (l->n >= l->max)
            return w2v_fail(err, "%s: given more than %d times", o->name,
                            l->max);
        l->items[l->n++] = v;
        return 0;
    }
    case CLI_FLAG:
        break;
    }
    return w2v_fail(err, "%s: internal error", o->name);
}

int cli_was_given(const cli_opt *opts, const int *given, const char *name)
{
    for (int i = 0; opts[i].name; i++)
        if (given[i] && strcmp(opts[i].name, name) == 0)
            return 1;
    return 0;
}

int cli_parse(const cli_opt *opts, int argc, char **argv,
              char **positional, int max_positional, int *n_positional,
              int *given, w2v_err *err)
{
    for (int i = 0; i < argc && strcmp(argv[i], "--") != 0; i++) {
        if (is_help(argv[i]))
            return 1;
        if (strcmp(argv[i], "--help-roff") == 0)
            return 2;
    }
    int npos = 0, flags_done = 0;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (!flags_done && strcmp(a, "--") == 0) {
            flags_done = 1;
            continue;
        }
        if (flags_done || a[0] != '-' || a[1] == '\0') {
            if (npos >= max_positional)
                return w2v_fail(err, "unexpected argument '%s'", a);
            positional[npos++] = argv[i];
            continue;
        }
        /* -name, --name, -name=value, --name=value: the key is "-name" */
        const char *body = a + 1 + (a[1] == '-');
        const char *eq = strchr(body, '=');
        size_t len = eq ? (size_t)(eq - body) : strlen(body);
        char name[MAX_FLAG_NAME + 2];
        const cli_opt *o = NULL;
        if (len <= MAX_FLAG_NAME) {
            name[0] = '-';
            memcpy(name + 1, body, len);
            name[len + 1] = '\0';
            o = find_opt(opts, name);
        } else {
            snprintf(name, sizeof name, "%s", a);
        }
        if (!o)
            return unknown_flag(opts, a, name, max_positional > 0, err);
        if (given)
            given[o - opts] = 1;
        if (o->type == CLI_FLAG) {
            if (eq)
                return w2v_fail(err, "%s takes no value", o->name);
            *(int *)o->dest = 1;
            continue;
        }
        const char *value = eq ? eq + 1 : i + 1 < argc ? argv[++i] : NULL;
        if (!value)
            return w2v_fail(err, "%s needs a value", o->name);
        if (set_value(o, value, err))
            return -1;
    }
    if (n_positional)
        *n_positional = npos;
    return 0;
}

int cli_parse_command(const char *cmd, const char *about,
                      const cli_opt *opts, int argc, char **argv,
                      char **positional, int max_positional,
                      int *n_positional, int *given)
{
    w2v_err err;
    int rc = cli_parse(opts, argc, argv, positional, max_positional,
                       n_positional, given, &err);
    if (rc == 1) {
        printf("%s\n\noptions:\n", about);
        cli_print_options(stdout, opts);
        return 0;
    }
    if (rc == 2) {
        cli_print_options_roff(stdout, opts);
        return 0;
    }
    if (rc < 0)
        return cli_usage_error(cmd, err.msg);
    return -1;
}

/* A bound as people write it: whole numbers without a fraction. */
static void format_number(char *buf, size_t cap, double x)
{
    if (x == floor(x) && fabs(x) < CLI_UNBOUNDED)
        snprintf(buf, cap, "%.0f", x);
    else
        snprintf(buf, cap, "%g", x);
}

/* The option before o in its table (from opts) with o's destination, or
 * NULL: a synonym is described by its help alone. */
static const cli_opt *synonym_of(const cli_opt *opts, const cli_opt *o)
{
    for (; opts < o; opts++)
        if (opts->dest == o->dest)
            return opts;
    return NULL;
}

void cli_describe(const cli_opt *o, char *buf, size_t cap)
{
    char lo[32], hi[32], range[80] = "", def[160] = "";
    /* a placeholder listing the choices ("0|1") says the range already */
    if ((o->type == CLI_INT || o->type == CLI_REAL) &&
        !(o->arg && strchr(o->arg, '|'))) {
        format_number(lo, sizeof lo, o->min);
        format_number(hi, sizeof hi, o->max);
        if (o->min <= -CLI_UNBOUNDED && o->max >= CLI_UNBOUNDED)
            range[0] = '\0'; /* any number: the help says what it means */
        else if (o->max >= CLI_UNBOUNDED)
            snprintf(range, sizeof range, ", %s or more", lo);
        else
            snprintf(range, sizeof range, ", %s..%s", lo, hi);
    }
    /* a number outside its range is a "not given" the command resolves
     * later: the help text describes that default */
    switch (o->type) {
    case CLI_INT: {
        int64_t x = *(int64_t *)o->dest;
        if ((double)x >= o->min && (double)x <= o->max)
            snprintf(def, sizeof def, " (default %lld)", (long long)x);
        break;
    }
    case CLI_REAL: {
        double x = *(double *)o->dest;
        if (x >= o->min && x <= o->max)
            snprintf(def, sizeof def, " (default %g)", x);
        break;
    }
    case CLI_STRING:
        if (*(const char **)o->dest)
            snprintf(def, sizeof def, " (default %s)",
                     *(const char **)o->dest);
        break;
    case CLI_LIST:
        snprintf(def, sizeof def, " (repeatable)");
        break;
    case CLI_FLAG:
        break;
    }
    /* a default the help text states, "(default ...)" at its end, stays
     * last */
    const char *stated = strstr(o->help, " (default");
    int help_len = stated && stated[strlen(stated) - 1] == ')'
                       ? (int)(stated - o->help)
                       : (int)strlen(o->help);
    snprintf(buf, cap, "%.*s%s%s%s", help_len, o->help, range,
             o->help + help_len, def);
}

/* The placeholder of o's value; "" for a flag without one. */
static const char *placeholder(const cli_opt *o)
{
    if (o->arg)
        return o->arg;
    switch (o->type) {
    case CLI_INT:
        return "N";
    case CLI_REAL:
        return "X";
    case CLI_FLAG:
        return "";
    default:
        return "VALUE";
    }
}

/* Help lines: the flag column, then the description wrapped to fit. */
#define HELP_FLAG_WIDTH 22
#define HELP_WIDTH 79

void cli_print_options(FILE *fp, const cli_opt *opts)
{
    for (const cli_opt *o = opts; o->name; o++) {
        char flag[MAX_FLAG_NAME + 64], what[1024];
        const char *arg = placeholder(o);
        snprintf(flag, sizeof flag, "%s%s%s", o->name, *arg ? " " : "", arg);
        if (synonym_of(opts, o))
            snprintf(what, sizeof what, "%s", o->help);
        else
            cli_describe(o, what, sizeof what);
        const int indent = 2 + HELP_FLAG_WIDTH + 1;
        int col = indent;
        if ((int)strlen(flag) > HELP_FLAG_WIDTH)
            fprintf(fp, "  %s\n%*s", flag, indent, "");
        else
            fprintf(fp, "  %-*s ", HELP_FLAG_WIDTH, flag);
        /* word by word, a new line before a word that would pass the edge */
        for (const char *w = what; *w;) {
            size_t len = strcspn(w, " ");
            if (col > indent && col + 1 + (int)len > HELP_WIDTH) {
                fprintf(fp, "\n%*s", indent, "");
                col = indent;
            } else if (col > indent) {
                fputc(' ', fp);
                col++;
            }
            fwrite(w, 1, len, fp);
            col += (int)len;
            w += len;
            while (*w == ' ')
                w++;
        }
        fputc('\n', fp);
    }
}

/* Writes s escaped for roff: backslashes and dashes. */
static void roff_text(FILE *fp, const char *s)
{
    for (; *s; s++) {
        if (*s == '\\')
            fputs("\\e", fp);
        else if (*s == '-')
            fputs("\\-", fp);
        else
            fputc(*s, fp);
    }
}

void cli_print_options_roff(FILE *fp, const cli_opt *opts)
{
    for (const cli_opt *o = opts; o->name; o++) {
        char what[1024];
        const char *arg = placeholder(o);
        fputs(".TP\n\\fB", fp);
        roff_text(fp, o->name);
        fputs("\\fR", fp);
        if (*arg) {
            fputs(" \\fI", fp);
            roff_text(fp, arg);
            fputs("\\fR", fp);
        }
        fputc('\n', fp);
        if (synonym_of(opts, o))
            snprintf(what, sizeof what, "%s", o->help);
        else
            cli_describe(o, what, sizeof what);
        if (what[0] == '.' || what[0] == '\'')
            fputs("\\&", fp);
        roff_text(fp, what);
        fputc('\n', fp);
    }
}

void cli_json_string(FILE *fp, const char *s)
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

int cli_is_stdin(const char *path)
{
    return path && strcmp(path, "-") == 0;
}

int cli_one_stdin(const char *cmd, const cli_opt *opts,
                  const char *const *readers)
{
    const char *names[8];
    const void *dests[8];
    int n = 0;
    for (; *readers; readers++) {
        const cli_opt *o = find_opt(opts, *readers);
        if (!o || o->type != CLI_STRING ||
            !cli_is_stdin(*(const char **)o->dest))
            continue;
        int seen = 0;
        for (int i = 0; i < n; i++)
            seen |= dests[i] == o->dest;
        if (!seen && n < 8) {
            names[n] = o->name;
            dests[n++] = o->dest;
        }
    }
    if (n < 2)
        return -1;
    char msg[256];
    snprintf(msg, sizeof msg, "%s and %s both read standard input ('-'); "
             "only one option can", names[0], names[1]);
    return cli_usage_error(cmd, msg);
}

int cli_usage_error(const char *cmd, const char *msg)
{
    fprintf(stderr, "w2v %s: %s\nTry 'w2v %s --help'.\n", cmd, msg, cmd);
    return 2;
}

int cli_runtime_error(const char *cmd, const char *msg)
{
    fprintf(stderr, "w2v %s: %s\n", cmd, msg);
    return 1;
}

const kernel *cli_kernel(const char *name, w2v_err *err)
{
    return kernel_get(name ? name : getenv("W2V_KERNEL"), err);
}

const char *cli_spool_dir(void)
{
    const char *dir = getenv("TMPDIR");
    return dir && *dir ? dir : "/tmp";
}

const char *cli_plural(int64_t n, const char *one, const char *many)
{
    return n == 1 ? one : many;
}

void cli_warn_threads(const char *cmd, int64_t threads)
{
    int cpus = w2v_allotted_cpus();
    if (threads > cpus)
        fprintf(stderr, "w2v %s: warning: -threads %lld is more than the %d "
                        "%s this process may run on; the threads will share "
                        "%s\n",
                cmd, (long long)threads, cpus, cli_plural(cpus, "CPU", "CPUs"),
                cli_plural(cpus, "it", "them"));
}

static void on_signal(int sig)
{
    outfile_remove_all_tmp();
    signal(sig, SIG_DFL);
    raise(sig);
}

void cli_remove_outputs_on_signal(void)
{
    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
    signal(SIGHUP, on_signal);
}
