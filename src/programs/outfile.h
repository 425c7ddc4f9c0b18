/* outfile.h - output files that are never left half-written.
 *
 * A regular file (or a path that does not exist yet) is written to a
 * temporary file in the same directory and renamed over the target only by
 * outfile_commit(), after an fsync; the directory is synced after the
 * rename.  "-" means standard output.  An existing path that is not
 * a regular file (a character device such as /dev/null or /dev/full, a FIFO)
 * is written directly: nothing is ever renamed over it. */
#ifndef W2V_OUTFILE_H
#define W2V_OUTFILE_H

#include <stdio.h>

#include "w2v.h"

typedef struct outfile {
    FILE *fp;
    char *path;     /* the target, as given */
    char *tmp_path; /* the temporary file, NULL when written directly */
} outfile;

/* Opens path for writing (see above).  Fails when the directory does not
 * exist or is not writable, before anything is computed.  On failure *o is
 * left closed. */
int outfile_open(outfile *o, const char *path, w2v_err *err);

/* Flushes and closes, checking every error (a full disk is an error), then
 * renames the temporary file over the target.  On failure the temporary file
 * is removed and the target is untouched. */
int outfile_commit(outfile *o, w2v_err *err);

/* Closes and removes the temporary file, leaving the target untouched.
 * Safe on a closed or zeroed outfile. */
void outfile_abort(outfile *o);

/* Removes every temporary file still open.  Only async-signal-safe calls:
 * meant for a signal handler, which then re-raises the signal. */
void outfile_remove_all_tmp(void);

#endif
