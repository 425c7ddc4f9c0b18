/* cli.h - table-driven flag parsing shared by every subcommand.
 *
 * Flags are single-dash words as in the original word2vec ("-size 100");
 * the GNU spellings "--size 100", "--size=100" and "-size=100" mean the
 * same.  Every value is checked: integers must be whole decimal numbers in
 * range, reals finite and in range; unknown flags (with a "did you mean"
 * when one is close) and missing values are errors.  Parsing failures are
 * usage errors (the program exits 2). */
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
    CLI_LIST,   /* cli_list *dest: each use appends its (non-empty) value */
} cli_type;

/* The values of a repeatable option, in order. */
typedef struct cli_list {
    const char **items; /* room for max */
    int n, max;
} cli_list;

typedef struct cli_opt {
    const char *name; /* with its dash: "-size" */
    cli_type type;
    void *dest;
    double min, max; /* inclusive range for CLI_INT and CLI_REAL */
    const char *help; /* one line; the range and default are printed after
                       * (no default for a number outside the range: a
                       * "not given" the help text explains) */
    const char *arg;  /* the value in the help: "N", "FILE", "add|mul";
                       * NULL: N for integers, X for reals, VALUE else */
} cli_opt;

/* Ranges at least this large are shown as "N or more"; a range that is
 * this large both ways (a real that may be any number) is not shown. */
#define CLI_UNBOUNDED 1e15

/* Parses argv[0..argc-1] (the subcommand's own arguments, without the
 * subcommand name) against opts, terminated by an entry with name == NULL.
 * Arguments not starting with '-' (and "-" itself) are stored, in order, in
 * positional[] (room for max_positional); "--" ends flag parsing.  When
 * given is not NULL, given[i] is set to 1 for each opts[i] on the command
 * line (the caller zeroes it).  Returns 1 when -h/-help/--help was seen
 * (nothing else is checked), 2 for --help-roff (the options as roff, for
 * the manual page), 0 on success, -1 on a usage error with the message in
 * err. */
int cli_parse(const cli_opt *opts, int argc, char **argv,
              char **positional, int max_positional, int *n_positional,
              int *given, w2v_err *err);

/* 1 when the flag `name` of opts was on the command line, as cli_parse
 * recorded it in given. */
int cli_was_given(const cli_opt *opts, const int *given, const char *name);

/* cli_parse for a command (given as there, may be NULL): on -h/--help
 * prints `about`, a blank line and the options to stdout (on --help-roff
 * the options alone, as roff).  Returns -1 to go on, or the exit status: 0
 * after the help, 2 after printing a usage error. */
int cli_parse_command(const char *cmd, const char *about,
                      const cli_opt *opts, int argc, char **argv,
                      char **positional, int max_positional,
                      int *n_positional, int *given);

/* Prints each option with its placeholder, help text, range and current
 * (default) value: "  -size N              vector dimension, 1..100000
 * (default 100)". */
void cli_print_options(FILE *fp, const cli_opt *opts);

/* The same list as roff for the manual page: per option ".TP", the flag and
 * placeholder, then the same description as cli_print_options. */
void cli_print_options_roff(FILE *fp, const cli_opt *opts);

/* The description of option o in the help, into buf: its help text, the
 * allowed range of a number ("1..100000", "0 or more"; none when the
 * placeholder lists the choices, "0|1", or when any number goes), then the
 * default: the help's own
 * "(default ...)" at its end, else the current value (none for a number
 * outside its range: a "not given" the command resolves later). */
void cli_describe(const cli_opt *o, char *buf, size_t cap);

/* Edit distance between a and b (insertions, deletions, substitutions and
 * swaps of two neighbours each cost 1; ASCII letters compared without
 * case), or a value above `limit` as soon as it must exceed it. */
int cli_edit_distance(const char *a, const char *b, int limit);

/* Writes "; did you mean X?" (or "X or Y", "X, Y or Z" when several are
 * equally close) into out, naming the names[0..n) within edit distance 2 of
 * word (and closer than their own length), or "" when none is.  quote goes
 * around each suggestion ("'", or "" for none). */
void cli_suggest(const char *word, const char *const *names, int n,
                 const char *quote, char *out, size_t cap);

/* At most one file option may read standard input: counts the options of
 * opts named in readers[] (NULL-terminated) whose value is "-" (synonyms,
 * sharing a destination, count once).  Returns -1 when at most one does,
 * else prints the usage error and returns 2. */
int cli_one_stdin(const char *cmd, const cli_opt *opts,
                  const char *const *readers);

/* Writes s as a JSON string (quotes, backslashes and control characters
 * escaped). */
void cli_json_string(FILE *fp, const char *s);

/* 1 when path means standard input ("-"). */
int cli_is_stdin(const char *path);

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
