/* progress.c - the progress lines (progress.h). */
#include "progress.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

/* The width assumed when a terminal does not tell its own. */
#define DEFAULT_WIDTH 80

/* h:mm:ss, or m:ss under an hour, in whole seconds: rounded up for an ETA;
 * else the whole seconds of the value as the summary prints it ("%.2f s":
 * 1.996 s is "2.00 s" there and 0:02 here). */
static void fmt_duration(char *buf, size_t n, double s, int round_up)
{
    long t = 0;
    if (s > 0 && s < 1e9)
        t = round_up ? (long)s + ((double)(long)s < s) : (long)(s + 0.005);
    if (t >= 3600)
        snprintf(buf, n, "%ld:%02ld:%02ld", t / 3600, t / 60 % 60, t % 60);
    else
        snprintf(buf, n, "%ld:%02ld", t / 60, t % 60);
}

void progress_si(char *buf, size_t size, double v)
{
    static const char units[] = "kMGT";
    int u = -1;
    while (u < 3 && (v >= 999.5 || v <= -999.5)) {
        v /= 1000.0;
        u++;
    }
    char unit[2] = {u >= 0 ? units[u] : '\0', '\0'};
    double mag = v < 0 ? -v : v;
    if (u < 0 || mag >= 99.95)
        snprintf(buf, size, "%.0f%s", v, unit);
    else if (mag >= 9.995)
        snprintf(buf, size, "%.1f%s", v, unit);
    else
        snprintf(buf, size, "%.2f%s", v, unit);
}

/* The fields of the training line, in the order they are shown. */
enum {
    F_EPOCH, F_PERCENT, F_SPEED, F_THREAD, F_ALPHA, F_LOSS, F_ELAPSED, F_ETA,
    N_FIELDS
};
enum { FORM_LONG, FORM_SHORT, FORM_HIDDEN };

/* How a line too wide for the terminal is shortened, one step at a time:
 * a field takes its short form or is hidden; from the step marked -1 on,
 * fields are separated by one space instead of two.  The percentage is
 * never hidden (it is cut last, with the rest of the line). */
static const struct {
    int field, form;
} shorten_steps[] = {
    {F_THREAD, FORM_HIDDEN}, {F_ALPHA, FORM_SHORT},   {F_LOSS, FORM_SHORT},
    {F_ELAPSED, FORM_SHORT}, {F_SPEED, FORM_SHORT},   {F_EPOCH, FORM_SHORT},
    {-1, 0},                 {F_ALPHA, FORM_HIDDEN},  {F_ELAPSED, FORM_HIDDEN},
    {F_LOSS, FORM_HIDDEN},   {F_EPOCH, FORM_HIDDEN},  {F_ETA, FORM_HIDDEN},
    {F_SPEED, FORM_HIDDEN},
};

#define FIELD_BYTES 64

/* Joins the visible fields into buf; returns the length. */
static size_t join_fields(char *buf, size_t size,
                          char text[N_FIELDS][2][FIELD_BYTES],
                          const int *form, const char *sep)
{
    size_t len = 0;
    buf[0] = '\0';
    for (int f = 0; f < N_FIELDS; f++) {
        if (form[f] == FORM_HIDDEN)
            continue;
        int n = snprintf(buf + len, size - len, "%s%s", len ? sep : "",
                         text[f][form[f]]);
        if (n < 0 || (size_t)n >= size - len)
            return size - 1; /* too long for buf: cut below */
        len += (size_t)n;
    }
    return len;
}

