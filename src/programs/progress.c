/* progress.c - the training progress line (progress.h). */
#include "progress.h"

#include <stdio.h>
#include <unistd.h>

/* h:mm:ss, or m:ss under an hour. */
static void fmt_duration(char *buf, size_t n, double s)
{
    long t = s > 0 && s < 1e9 ? (long)(s + 0.5) : 0;
    if (t >= 3600)
        snprintf(buf, n, "%ld:%02ld:%02ld", t / 3600, t / 60 % 60, t % 60);
    else
        snprintf(buf, n, "%ld:%02ld", t / 60, t % 60);
}

void progress_init(progress_display *p, double *interval)
{
    p->tty = isatty(STDERR_FILENO);
    p->drawn = 0;
    *interval = p->tty ? PROGRESS_TTY_SECONDS : PROGRESS_LOG_SECONDS;
}

void progress_show(const train_stats *s, void *ctx)
{
    progress_display *p = ctx;
    double frac = s->words_total > 0 ? (double)s->words_done / s->words_total : 0;
    double wps = s->elapsed > 0 ? s->words_done / s->elapsed : 0;
    char el[32], eta[32];
    fmt_duration(el, sizeof el, s->elapsed);
    fmt_duration(eta, sizeof eta,
                 frac > 0 ? s->elapsed * (1.0 - frac) / frac : 0);
    fprintf(stderr, "%s%5.1f%%  alpha %.6f  %7.1fk words/s/thread  "
                    "elapsed %s  eta %s  loss %.4f%s",
            p->tty ? "\r" : "", 100.0 * frac, s->alpha,
            wps / (double)s->threads / 1000.0, el, eta, s->loss,
            p->tty ? "\033[K" : "\n");
    p->drawn = p->tty;
}

void progress_end(progress_display *p)
{
    if (p->drawn)
        fputc('\n', stderr);
    p->drawn = 0;
}
