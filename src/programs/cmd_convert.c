/* cmd_convert.c - `w2v convert`: vectors between text and binary. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "vecjob.h"

int cmd_convert(int argc, char **argv)
{
    const char *cmd = argv[0];
    const char *binary = NULL;
    vec_job job;
    vec_job_init(&job, cmd);
    cli_opt opts[] = {
        {"-input", CLI_STRING, &job.vectors, 0, 0,
         "vector file to read, '-' = stdin (required)", "FILE"},
        {"-output", CLI_STRING, &job.output, 0, 0,
         "vector file to write, '-' = stdout (required)", "FILE"},
        {"-binary", CLI_STRING, &binary, 0, 0,
         "1: write binary, 0: write text (default: the other format)",
         "0|1"},
        {"-format", CLI_STRING, &job.format, 0, 0,
         "input format; auto tells them apart", VEC_FORMAT_ARG},
        {"-limit", CLI_INT, &job.limit, 0, 1e15,
         "convert only the first N words (0: all)", "N"},
        {"-restrict", CLI_INT, &job.limit, 0, 1e15, "same as -limit", "N"},
        {NULL, CLI_INT, NULL, 0, 0, NULL, NULL},
    };
    int rc = cli_parse_command(
        cmd,
        "usage: w2v convert -input FILE -output FILE [-binary 0|1]\n"
        "Converts vectors between text and binary.  Text is written with\n"
        "%.9g, which reads back to the identical float32, so binary -> text\n"
        "-> binary is exact.  Headerless text (GloVe) is read too and\n"
        "written with its 'ROWS DIM' header, binary by default.  The output\n"
        "is written atomically.",
        opts, argc - 1, argv + 1, NULL, 0, NULL);
    if (rc >= 0)
        return rc;
    if (!job.vectors || !job.output)
        return cli_usage_error(cmd, "-input and -output are required");
    if (binary && strcmp(binary, "0") && strcmp(binary, "1"))
        return cli_usage_error(cmd, "-binary must be 0 or 1");
    /* the output first: a bad path fails before a large file is read */
    FILE *out = vec_job_output(&job);
    if (!out)
        return vec_job_finish(&job, EXIT_RUNTIME);
    if ((rc = vec_job_load(&job, 0)) >= 0)
        return vec_job_finish(&job, rc);
    const vectors *v = &job.v;
    int to_binary = binary ? binary[0] == '1' : v->format != VEC_BINARY;
    w2v_err err;
    rc = vectors_write(out, job.output, (const char *const *)v->words, v->data,
                       v->n, v->dim, v->stride, to_binary, &err)
             ? cli_runtime_error(cmd, err.msg)
             : EXIT_OK;
    return vec_job_finish(&job, rc);
}
