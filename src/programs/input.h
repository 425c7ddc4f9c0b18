/* input.h - the corpus of a command (train, vocab, eval loglik), opened
 * with what only the program may do: a compressed file (gzip, bzip2, xz,
 * zstd, told by its magic bytes) is decompressed by the system's own tool
 * ("xz -dc -- FILE") in a child process, as GNU tar does, and its output
 * spooled like standard input; spooling shows its progress on stderr. */
#ifndef W2V_INPUT_H
#define W2V_INPUT_H

#include "corpus.h"

typedef struct input_options {
    const char *cmd; /* the command, for the hint in messages: "train" */
    int progress;    /* show the progress of spooling */
    int verbose;     /* say on stderr when a decompressor is run */
} input_options;

/* Opens path ("-" = standard input) into c, spooling to cli_spool_dir().
 * Fails, with a message naming the file, as corpus_open does, and when a
 * compressed file's tool is missing or fails (its own message goes to
 * stderr too); compressed standard input is refused with the pipeline to
 * use instead. */
int input_open(corpus *c, const char *path, const input_options *opt,
               w2v_err *err);

#endif
