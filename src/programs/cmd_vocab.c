/* cmd_vocab.c - the `w2v vocab` command: the counting pass alone. */
#include <stdio.h>

#include "cli.h"
#include "commands.h"
#include "counting.h"
#include "input.h"
#include "outfile.h"
#include "pathcheck.h"
#include "train.h"

static const char vocab_usage[] =
    "usage: w2v vocab -input CORPUS -output VOCAB [OPTIONS]\n"
    "Counts a corpus and writes 'word count' lines in frequency order\n"
    "(the -save-vocab format).  '-' means standard input / output.";

int cmd_vocab(int argc, char **argv)
{
    train_config defaults; /* the counting defaults of `w2v train` */
    train_config_defaults(&defaults);
    const char *input = NULL, *output = NULL;
    int64_t min_count = defaults.min_count, max_vocab = defaults.max_vocab;
    int64_t max_final_vocab = defaults.max_final_vocab;
    int64_t threads = 0; /* until given: the help names the default */
    const cli_opt opts[] = {
        {"-input", CLI_STRING, &input, 0, 0, "corpus, '-' = stdin (required)",
         "FILE"},
        {"-train", CLI_STRING, &input, 0, 0, "same as -input", "FILE"},
        {"-output", CLI_STRING, &output, 0, 0,
         "vocabulary file, '-' = stdout (required)", "FILE"},
        {"-min-count", CLI_INT, &min_count, 0, 1e18, "drop rarer words", "N"},
        {"-max-vocab", CLI_INT, &max_vocab, 0, 2e9,
         "count in bounded memory, keeping this many words, 0 = no limit",
         "N"},
        {"-max-final-vocab", CLI_INT, &max_final_vocab, 0, 2e9,
         "keep at most this many words, raising -min-count, 0 = off", "N"},
        {"-threads", CLI_INT, &threads, 1, 1024,
         "counting threads (default: the CPUs this process may use)", "N"},
        {NULL, 0, NULL, 0, 0, NULL, NULL},
    };
    int rc = cli_parse_command("vocab", vocab_usage, opts, argc - 1, argv + 1,
                               NULL, 0, NULL, NULL);
    if (rc >= 0)
        return rc;
    if (threads == 0)
        threads = defaults.threads;
    w2v_err err = {""};
    if (!input || !output)
        return cli_usage_error("vocab", "-input and -output are required");
    const path_use uses[] = {{"-input", input, 0}, {"-output", output, 1}};
    if (paths_check_distinct(uses, 2, &err))
        return cli_usage_error("vocab", err.msg);
    cli_warn_threads("vocab", threads);

    cli_remove_outputs_on_signal();
    outfile out = {0};
    corpus c = {.fd = -1};
    vocab v = {0};
    input_options in = {"vocab", 1, 0};
    int status = EXIT_RUNTIME;
    if (outfile_open(&out, output, &err) ||
        input_open(&c, input, &in, &err) ||
        vocab_init(&v, &err) ||
        count_vocabulary(input, &c, &v, max_vocab, (int)threads, 0, &err) < 0 ||
        finalize_vocabulary(&v, min_count, max_final_vocab, &err) ||
        vocab_save(&v, out.fp, output, &err) || outfile_commit(&out, &err))
        cli_runtime_error("vocab", err.msg);
    else
        status = EXIT_OK;
    outfile_abort(&out);
    vocab_free(&v);
    corpus_close(&c);
    return status;
}
