/* cmd_query.c - placeholder until the query/eval subcommands land. */
#include <stdio.h>

#include "commands.h"

static int not_yet(const char *name)
{
    fprintf(stderr, "w2v %s: not implemented yet\n", name);
    return EXIT_RUNTIME;
}

int cmd_similar(int argc, char **argv) { (void)argc; return not_yet(argv[0]); }
int cmd_analogy(int argc, char **argv) { (void)argc; return not_yet(argv[0]); }
int cmd_eval(int argc, char **argv) { (void)argc; return not_yet(argv[0]); }
int cmd_convert(int argc, char **argv) { (void)argc; return not_yet(argv[0]); }
