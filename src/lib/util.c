/* util.c - errors, checked allocation, clock. */
#include "w2v.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

int w2v_fail(w2v_err *err, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
    }
    return -1;
}

int w2v_fail_errno(w2v_err *err, const char *fmt, ...)
{
    int saved = errno;
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        int n = vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
        if (n >= 0 && (size_t)n < sizeof err->msg)
            snprintf(err->msg + n, sizeof err->msg - (size_t)n, ": %s",
                     strerror(saved));
    }
    errno = saved;
    return -1;
}

void *w2v_malloc(size_t size, w2v_err *err)
{
    void *p = malloc(size ? size : 1);
    if (!p)
        w2v_fail(err, "out of memory (%zu bytes)", size);
    return p;
}

void *w2v_calloc(size_t n, size_t size, w2v_err *err)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p)
        w2v_fail(err, "out of memory (%zu x %zu bytes)", n, size);
    return p;
}

void *w2v_alloc_aligned(size_t size, w2v_err *err)
{
    size_t rounded = (size + W2V_ALIGN - 1) / W2V_ALIGN * W2V_ALIGN;
    void *p = aligned_alloc(W2V_ALIGN, rounded ? rounded : W2V_ALIGN);
    if (!p)
        w2v_fail(err, "out of memory (%zu bytes)", size);
    return p;
}

double w2v_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

int w2v_online_cpus(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 && n < 4096 ? (int)n : 1;
}
