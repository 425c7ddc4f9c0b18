/* cmd_classes.c - `w2v classes`: k-means word classes of a vector file,
 * and the class writer `w2v train -classes K` calls (classes.h). */
#include <stdio.h>

#include "classes.h"
#include "cli.h"
#include "commands.h"
#include "vecjob.h"

int write_classes(FILE *fp, const char *name, const char *const *words,
                  const float *m, int64_t n, int64_t dim, int64_t stride,
                  const kmeans_config *cfg, const kernel *kern, int quiet,
                  int json, w2v_err *err)
{
    kmeans_result res;
    if (cfg->k > n)
        return w2v_fail(err, "%lld classes for %lld words: there cannot be "
                             "more classes than words",
                        (long long)cfg->k, (long long)n);
    double t0 = w2v_now();
    if (kmeans_cosine(m, n, dim, stride, cfg, kern, &res, err))
        return -1;
    double seconds = w2v_now() - t0;
    for (int64_t i = 0; i < n; i++)
        if (fprintf(fp, "%s %d\n", words[i], (int)res.classes[i]) < 0)
            break;
    int failed = ferror(fp);
    if (failed)
        w2v_fail_errno(err, "%s: write failed", name);
    else if (json && !quiet)
        fprintf(stderr, "{\"classes\": %lld, \"words\": %lld, \"dim\": %lld, "
                        "\"rounds\": %lld, \"changed_last_round\": %lld, "
                        "\"reseeded\": %lld, \"cost\": %.6f, "
                        "\"mean_cos\": %.6f, \"seconds\": %.3f}\n",
                (long long)cfg->k, (long long)n, (long long)dim,
                (long long)res.rounds, (long long)res.changed,
                (long long)res.reseeded, res.cost, 1.0 - res.cost / (double)n,
                seconds);
    else if (!quiet)
        fprintf(stderr, "classes: %lld classes of %lld words (%lld "
                        "dimensions), %lld rounds (%s%lld changed in the "
                        "last), cost %.4f = sum of 1 - cos to the centroid "
                        "(mean cos %.4f), %.2f s\n",
                (long long)cfg->k, (long long)n, (long long)dim,
                (long long)res.rounds, res.changed ? "" : "converged: ",
                (long long)res.changed, res.cost,
                1.0 - res.cost / (double)n, seconds);
    kmeans_result_free(&res);
    return failed ? -1 : 0;
}

int cmd_classes(int argc, char **argv)
{
    const char *cmd = argv[0];
    /* threads 0 until given: the help then names the default instead of
     * this machine's count */
    int64_t k = 0, iter = KMEANS_ITER_DEFAULT, seed = 1, threads = 0;
    int json = 0, quiet = 0;
    vec_job job;
    vec_job_init(&job, cmd);
    cli_opt opts[] = {
        {"-vectors", CLI_STRING, &job.vectors, 0, 0,
         "vector file, text or binary, '-' = stdin (required)", "FILE"},
        {"-k", CLI_INT, &k, 1, INT32_MAX, "number of classes (required)",
         "K"},
        {"-classes", CLI_INT, &k, 1, INT32_MAX, "same as -k", "K"},
        {"-output", CLI_STRING, &job.output, 0, 0,
         "'word class' lines, in the file's order (default stdout)", "FILE"},
        {"-kmeans-iter", CLI_INT, &iter, 1, 1000000,
         "k-means rounds at most; stops earlier when nothing changes", "N"},
        {"-seed", CLI_INT, &seed, 0, 9.2e18,
         "random seed of the k-means++ seeding", "N"},
        {"-threads", CLI_INT, &threads, 1, 1024,
         "threads, which do not change the result (default: the CPUs this "
         "process may use)", "N"},
        {"-format", CLI_STRING, &job.format, 0, 0, VEC_FORMAT_HELP,
         VEC_FORMAT_ARG},
        {"-limit", CLI_INT, &job.limit, 0, 1e15,
         "cluster only the first N words (0: all)", "N"},
        {"-json", CLI_FLAG, &json, 0, 0, "the summary as one JSON object",
         NULL},
        {"-quiet", CLI_FLAG, &quiet, 0, 0, "no summary", NULL},
        {NULL, CLI_INT, NULL, 0, 0, NULL, NULL},
    };
    int rc = cli_parse_command(
        cmd,
        "usage: w2v classes -vectors FILE -k K [-output FILE] [OPTIONS]\n"
        "Groups the words into K classes by k-means on the cosine of their\n"
        "vectors (k-means++ seeding) and writes 'word class' lines, classes\n"
        "0..K-1, in the order of the file: what `word2vec -classes K` writes.\n"
        "The summary (rounds, cost) goes to stderr.",
        opts, argc - 1, argv + 1, NULL, 0, NULL, NULL);
    if (rc >= 0)
        return rc;
    if (!k)
        return cli_usage_error(cmd, "-k is required");
    if (!threads)
        threads = w2v_allotted_cpus();
    cli_warn_threads(cmd, threads);
    w2v_err err;
    const kernel *kern = cli_kernel(NULL, &err);
    if (!kern)
        return cli_runtime_error(cmd, err.msg);
    FILE *out = vec_job_output(&job);
    if (!out)
        return vec_job_finish(&job, EXIT_RUNTIME);
    if ((rc = vec_job_load(&job, 0)) >= 0)
        return vec_job_finish(&job, rc);
    const vectors *v = &job.v;
    if (k > v->n) {
        snprintf(err.msg, sizeof err.msg,
                 "-k %lld is more than the %lld words of %s", (long long)k,
                 (long long)v->n, job.vectors);
        return vec_job_finish(&job, cli_usage_error(cmd, err.msg));
    }
    kmeans_config cfg = {k, iter, (uint64_t)seed, (int)threads};
    rc = write_classes(out, job.output ? job.output : "standard output",
                       (const char *const *)v->words, v->data, v->n, v->dim,
                       v->stride, &cfg, kern, quiet, json, &err)
             ? cli_runtime_error(cmd, err.msg)
             : EXIT_OK;
    return vec_job_finish(&job, rc);
}
