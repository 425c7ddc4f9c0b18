/* cmd_convert.c - `w2v convert`: vectors between text and binary. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "pathcheck.h"
#include "vecjob.h"

int cmd_convert(int argc, char **argv)
{
    const char *cmd = argv[0];
    const char *binary = NULL;
    vec_job job;
    vec_job_init(&job, cmd);
    cli_opt opts[] = {
        {"-input", CLI_STRING, &job.vectors, 0, 0,
         "vector file to read (required)"},
        {"-output", CLI_STRING, &job.output, 0, 0,
         "vector file to write, '-' for stdout (required)"},
        {"-binary", CLI_STRING, &binary, 0, 0,
         "1: write binary, 0: write text (default: the other format)"},
        {"-format", CLI_STRING, &job.format, 0, 0,
         "input format: auto, text or binary"},
        {"-limit", CLI_INT, &job.limit, 0, 1e15,
         "convert only the first N words (0: all)"},
        {NULL, CLI_INT, NULL, 0, 0, NULL},
    };
    int rc = cli_parse_command(
        cmd,
        "usage: w2v convert -input FILE -output FILE [-binary 0|1]\n"
        "Converts vectors between text and binary.  Text is written with\n"
        "%.9g, which reads back to the identical float32, so binary -> text\n"
        "-> binary is exact.  The output is written atomically.",
        opts, argc - 1, argv + 1, NULL, 0, NULL);
    if (rc >= 0)
        return rc;
    if (!job.vectors || !job.output)
        return cli_usage_error(cmd, "-input and -output are required");
    if (binary && strcmp(binary, "0") && strcmp(binary, "1"))
        return cli_usage_error(cmd, "-binary must be 0 or 1");
    /* never a file converted onto itself, nor binary for a terminal */
    w2v_err err;
    const path_use uses[] = {{"-input", job.vectors, 0},
                             {"-output", job.output, 1}};
    if (paths_check_distinct(uses, 2, &err) ||
        (binary && binary[0] == '1' &&
         paths_check_binary_output("-output", job.output, &err)))
        return cli_usage_error(cmd, err.msg);
    /* the output first: a bad path fails before a large file is read */
    FILE *out = vec_job_output(&job);
    if (!out)
        return vec_job_finish(&job, EXIT_RUNTIME);
    if ((rc = vec_job_load(&job, 0)) >= 0)
        return vec_job_finish(&job, rc);
    const vectors *v = &job.v;
    int to_binary = binary ? binary[0] == '1' : v->format == VEC_TEXT;
    if (to_binary && paths_check_binary_output("-output", job.output, &err))
        return vec_job_finish(&job, cli_usage_error(cmd, err.msg));
    rc = vectors_write(out, job.output, (const char *const *)v->words, v->data,
                       v->n, v->dim, v->stride, to_binary, &err)
             ? cli_runtime_error(cmd, err.msg)
             : EXIT_OK;
    return vec_job_finish(&job, rc);
}
