/* commands.h - the subcommands of the w2v program.  Each takes its own
 * arguments (argv[0] is the subcommand name) and returns the process exit
 * status: 0 success, 1 runtime error, 2 usage error.  These are the program
 * side: they print, the library modules they call do not. */
#ifndef W2V_COMMANDS_H
#define W2V_COMMANDS_H

/* Exit statuses shared by all subcommands. */
enum { EXIT_OK = 0, EXIT_RUNTIME = 1, EXIT_USAGE = 2 };

int cmd_train(int argc, char **argv);    /* cmd_train.c */
int cmd_vocab(int argc, char **argv);    /* cmd_vocab.c */
int cmd_similar(int argc, char **argv);  /* cmd_similar.c */
int cmd_analogy(int argc, char **argv);  /* cmd_similar.c */
int cmd_eval(int argc, char **argv);     /* cmd_eval.c: analogy, similarity,
                                            loglik */
int cmd_convert(int argc, char **argv);  /* cmd_convert.c */
int cmd_phrases(int argc, char **argv);  /* cmd_phrases.c */
int cmd_classes(int argc, char **argv);  /* cmd_classes.c */

#endif