size_t progress_format(char *buf, size_t size, const train_stats *s,
                       int64_t iter, int width)
{
    double frac = s->words_total > 0
                      ? (double)s->words_done / (double)s->words_total : 0.0;
    double wps = s->elapsed > 0 ? (double)s->words_done / s->elapsed : 0.0;
    char text[N_FIELDS][2][FIELD_BYTES], speed[32], per_thread[32];
    char elapsed[32], eta[32];
    progress_si(speed, sizeof speed, wps);
    progress_si(per_thread, sizeof per_thread,
                wps / (double)(s->threads > 0 ? s->threads : 1));
    fmt_duration(elapsed, sizeof elapsed, s->elapsed, 0);
    fmt_duration(eta, sizeof eta,
                 frac > 0 ? s->elapsed * (1.0 - frac) / frac : 0.0, 1);
    snprintf(text[F_EPOCH][0], FIELD_BYTES, "epoch %lld/%lld",
             (long long)s->epoch, (long long)iter);
    snprintf(text[F_EPOCH][1], FIELD_BYTES, "ep %lld/%lld",
             (long long)s->epoch, (long long)iter);
    snprintf(text[F_PERCENT][0], FIELD_BYTES, "%.1f%%", 100.0 * frac);
    snprintf(text[F_SPEED][0], FIELD_BYTES, "%s words/s", speed);
    snprintf(text[F_SPEED][1], FIELD_BYTES, "%s w/s", speed);
    snprintf(text[F_THREAD][0], FIELD_BYTES, "(%s/thread)", per_thread);
    snprintf(text[F_ALPHA][0], FIELD_BYTES, "alpha %.6f", s->alpha);
    snprintf(text[F_ALPHA][1], FIELD_BYTES, "alpha %.4f", s->alpha);
    snprintf(text[F_LOSS][0], FIELD_BYTES, "loss %.4f", s->loss);
    snprintf(text[F_LOSS][1], FIELD_BYTES, "loss %.2f", s->loss);
    snprintf(text[F_ELAPSED][0], FIELD_BYTES, "elapsed %s", elapsed);
    snprintf(text[F_ELAPSED][1], FIELD_BYTES, "%s", elapsed);
    snprintf(text[F_ETA][0], FIELD_BYTES, "eta %s", eta);
    for (int f = 0; f < N_FIELDS; f++)
        if (f == F_PERCENT || f == F_THREAD || f == F_ETA)
            memcpy(text[f][1], text[f][0], FIELD_BYTES);

    size_t limit = size - 1;
    if (width > 0 && (size_t)width - 1 < limit)
        limit = (size_t)width - 1;
    int form[N_FIELDS] = {0};
    const char *sep = "  ";
    size_t steps = sizeof shorten_steps / sizeof shorten_steps[0];
    size_t len = join_fields(buf, size, text, form, sep);
    for (size_t i = 0; i < steps && len > limit; i++) {
        if (shorten_steps[i].field < 0)
            sep = " ";
        else
            form[shorten_steps[i].field] = shorten_steps[i].form;
        len = join_fields(buf, size, text, form, sep);
    }
    if (len > limit) {
        len = limit;
        buf[len] = '\0';
    }
    return len;
}

/* The columns of the terminal on stderr. */
static int terminal_width(void)
{
    struct winsize ws;
    if (ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
        return ws.ws_col;
    return DEFAULT_WIDTH;
}

/* The current UTC time as 2026-12-01T23:59:59Z. */
static void utc_timestamp(char *buf, size_t n)
{
    time_t now = time(NULL);
    struct tm tm;
    if (!gmtime_r(&now, &tm) || !strftime(buf, n, "%Y-%m-%dT%H:%M:%SZ", &tm))
        snprintf(buf, n, "%s", "(time unknown)");
}

/* Prints a report: redrawn in place, or as a timestamped line. */
static void emit(progress_display *p, const char *line)
{
    char out[640];
    if (p->redraw) {
        snprintf(out, sizeof out, "\r%s\033[K", line);
        p->drawn = 1;
    } else {
        char ts[32];
        utc_timestamp(ts, sizeof ts);
        snprintf(out, sizeof out, "%s  %s\n", ts, line);
    }
    fputs(out, stderr); /* one write: stderr is unbuffered */
}

static void display_init(progress_display *p, double *interval)
{
    const char *term = getenv("TERM");
    p->redraw = isatty(STDERR_FILENO) && !(term && strcmp(term, "dumb") == 0);
    p->drawn = 0;
    *interval = p->redraw ? PROGRESS_TTY_SECONDS : PROGRESS_LOG_SECONDS;
}

void progress_init(progress_display *p, int64_t iter, double *interval)
{
    display_init(p, interval);
    p->iter = iter;
    p->what = NULL;
}

void progress_show(const train_stats *s, void *ctx)
{
    progress_display *p = ctx;
    char line[512];
    progress_format(line, sizeof line, s, p->iter,
                    p->redraw ? terminal_width() : 0);
    emit(p, line);
}

void progress_end(progress_display *p)
{
    if (p->drawn)
        fputc('\n', stderr);
    p->drawn = 0;
}

void progress_spool_init(progress_display *p, const char *what,
                         double *interval)
{
    display_init(p, interval);
    p->iter = 0;
    p->what = what;
}

void progress_spool_show(int64_t bytes, double seconds, void *ctx)
{
    progress_display *p = ctx;
    char amount[32], rate[32], line[512];
    progress_si(amount, sizeof amount, (double)bytes);
    progress_si(rate, sizeof rate, seconds > 0 ? (double)bytes / seconds : 0);
    if (p->redraw) {
        /* the numbers are kept whole: `what` is cut when it is too wide */
        char numbers[80];
        int n = snprintf(numbers, sizeof numbers, ": %sB, %sB/s", amount,
                         rate);
        int room = terminal_width() - 1 - n;
        if (room < 0)
            snprintf(line, sizeof line, "%.*s", terminal_width() - 1,
                     numbers + 2);
        else
            snprintf(line, sizeof line, "%.*s%s", room, p->what, numbers);
    } else {
        snprintf(line, sizeof line, "%s: %lld bytes (%sB), %sB/s", p->what,
                 (long long)bytes, amount, rate);
    }
    emit(p, line);
}
