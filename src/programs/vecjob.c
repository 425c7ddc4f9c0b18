/* vecjob.c - loading vectors and writing results for the query and
 * evaluation commands (vecjob.h). */
#include "vecjob.h"

#include <string.h>

#include "cli.h"
#include "commands.h"
#include "pathcheck.h"

void vec_job_init(vec_job *j, const char *cmd)
{
    memset(j, 0, sizeof *j);
    j->cmd = cmd;
    j->format = "auto";
}

int parse_format(const char *s, vec_format *fmt)
{
    if (!strcmp(s, "auto"))
        *fmt = VEC_AUTO;
    else if (!strcmp(s, "text"))
        *fmt = VEC_TEXT;
    else if (!strcmp(s, "binary"))
        *fmt = VEC_BINARY;
    else if (!strcmp(s, "text-noheader"))
        *fmt = VEC_TEXT_NOHEADER;
    else
        return -1;
    return 0;
}

int parse_method(const char *s, eval_method *m)
{
    if (!strcmp(s, "add"))
        *m = EVAL_ADD;
    else if (!strcmp(s, "mul"))
        *m = EVAL_MUL;
    else
        return -1;
    return 0;
}

int vec_job_load(vec_job *j, int unit)
{
    vec_format fmt;
    w2v_err err;
    if (!j->vectors)
        return cli_usage_error(j->cmd, "-vectors is required");
    if (parse_format(j->format, &fmt))
        return cli_usage_error(j->cmd, "-format must be auto, text, binary "
                                       "or text-noheader");
    const path_use uses[] = {{"-vectors", j->vectors, 0},
                             {"-output", j->output, 1}};
    if (paths_check_distinct(uses, 2, &err))
        return cli_usage_error(j->cmd, err.msg);
    if (unit && !(j->kern = cli_kernel(NULL, &err)))
        return cli_runtime_error(j->cmd, err.msg);
    vec_load_opts o = {fmt, j->limit, j->rest};
    if (vectors_load_opts(j->vectors, &o, &j->v, &err))
        return cli_runtime_error(j->cmd, err.msg);
    if (j->v.warning[0])
        fprintf(stderr, "w2v %s: warning: %s\n", j->cmd, j->v.warning);
    if (unit)
        eval_normalize(&j->v, j->kern);
    return -1;
}

FILE *vec_job_output(vec_job *j)
{
    w2v_err err;
    if (outfile_open(&j->out, j->output ? j->output : "-", &err)) {
        cli_runtime_error(j->cmd, err.msg);
        return NULL;
    }
    j->out_open = 1;
    return j->out.fp;
}

int vec_job_finish(vec_job *j, int status)
{
    w2v_err err;
    if (j->out_open) {
        if (status == EXIT_OK && outfile_commit(&j->out, &err))
            status = cli_runtime_error(j->cmd, err.msg);
        outfile_abort(&j->out);
        j->out_open = 0;
    }
    vectors_free(&j->v);
    return status;
}
