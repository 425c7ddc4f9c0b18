/* pathcheck.h - the command lines that would destroy data, refused before
 * any work: an output that is also an input or another output, and binary
 * vectors for a terminal. */
#ifndef W2V_PATHCHECK_H
#define W2V_PATHCHECK_H

#include "w2v.h"

/* One file argument of a command. */
typedef struct path_use {
    const char *flag; /* "-output", for messages */
    const char *path; /* NULL when not given; "-" is standard input for a
                         path that is read, standard output for one that
                         is written */
    int writes;       /* 1 for an output */
} path_use;

/* Fails, with a message naming both flags, when a path written is the same
 * file as any other path of uses[0..n).  Two paths are the same file when
 * they have the same device and inode (so "c.txt", "./c.txt", a symbolic
 * link to it and a hard link of it all match; "-" has the inode of the
 * file or pipe standard input / output is redirected from / to), or, for
 * paths that do not exist yet, the same absolute path once "." and "..",
 * repeated slashes and symbolic links are resolved.  Two outputs "-"
 * always clash.  A character device (/dev/null) never clashes. */
int paths_check_distinct(const path_use *uses, int n, w2v_err *err);

/* Fails, naming flag, when binary data would go to a terminal: path is
 * "-" and standard output is one. */
int paths_check_binary_output(const char *flag, const char *path,
                              w2v_err *err);

#endif
