/* w2v.h - common definitions shared by every module of w2v.
 *
 * Error convention (liblinear style): library functions never print and never
 * exit.  A function that can fail returns 0 on success and -1 on failure, and
 * on failure fills a caller-provided w2v_err with one line of text that names
 * the file and the problem.  The program side prints it once and picks the
 * exit code. */
#ifndef W2V_H
#define W2V_H

#include <stddef.h>
#include <stdint.h>

#define W2V_VERSION "0.1.0"

/* Rows of the embedding matrices start on this boundary (bytes). */
#define W2V_ALIGN 64

/* Longest word kept, in bytes; longer words are cut at a UTF-8 boundary. */
#define W2V_MAX_WORD 100

typedef struct w2v_err {
    char msg[512];
} w2v_err;

/* Formats the message into err (may be NULL) and returns -1. */
int w2v_fail(w2v_err *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Like w2v_fail, appending ": strerror(errno)" for the current errno. */
int w2v_fail_errno(w2v_err *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Allocation that reports failure through err; NULL on failure.
 * w2v_alloc_aligned returns W2V_ALIGN-aligned memory, freed with free().
 * w2v_alloc_huge is for large arrays read at random (the embedding
 * matrices): at least `size` bytes, aligned to W2V_HUGE_PAGE and, when
 * that large, marked for transparent huge pages, so that a random row
 * rarely misses the TLB; also freed with free(). */
void *w2v_malloc(size_t size, w2v_err *err);
void *w2v_calloc(size_t n, size_t size, w2v_err *err);
void *w2v_alloc_aligned(size_t size, w2v_err *err);
void *w2v_alloc_huge(size_t size, w2v_err *err);
#define W2V_HUGE_PAGE ((size_t)2 << 20)

/* Floats in a row of length dim padded to a multiple of W2V_ALIGN bytes. */
static inline int64_t w2v_row_stride(int64_t dim)
{
    int64_t per = W2V_ALIGN / (int64_t)sizeof(float);
    return (dim + per - 1) / per * per;
}

/* The number of CPUs this process may use (at least 1): the CPUs of its
 * affinity mask (sched_getaffinity: what taskset, SLURM and cgroup cpusets
 * allow), lowered to a cgroup CPU quota when one is set (cgroup v2
 * cpu.max, or v1 cpu.cfs_quota_us / cpu.cfs_period_us, of this process's
 * cgroup and its ancestors; rounded up).  Reads /proc and /sys only. */
int w2v_allotted_cpus(void);

/* The CPUs allowed by a cgroup quota written as in cgroup v2's cpu.max:
 * "QUOTA PERIOD" (microseconds) gives ceil(QUOTA / PERIOD), at least 1;
 * "max PERIOD", a negative QUOTA (cgroup v1's -1) or text that is not two
 * such numbers gives 0, meaning no limit. */
int w2v_cpu_quota_cpus(const char *cpu_max);

/* The memory this process may use, in bytes: the physical memory, lowered
 * to the cgroup memory limit when one is set (cgroup v2 memory.max, or v1
 * memory.limit_in_bytes, of this process's cgroup and its ancestors) and to
 * the address-space limit (RLIMIT_AS, ulimit -v).  0 when none of them can
 * be read.  Reads /proc and /sys only. */
int64_t w2v_memory_bytes(void);

/* The bytes a cgroup memory limit allows, written as in cgroup v2's
 * memory.max or v1's memory.limit_in_bytes: a positive number of bytes;
 * "max" or anything else gives 0, meaning no limit. */
int64_t w2v_memory_limit_bytes(const char *text);

/* Monotonic wall clock in seconds. */
double w2v_now(void);

#endif
