/* progress.h - the training progress line on stderr: redrawn in place on a
 * terminal, one line per report otherwise. */
#ifndef W2V_PROGRESS_H
#define W2V_PROGRESS_H

#include "train.h"

typedef struct progress_display {
    int tty;   /* stderr is a terminal */
    int drawn; /* a line is on screen without its newline */
} progress_display;

/* Seconds between reports on a terminal and in a log. */
#define PROGRESS_TTY_SECONDS 0.5
#define PROGRESS_LOG_SECONDS 5.0

/* Prepares the display for stderr; *interval gets the report interval. */
void progress_init(progress_display *p, double *interval);

/* Draws one report (a train_monitor progress callback; ctx is the
 * progress_display). */
void progress_show(const train_stats *s, void *ctx);

/* Ends a line left open on a terminal. */
void progress_end(progress_display *p);

#endif
