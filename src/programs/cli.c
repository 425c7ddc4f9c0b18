/* cli.c - table-driven flag parsing with checked numbers. */
#include "cli.h"

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
    case CLI_FLAG:
        break;
    }
    return w2v_fail(err, "%s: internal error", o->name);
}

int cli_parse(const cli_opt *opts, int argc, char **argv,
              char **positional, int max_positional, int *n_positional,
              int *given, w2v_err *err)
{
    for (int i = 0; i < argc; i++)
        if (is_help(argv[i]))
            return 1;
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
        const cli_opt *o = find_opt(opts, a);
        if (!o)
            return w2v_fail(err, "unknown option '%s'", a);
        if (given)
            given[o - opts] = 1;
        if (o->type == CLI_FLAG) {
            *(int *)o->dest = 1;
            continue;
        }
        if (i + 1 >= argc)
            return w2v_fail(err, "%s needs a value", a);
        if (set_value(o, argv[++i], err))
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
    if (rc < 0)
        return cli_usage_error(cmd, err.msg);
    return -1;
}

void cli_print_options(FILE *fp, const cli_opt *opts)
{
    for (; opts->name; opts++) {
        fprintf(fp, "  %-18s %s", opts->name, opts->help);
        switch (opts->type) {
        case CLI_INT:
            fprintf(fp, " (default %lld)", (long long)*(int64_t *)opts->dest);
            break;
        case CLI_REAL:
            fprintf(fp, " (default %g)", *(double *)opts->dest);
            break;
        case CLI_STRING:
            if (*(const char **)opts->dest)
                fprintf(fp, " (default %s)", *(const char **)opts->dest);
            break;
        case CLI_FLAG:
            break;
        }
        fputc('\n', fp);
    }
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
