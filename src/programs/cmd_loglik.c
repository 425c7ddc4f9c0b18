/* cmd_loglik.c - `w2v eval loglik`: held-out log-likelihood of a model. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "kernel.h"
#include "loglik.h"
#include "vectors.h"

static const char *const about =
    "usage: w2v eval loglik -vectors IN -context-vectors OUT -input TEXT "
    "[-window 5]\n"
    "Exact average held-out log-likelihood log p(c|w) of the full-softmax\n"
    "model p(c|w) = exp(u_c.v_w) / sum_j exp(u_j.v_w) (natural log), over\n"
    "every (center, context) pair within -window of each other in TEXT (no\n"
    "random shrink, no subsampling; words not in the vocabulary are left\n"
    "out and counted), and the average negative-sampling loss with\n"
    "-negative noise words from TEXT's unigram counts^0.75 for comparison.\n"
    "IN and OUT are the -output and -save-context files of one training run.";

int cmd_eval_loglik(int argc, char **argv)
{
    const char *in_path = NULL, *out_path = NULL, *text = NULL;
    const char *kernel_name = NULL;
    int64_t window = 5, negative = 5, seed = 1;
    int json = 0;
    cli_opt opts[] = {
        {"-vectors", CLI_STRING, &in_path, 0, 0,
         "word (input) vectors, the -output of train (required)"},
        {"-context-vectors", CLI_STRING, &out_path, 0, 0,
         "context (output) vectors, the -save-context of train (required)"},
        {"-input", CLI_STRING, &text, 0, 0, "held-out text (required)"},
        {"-window", CLI_INT, &window, 1, 1000, "context words on each side"},
        {"-negative", CLI_INT, &negative, 0, 1000,
         "noise words per pair for the NS loss"},
        {"-seed", CLI_INT, &seed, 0, 9.2e18, "seed of the noise draws"},
        {"-kernel", CLI_STRING, &kernel_name, 0, 0,
         "kernel body: auto, scalar, avx2, avx512"},
        {"-json", CLI_FLAG, &json, 0, 0, "print the results as JSON"},
        {NULL, CLI_INT, NULL, 0, 0, NULL},
    };
    w2v_err err;
    int rc = cli_parse(opts, argc - 1, argv + 1, NULL, 0, NULL, &err);
    if (rc == 1) {
        printf("%s\n\noptions:\n", about);
        cli_print_options(stdout, opts);
        return EXIT_OK;
    }
    if (rc < 0)
        return cli_usage_error("eval loglik", err.msg);
    if (!in_path || !out_path || !text)
        return cli_usage_error("eval loglik", "-vectors, -context-vectors and -input are "
                           "required");
    const kernel *k = cli_kernel(kernel_name, &err);
    if (!k)
        return cli_usage_error("eval loglik", err.msg);

    vectors in, out;
    memset(&in, 0, sizeof in);
    memset(&out, 0, sizeof out);
    corpus c = {.fd = -1};
    loglik_result r;
    int status = EXIT_RUNTIME;
    if (vectors_load(in_path, VEC_AUTO, 0, &in, &err) ||
        vectors_load(out_path, VEC_AUTO, 0, &out, &err) ||
        corpus_open(&c, text, cli_spool_dir(), &err) ||
        loglik_eval(&in, &out, &c, window, negative, (uint64_t)seed, k, &r,
                    &err)) {
        fprintf(stderr, "w2v eval loglik: %s\n", err.msg);
        goto done;
    }
    if (json)
        printf("{\"pairs\": %lld, \"tokens\": %lld, \"skipped\": %lld, "
               "\"window\": %lld, \"loglik\": %.9g, \"negative\": %lld, "
               "\"ns_loss\": %.9g}\n",
               (long long)r.pairs, (long long)r.tokens, (long long)r.skipped,
               (long long)window, r.loglik, (long long)negative, r.ns_loss);
    else
        printf("pairs %lld (window %lld), words %lld, out of vocabulary "
               "%lld\n"
               "softmax log-likelihood per pair  %.6f  (perplexity %.2f)\n"
               "ns loss per pair (k = %lld)       %.6f\n",
               (long long)r.pairs, (long long)window, (long long)r.tokens,
               (long long)r.skipped, r.loglik, exp(-r.loglik),
               (long long)negative, r.ns_loss);
    status = fflush(stdout) == 0 && !ferror(stdout) ? EXIT_OK : EXIT_RUNTIME;
    if (status != EXIT_OK)
        fprintf(stderr, "w2v eval loglik: cannot write the results\n");
done:
    corpus_close(&c);
    vectors_free(&in);
    vectors_free(&out);
    return status;
}
