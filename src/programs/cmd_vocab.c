/* cmd_vocab.c - the `w2v vocab` command: the counting pass alone. */
#include <stdio.h>

#include "cli.h"
#include "commands.h"
#include "counting.h"
#include "outfile.h"
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
    int64_t threads = defaults.threads;
    const cli_opt opts[] = {
        {"-input", CLI_STRING, &input, 0, 0, "corpus, '-' = stdin"},
        {"-train", CLI_STRING, &input, 0, 0, "same as -input"},
        {"-output", CLI_STRING, &output, 0, 0, "vocabulary file, '-' = stdout"},
        {"-min-count", CLI_INT, &min_count, 0, 1e18, "drop rarer words"},
        {"-max-vocab", CLI_INT, &max_vocab, 0, 2e9,
         "count in bounded memory, keeping this many words, 0 = no limit"},
        {"-max-final-vocab", CLI_INT, &max_final_vocab, 0, 2e9,
         "keep at most this many words, raising -min-count, 0 = off"},
        {"-threads", CLI_INT, &threads, 1, 1024, "counting threads"},
        {NULL, 0, NULL, 0, 0, NULL},
    };
    int rc = cli_parse_command("vocab", vocab_usage, opts, argc - 1, argv + 1,
                               NULL, 0, NULL);
    if (rc >= 0)
        return rc;
    w2v_err err = {""};
    if (!input || !output)
        return cli_usage_error("vocab", "-input and -output are required");

    cli_remove_outputs_on_signal();
    outfile out = {0};
    corpus c = {.fd = -1};
    vocab v = {0};
    int status = EXIT_RUNTIME;
    if (outfile_open(&out, output, &err) ||
        corpus_open(&c, input, cli_spool_dir(), &err) ||
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
