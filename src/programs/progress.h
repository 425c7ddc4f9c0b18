/* progress.h - progress on stderr: training, and the copy of standard input
 * (or of a decompressor's output) to the spool file.
 *
 * On a terminal one line is redrawn in place ("\r", the line, then "erase
 * to the end of the line"), every PROGRESS_TTY_SECONDS; it is cut to fit
 * the terminal's width, read at every redraw (TIOCGWINSZ), shortening and
 * then dropping the less important fields.  Anywhere else - a log file, a
 * pipe, or a terminal whose TERM is "dumb", which cannot erase a line - a
 * new line is printed every PROGRESS_LOG_SECONDS, starting with the UTC
 * time (2026-12-01T23:59:59Z), so a job's log can be read afterwards. */
#ifndef W2V_PROGRESS_H
#define W2V_PROGRESS_H

#include <stddef.h>
#include <stdint.h>

#include "train.h"

typedef struct progress_display {
    int redraw;       /* a terminal that can redraw a line in place */
    int drawn;        /* a line is on screen without its newline */
    int64_t iter;     /* epochs of the run, for "epoch 2/5" */
    const char *what; /* the spool display: what is being read */
} progress_display;

/* Seconds between reports on a terminal and in a log. */
#define PROGRESS_TTY_SECONDS 0.5
#define PROGRESS_LOG_SECONDS 5.0

/* Prepares the display of a run of `iter` epochs for stderr; *interval
 * gets the report interval. */
void progress_init(progress_display *p, int64_t iter, double *interval);

/* Draws one report (a train_monitor progress callback; ctx is the
 * progress_display). */
void progress_show(const train_stats *s, void *ctx);

/* Ends a line left open on a terminal. */
void progress_end(progress_display *p);

/* The training report in at most width - 1 bytes of buf (so that a
 * terminal of that width never wraps it; width <= 0: no limit), without
 * the "\r" or the timestamp.  Returns its length. */
size_t progress_format(char *buf, size_t size, const train_stats *s,
                       int64_t iter, int width);

/* Prepares the spool display: `what` names the input ("standard input"). */
void progress_spool_init(progress_display *p, const char *what,
                         double *interval);

/* Draws "what: N bytes, R/s" (a corpus_spool_monitor callback; ctx is the
 * progress_display). */
void progress_spool_show(int64_t bytes, double seconds, void *ctx);

/* "1.83M", "915k", "999": three significant digits and k, M, G or T. */
void progress_si(char *buf, size_t size, double v);

#endif
