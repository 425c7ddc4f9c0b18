/* util.c - errors, checked allocation, clock, the CPUs and the memory
 * allotted. */
#include "w2v.h"

#include <errno.h>
#include <sched.h>
#include <stdint.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
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

void *w2v_alloc_huge(size_t size, w2v_err *err)
{
    if (size < W2V_HUGE_PAGE)
        return w2v_alloc_aligned(size, err);
    size_t rounded = (size + W2V_HUGE_PAGE - 1) / W2V_HUGE_PAGE * W2V_HUGE_PAGE;
    void *p = rounded >= size ? aligned_alloc(W2V_HUGE_PAGE, rounded) : NULL;
    if (!p) {
        w2v_fail(err, "out of memory (%zu bytes)", size);
        return NULL;
    }
#ifdef MADV_HUGEPAGE
    (void)madvise(p, rounded, MADV_HUGEPAGE); /* a hint: failing is harmless */
#endif
    return p;
}

double w2v_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

int w2v_cpu_quota_cpus(const char *cpu_max)
{
    const char *p = cpu_max;
    while (*p == ' ' || *p == '\t')
        p++;
    if (*p != '-' && (*p < '0' || *p > '9'))
        return 0; /* "max", or not a number */
    char *end;
    errno = 0;
    long long quota = strtoll(p, &end, 10);
    if (errno || (*end != ' ' && *end != '\t'))
        return 0;
    p = end;
    while (*p == ' ' || *p == '\t')
        p++;
    if (*p < '0' || *p > '9')
        return 0;
    long long period = strtoll(p, &end, 10);
    if (errno || period <= 0)
        return 0;
    while (*end == ' ' || *end == '\t' || *end == '\n')
        end++;
    if (*end || quota <= 0)
        return 0;
    long long cpus = quota / period + (quota % period != 0);
    return cpus < (1 << 20) ? (int)cpus : 1 << 20;
}

/* Reads a small text file into buf (NUL-terminated); 0 on success. */
static int read_text(const char *path, char *buf, size_t n)
{
    FILE *fp = fopen(path, "re");
    if (!fp)
        return -1;
    size_t got = fread(buf, 1, n - 1, fp);
    fclose(fp);
    buf[got] = '\0';
    return got > 0 ? 0 : -1;
}

int64_t w2v_memory_limit_bytes(const char *text)
{
    const char *p = text;
    while (*p == ' ' || *p == '\t')
        p++;
    if (*p < '0' || *p > '9')
        return 0; /* "max", or not a number */
    char *end;
    errno = 0;
    long long bytes = strtoll(p, &end, 10);
    while (*end == ' ' || *end == '\t' || *end == '\n')
        end++;
    if (errno || *end || bytes <= 0)
        return 0;
    return bytes;
}

/* The quota of one cgroup directory: cpu.max (v2) or the two cfs files
 * (v1); 0 when it sets none. */
static int64_t dir_quota(const char *dir, int v1)
{
    char path[4200], text[128], period[64];
    if (!v1) {
        snprintf(path, sizeof path, "%s/cpu.max", dir);
        return read_text(path, text, sizeof text) ? 0
                                                  : w2v_cpu_quota_cpus(text);
    }
    snprintf(path, sizeof path, "%s/cpu.cfs_quota_us", dir);
    if (read_text(path, text, 64))
        return 0;
    snprintf(path, sizeof path, "%s/cpu.cfs_period_us", dir);
    if (read_text(path, period, sizeof period))
        return 0;
    text[strcspn(text, "\n")] = '\0';
    size_t len = strlen(text);
    snprintf(text + len, sizeof text - len, " %s", period);
    return w2v_cpu_quota_cpus(text);
}

/* The memory limit of one cgroup directory: memory.max (v2) or
 * memory.limit_in_bytes (v1); 0 when it sets none. */
static int64_t dir_memory(const char *dir, int v1)
{
    char path[4200], text[64];
    snprintf(path, sizeof path, "%s/%s", dir,
             v1 ? "memory.limit_in_bytes" : "memory.max");
    return read_text(path, text, sizeof text) ? 0
                                              : w2v_memory_limit_bytes(text);
}

/* A limit cgroups set on a process: where and how to read it. */
typedef struct cgroup_limit {
    const char *controller;        /* its cgroup v1 controller */
    const char *v1_roots[2];       /* where v1 mounts that controller (the
                                      second may be NULL) */
    int64_t (*read)(const char *dir, int v1); /* one directory's, 0 = none */
} cgroup_limit;

