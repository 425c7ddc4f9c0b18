/* main.c - subcommand dispatch. */
#include <stdio.h>
#include <string.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include "commands.h"
#include "w2v.h"

static const struct {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *what;
} commands[] = {
    {"train", cmd_train, "train word vectors on a text corpus"},
    {"vocab", cmd_vocab, "count a corpus and write its vocabulary"},
    {"similar", cmd_similar, "nearest neighbours of words (cosine)"},
    {"analogy", cmd_analogy, "A is to B as C is to ?"},
    {"eval", cmd_eval, "evaluate vectors: analogy, similarity"},
    {"convert", cmd_convert, "convert vectors between text and binary"},
    {"phrases", cmd_phrases, "join frequent word pairs into phrases"},
    {"classes", cmd_classes, "k-means word classes from vectors"},
};

static void usage(FILE *fp)
{
    fprintf(fp, "usage: w2v COMMAND [OPTIONS]\n\ncommands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(fp, "  %-9s %s\n", commands[i].name, commands[i].what);
    fprintf(fp, "\n'w2v COMMAND --help' describes a command's options; "
                "'w2v --version' prints the version.\n");
}

int main(int argc, char **argv)
{
#if defined(__GLIBC__)
    /* One malloc arena: the counting threads' freed tables then go back to
     * the system (malloc_trim) before the matrices are allocated, instead of
     * staying resident in per-thread arenas.  No hot loop allocates. */
    mallopt(M_ARENA_MAX, 1);
#endif
    if (argc < 2) {
        usage(stderr);
        return EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
        usage(stdout);
        return EXIT_OK;
    }
    if (!strcmp(cmd, "--version") || !strcmp(cmd, "-version")) {
        printf("w2v %s\n", W2V_VERSION);
        return EXIT_OK;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (!strcmp(cmd, commands[i].name))
            return commands[i].run(argc - 1, argv + 1);
    fprintf(stderr, "w2v: unknown command '%s'\n", cmd);
    fprintf(stderr, "Try 'w2v --help'.\n");
    return EXIT_USAGE;
}
