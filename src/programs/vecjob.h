/* vecjob.h - what every command that reads a vector file shares: loading
 * it (unit rows for cosine work) with the kernel of $W2V_KERNEL, and the
 * result written to stdout or, atomically, to -output.  Each step prints
 * its own problem and returns the exit status to give. */
#ifndef W2V_VECJOB_H
#define W2V_VECJOB_H

#include <stdio.h>

#include "eval.h"
#include "kernel.h"
#include "outfile.h"
#include "vectors.h"

typedef struct vec_job {
    const char *cmd;     /* the command, for messages: "eval analogy" */
    const char *vectors; /* -vectors ("-": standard input) */
    const char *format;  /* -format: auto, text, binary or text-noheader */
    int64_t limit;       /* rows to load, 0 = all */
    int rest;            /* also read the words past the limit (messages) */
    const char *output;  /* -output, NULL = stdout */
    const kernel *kern;
    vectors v;
    outfile out;
    int out_open;
} vec_job;

/* A job for cmd with the defaults (-format auto, all rows, stdout). */
void vec_job_init(vec_job *j, const char *cmd);

/* Loads j->vectors; unit != 0 picks the kernel (j->kern) and scales every
 * row to unit length with it.  Returns -1 on success, else the exit status
 * (2 for a bad -format, no -vectors or an -output that is the -vectors
 * file, 1 for a file that cannot be loaded or a bad $W2V_KERNEL). */
int vec_job_load(vec_job *j, int unit);

/* The -format names into *fmt ("auto", "text", "binary", "text-noheader");
 * -1 for anything else. */
int parse_format(const char *s, vec_format *fmt);

/* The placeholder and help of -format, for option tables. */
#define VEC_FORMAT_ARG "auto|text|binary|text-noheader"
#define VEC_FORMAT_HELP "vector format; auto tells them apart"

/* Opens the output (j->output or stdout); NULL after printing why. */
FILE *vec_job_output(vec_job *j);

/* Commits the output when status is EXIT_OK (a failed write turns it into
 * EXIT_RUNTIME), else discards it; frees the vectors; returns the status. */
int vec_job_finish(vec_job *j, int status);

/* "add" or "mul" into *m; -1 for anything else. */
int parse_method(const char *s, eval_method *m);

#endif