static const cgroup_limit cpu_quota = {
    "cpu", {"/sys/fs/cgroup/cpu", "/sys/fs/cgroup/cpu,cpuacct"}, dir_quota};
static const cgroup_limit memory_limit = {
    "memory", {"/sys/fs/cgroup/memory", NULL}, dir_memory};

/* The lowest limit from the cgroup `cg` (a path inside the hierarchy
 * mounted at root) up to the root: a parent's limit binds its children. */
static int64_t hierarchy_limit(const char *root, const char *cg, int v1,
                               const cgroup_limit *kind)
{
    char dir[4096];
    size_t root_len = strlen(root);
    /* a cgroup outside this namespace ("/../..") is not visible: root only */
    if (strstr(cg, "/..") || root_len + strlen(cg) >= sizeof dir)
        cg = "";
    snprintf(dir, sizeof dir, "%s%s", root, cg);
    size_t len = strlen(dir);
    while (len > root_len && dir[len - 1] == '/')
        dir[--len] = '\0';
    int64_t best = 0;
    for (;;) {
        int64_t q = kind->read(dir, v1);
        if (q > 0 && (best == 0 || q < best))
            best = q;
        char *slash = strrchr(dir, '/');
        if (strlen(dir) <= root_len || !slash || slash < dir + root_len)
            break;
        *slash = '\0';
    }
    return best;
}

/* A controller list "cpu,cpuacct" names the controller `name`. */
static int names_controller(const char *list, size_t n, const char *name)
{
    size_t name_len = strlen(name);
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && list[j] != ',')
            j++;
        if (j - i == name_len && memcmp(list + i, name, name_len) == 0)
            return 1;
        i = j + 1;
    }
    return 0;
}

/* The lowest limit of this kind that cgroups set on this process, 0 when
 * none is set. */
static int64_t cgroup_lowest(const cgroup_limit *kind)
{
    static const char *const v2_roots[] = {"/sys/fs/cgroup",
                                           "/sys/fs/cgroup/unified"};
    FILE *fp = fopen("/proc/self/cgroup", "re");
    if (!fp)
        return 0;
    char line[4096];
    int64_t best = 0;
    while (fgets(line, sizeof line, fp)) {
        line[strcspn(line, "\n")] = '\0';
        char *c1 = strchr(line, ':');
        char *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
        if (!c2)
            continue;
        const char *cg = c2 + 1;
        int v2 = c2 == c1 + 1 && strncmp(line, "0:", 2) == 0;
        if (!v2 && !names_controller(c1 + 1, (size_t)(c2 - c1 - 1),
                                     kind->controller))
            continue;
        const char *const *roots = v2 ? v2_roots : kind->v1_roots;
        for (int i = 0; i < 2 && roots[i]; i++) {
            int64_t q = hierarchy_limit(roots[i], cg, !v2, kind);
            if (q > 0 && (best == 0 || q < best))
                best = q;
        }
    }
    fclose(fp);
    return best;
}

int64_t w2v_memory_bytes(void)
{
    long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
    int64_t best = pages > 0 && page > 0 ? (int64_t)pages * page : 0;
    int64_t cg = cgroup_lowest(&memory_limit);
    if (cg > 0 && (best == 0 || cg < best))
        best = cg;
    struct rlimit as;
    if (getrlimit(RLIMIT_AS, &as) == 0 && as.rlim_cur != RLIM_INFINITY &&
        (best == 0 || (uint64_t)as.rlim_cur < (uint64_t)best))
        best = (int64_t)as.rlim_cur;
    return best;
}

/* The CPUs of this process's affinity mask, 0 when it cannot be read. */
static int affinity_cpus(void)
{
    for (int n = 1024; n <= 1 << 18; n *= 8) {
        cpu_set_t *set = CPU_ALLOC(n);
        if (!set)
            return 0;
        size_t size = CPU_ALLOC_SIZE(n);
        int got = sched_getaffinity(0, size, set);
        int too_small = got != 0 && errno == EINVAL;
        int count = got == 0 ? CPU_COUNT_S(size, set) : 0;
        CPU_FREE(set);
        if (!too_small)
            return count;
    }
    return 0;
}

int w2v_allotted_cpus(void)
{
    int cpus = affinity_cpus();
    if (cpus <= 0) {
        long online = sysconf(_SC_NPROCESSORS_ONLN);
        cpus = online > 0 && online < (1 << 20) ? (int)online : 1;
    }
    int64_t quota = cgroup_lowest(&cpu_quota);
    if (quota > 0 && quota < cpus)
        cpus = (int)quota;
    return cpus > 0 ? cpus : 1;
}
