/* main.c - subcommand dispatch. */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include "cluster.h"
#include "commands.h"
#include "w2v.h"

#include "cli.h"

static const struct {
    const char *name;
    int (*run)(int argc, char **argv);
} commands[] = {
    {"train", cmd_train},     {"vocab", cmd_vocab},
    {"similar", cmd_similar}, {"analogy", cmd_analogy},
    {"eval", cmd_eval},       {"convert", cmd_convert},
    {"phrases", cmd_phrases}, {"classes", cmd_classes},
};
enum { N_COMMANDS = sizeof commands / sizeof commands[0] };

/* What `w2v --help` lists: every command, eval's kinds one by one. */
static const struct {
    const char *name, *what;
} listed[] = {
    {"train", "train word vectors on a text corpus"},
    {"vocab", "count a corpus and write its vocabulary"},
    {"similar", "nearest neighbours of words (cosine)"},
    {"analogy", "A is to B as C is to ?"},
    {"eval analogy", "accuracy on analogy questions (questions-words.txt)"},
    {"eval similarity", "Spearman correlation with word-pair scores"},
    {"eval loglik", "held-out log-likelihood of a model (softmax, ns)"},
    {"convert", "convert vectors between text and binary"},
    {"phrases", "join frequent word pairs into phrases"},
    {"classes", "k-means word classes from vectors"},
};

static void usage(FILE *fp)
{
    fprintf(fp, "usage: w2v COMMAND [OPTIONS]\n\ncommands:\n");
    for (size_t i = 0; i < sizeof listed / sizeof listed[0]; i++)
        fprintf(fp, "  %-16s %s\n", listed[i].name, listed[i].what);
    fprintf(fp, "\n'w2v help COMMAND' (or 'w2v COMMAND --help') describes a "
                "command's options;\n'w2v --version' prints the version; "
                "'man w2v' has the manual.\n");
}

/* The command named cmd, or NULL after printing the usage error (with a
 * suggestion when a command's name is close). */
static int (*find_command(const char *cmd))(int, char **)
{
    for (size_t i = 0; i < N_COMMANDS; i++)
        if (!strcmp(cmd, commands[i].name))
            return commands[i].run;
    const char *names[N_COMMANDS];
    for (size_t i = 0; i < N_COMMANDS; i++)
        names[i] = commands[i].name;
    char hint[128];
    cli_suggest(cmd, names, N_COMMANDS, "'", hint, sizeof hint);
    fprintf(stderr, "w2v: unknown command '%s'%s\n", cmd, hint);
    fprintf(stderr, "Try 'w2v --help'.\n");
    return NULL;
}

/* `w2v help [COMMAND [KIND]]`: the command's own help. */
static int help(int argc, char **argv)
{
    if (argc < 1) {
        usage(stdout);
        return EXIT_OK;
    }
    int (*run)(int, char **) = find_command(argv[0]);
    if (!run)
        return EXIT_USAGE;
    char help_flag[] = "--help";
    char *args[3] = {argv[0], argc > 1 ? argv[1] : help_flag, help_flag};
    return run(argc > 1 ? 3 : 2, args);
}

int main(int argc, char **argv)
{
#if defined(__GLIBC__)
    /* One malloc arena: the counting threads' freed tables then go back to
     * the system (malloc_trim) before the matrices are allocated, instead of
     * staying resident in per-thread arenas.  No hot loop allocates. */
    mallopt(M_ARENA_MAX, 1);
#endif
    /* A file-size limit (ulimit -f, a batch system's) then makes a write
     * fail with EFBIG, reported with the file's name and no partial output,
     * instead of killing the process. */
    signal(SIGXFSZ, SIG_IGN);
    if (argc < 2) {
        usage(stderr);
        return EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h")) {
        usage(stdout);
        return EXIT_OK;
    }
    if (!strcmp(cmd, "help"))
        return help(argc - 2, argv + 2);
    if (!strcmp(cmd, "--version") || !strcmp(cmd, "-version")) {
        printf("w2v %s\n%s\n", W2V_VERSION, cluster_description());
        return EXIT_OK;
    }
    int (*run)(int, char **) = find_command(cmd);
    return run ? run(argc - 1, argv + 1) : EXIT_USAGE;
}
