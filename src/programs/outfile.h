/* outfile.h - output files that are never left half-written.
 *
 * A regular file (or a path that does not exist yet) is written to a
 * temporary file and renamed over the target only by outfile_commit(),
 * after an fsync; the folder is synced after the rename.
 * The target is the path with its symbolic links followed: a link stays a
 * link and its target gets the new contents.  The temporary file lies in
 * the target's folder and is named ".BASE.w2v-tmp.XXXXXX" (BASE: the
 * target's file name), so that a file left by a killed run says what it
 * is.  Its writer holds an exclusive flock(2) on it for as long as it
 * lives; outfile_open() removes the temporary files of the same target
 * that nobody holds (stale ones, of runs that died).  An existing target
 * keeps its permission bits.
 *
 * "-" means standard output.  An existing path that is not a regular file
 * (a character device such as /dev/null or /dev/full, a FIFO) is written
 * directly: nothing is ever renamed over it. */
#ifndef W2V_OUTFILE_H
#define W2V_OUTFILE_H

#include <stdio.h>

#include "w2v.h"

/* What the name of a temporary file has between ".BASE" and the suffix. */
#define OUTFILE_TMP_TAG ".w2v-tmp."

typedef struct outfile {
    FILE *fp;
    char *path;     /* the output, as given */
    char *target;   /* the file replaced at commit: path with its links
                       followed; NULL when written directly */
    char *tmp_path; /* the temporary file, NULL when written directly */
    int stale_removed; /* stale temporary files removed by outfile_open */
} outfile;

/* Opens path for writing (see above).  Fails when the directory does not
 * exist or is not writable, before anything is computed.  On failure *o is
 * left closed. */
int outfile_open(outfile *o, const char *path, w2v_err *err);

/* Flushes, syncs and renames the temporary file over the target (while
 * its lock is held), then closes, checking every error (a full disk is an
 * error).  On failure the temporary file is removed and the target is
 * untouched. */
int outfile_commit(outfile *o, w2v_err *err);

/* Closes and removes the temporary file, leaving the target untouched.
 * Safe on a closed or zeroed outfile. */
void outfile_abort(outfile *o);

/* Removes every temporary file still open.  Only async-signal-safe calls:
 * meant for a signal handler, which then re-raises the signal. */
void outfile_remove_all_tmp(void);

/* The file that writing path replaces: path with every symbolic link of
 * its last component followed (a relative link is read from the link's
 * folder); path itself when it is no link.  The target need not exist.
 * Returns a string to free, or NULL (a loop of links, no memory). */
char *outfile_target(const char *path, w2v_err *err);

#endif
