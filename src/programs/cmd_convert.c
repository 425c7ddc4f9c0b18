/* cmd_convert.c - `w2v convert`: vectors between text and binary, and
 * out of a training checkpoint. */
#include <stdio.h>
#include <string.h>

#include "checkpoint.h"
#include "cli.h"
#include "commands.h"
#include "pathcheck.h"
#include "vecjob.h"

/* Writes the vectors (or, with context, the context vectors) of checkpoint
 * `path` to out, binary when `binary` is "1" (NULL: as the run's -binary).
 * Returns the exit status. */
static int from_checkpoint(vec_job *job, const char *path, FILE *out,
                           const char *binary, int context)
{
    checkpoint ck;
    w2v_err err;
    if (checkpoint_read(path, &ck, &err))
        return cli_runtime_error(job->cmd, err.msg);
    const model *m = &ck.m;
    if (!binary)
        binary = checkpoint_note(&ck, "binary");
    int rc = EXIT_OK;
    if (context && ck.cfg.loss == LOSS_HS)
        rc = cli_usage_error(job->cmd, "-context: a -loss hs run has no "
                                       "context vectors");
    else if (vectors_write(out, job->output,
                           (const char *const *)m->vocab.words,
                           context ? m->emb_out : m->emb_in, m->vocab.size,
                           m->dim, m->stride, binary && binary[0] == '1',
                           &err))
        rc = cli_runtime_error(job->cmd, err.msg);
    checkpoint_free(&ck);
    return rc;
}

int cmd_convert(int argc, char **argv)
{
    const char *cmd = argv[0];
    const char *binary = NULL, *checkpoint_path = NULL;
    int context = 0;
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
        {"-checkpoint", CLI_STRING, &checkpoint_path, 0, 0,
         "read a training checkpoint instead of -input (default format: "
         "the run's -binary)", "FILE"},
        {"-context", CLI_FLAG, &context, 0, 0,
         "with -checkpoint: write the context vectors", NULL},
        {NULL, CLI_INT, NULL, 0, 0, NULL, NULL},
    };
    int rc = cli_parse_command(
        cmd,
        "usage: w2v convert -input FILE -output FILE [-binary 0|1]\n"
        "       w2v convert -checkpoint FILE -output FILE [-binary 0|1] "
        "[-context]\n"
        "Converts vectors between text and binary, or writes the vectors of\n"
        "a training checkpoint.  Text is written with %.9g, which reads back\n"
        "to the identical float32, so binary -> text -> binary is exact.\n"
        "Headerless text (GloVe) is read too and written with its 'ROWS DIM'\n"
        "header, binary by default.  The output is written atomically.",
        opts, argc - 1, argv + 1, NULL, 0, NULL, NULL);
    if (rc >= 0)
        return rc;
    if ((!job.vectors == !checkpoint_path) || !job.output)
        return cli_usage_error(cmd, "-output and one of -input and "
                                    "-checkpoint are required");
    if (binary && strcmp(binary, "0") && strcmp(binary, "1"))
        return cli_usage_error(cmd, "-binary must be 0 or 1");
    if (context && !checkpoint_path)
        return cli_usage_error(cmd, "-context needs -checkpoint");
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
    if (checkpoint_path)
        return vec_job_finish(&job, from_checkpoint(&job, checkpoint_path, out,
                                                    binary, context));
    if ((rc = vec_job_load(&job, 0)) >= 0)
        return vec_job_finish(&job, rc);
    const vectors *v = &job.v;
    int to_binary = binary ? binary[0] == '1' : v->format != VEC_BINARY;
    if (to_binary && paths_check_binary_output("-output", job.output, &err))
        return vec_job_finish(&job, cli_usage_error(cmd, err.msg));
    rc = vectors_write(out, job.output, (const char *const *)v->words, v->data,
                       v->n, v->dim, v->stride, to_binary, &err)
             ? cli_runtime_error(cmd, err.msg)
             : EXIT_OK;
    return vec_job_finish(&job, rc);
}
