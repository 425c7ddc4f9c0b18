/* cli.h - table-driven flag parsing shared by every subcommand.
 *
 * Flags are single-dash words as in the original word2vec ("-size 100").
 * Every value is checked: integers must be whole decimal numbers in range,
 * reals finite and in range; unknown flags and missing values are errors.
 * Parsing failures are usage errors (the program exits 2). */
#ifndef W2V_CLI_H
#define W2V_CLI_H

#include <stdint.h>
#include <stdio.h>

#include "kernel.h"
#include "w2v.h"

typedef enum cli_type {
    CLI_INT,    /* int64_t *dest, checked against [min, max] */
    CLI_REAL,   /* double *dest, finite, checked against [min, max] */
    CLI_STRING, /* const char **dest, any non-empty value */
    CLI_FLAG,   /* int *dest set to 1, takes no value */
} cli_type;

typedef struct cli_opt {
    const char *name; /* with its dash: "-size" */
    cli_type type;
    void *dest;
    double min, max; /* inclusive range for CLI_INT and CLI_REAL */
    const char *help; /* one line; the default is printed after it */
} cli_opt;

/* Parses argv[0..argc-1] (the subcommand's own arguments, without the
 * subcommand name) against opts, terminated by an entry with name == NULL.
 * Arguments not starting with '-' (and "-" itself) are stored, in order, in
 * positional[] (room for max_positional); "--" ends flag parsing.  When
 * given is not NULL, given[i] is set to 1 for each opts[i] on the command
 * line (the caller zeroes it).  Returns 1 when -h/-help/--help was seen
 * (nothing else is checked), 0 on success, -1 on a usage error with the
 * message in err. */
int cli_parse(const cli_opt *opts, int argc, char **argv,
              char **positional, int max_positional, int *n_positional,
              int *given, w2v_err *err);

/* cli_parse for a command (given as there, may be NULL): on -h/--help
 * prints `about`, a blank line and the options to stdout.  Returns -1 to go on, or the exit status: 0 after
 * the help, 2 after printing a usage error. */
int cli_parse_command(const char *cmd, const char *about,
                      const cli_opt *opts, int argc, char **argv,
                      char **positional, int max_positional,
                      int *n_positional, int *given);

/* Prints each option with its help text and current (default) value. */
void cli_print_options(FILE *fp, const cli_opt *opts);

/* Prints "w2v CMD: MSG" and "Try 'w2v CMD --help'." on stderr; returns 2,
 * the exit status of a usage error. */
int cli_usage_error(const char *cmd, const char *msg);

/* Prints "w2v CMD: MSG" on stderr; returns 1, the exit status of a runtime
 * error. */
int cli_runtime_error(const char *cmd, const char *msg);

/* The kernel body named by `name`, or by $W2V_KERNEL when name is NULL
 * (kernel_get: "auto" when neither names one). */
const kernel *cli_kernel(const char *name, w2v_err *err);

/* The folder for spooled standard input: $TMPDIR, else /tmp. */
const char *cli_spool_dir(void);

/* `one` when n is 1, else `many`: "1 thread", "2 threads". */
const char *cli_plural(int64_t n, const char *one, const char *many);

/* Warns once on stderr ("w2v CMD: warning: ...") when `threads` is more
 * than the CPUs this process may run on (w2v_allotted_cpus). */
void cli_warn_threads(const char *cmd, int64_t threads);

/* Makes SIGINT, SIGTERM and SIGHUP remove every open temporary output file
 * (outfile.h) before the process dies of the signal. */
void cli_remove_outputs_on_signal(void);

/* Strict number parsers used by cli_parse; 0 on success, -1 on error. */
int cli_parse_int(const char *s, int64_t *out);
int cli_parse_real(const char *s, double *out);

#endif
