/* test_util.c - the CPUs and the memory allotted to the process: the
 * cgroup quota and limit parsers, the affinity mask and the address-space
 * limit. */
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "harness.h"
#include "train.h"
#include "w2v.h"

TEST(util_cpu_quota_parser)
{
    /* cgroup v2 cpu.max: "QUOTA PERIOD" in microseconds, rounded up */
    CHECK(w2v_cpu_quota_cpus("max 100000\n") == 0);
    CHECK(w2v_cpu_quota_cpus("max") == 0);
    CHECK(w2v_cpu_quota_cpus("200000 100000\n") == 2);
    CHECK(w2v_cpu_quota_cpus("150000 100000") == 2);
    CHECK(w2v_cpu_quota_cpus("250000 100000\n") == 3);
    CHECK(w2v_cpu_quota_cpus("50000 100000\n") == 1);
    CHECK(w2v_cpu_quota_cpus("1000 100000\n") == 1);
    CHECK(w2v_cpu_quota_cpus("100000 100000") == 1);
    CHECK(w2v_cpu_quota_cpus("100001 100000") == 2);
    CHECK(w2v_cpu_quota_cpus("800000 50000\n") == 16);
    /* cgroup v1 written the same way: -1 is no limit */
    CHECK(w2v_cpu_quota_cpus("-1 100000") == 0);
    CHECK(w2v_cpu_quota_cpus("300000 100000") == 3);
    /* anything else is no limit, never a crash or a zero */
    CHECK(w2v_cpu_quota_cpus("") == 0);
    CHECK(w2v_cpu_quota_cpus("\n") == 0);
    CHECK(w2v_cpu_quota_cpus("100000") == 0);
    CHECK(w2v_cpu_quota_cpus("100000 0") == 0);
    CHECK(w2v_cpu_quota_cpus("100000 -5") == 0);
    CHECK(w2v_cpu_quota_cpus("0 100000") == 0);
    CHECK(w2v_cpu_quota_cpus("abc 100000") == 0);
    CHECK(w2v_cpu_quota_cpus("100000 100000 7") == 0);
    CHECK(w2v_cpu_quota_cpus("100000x 100000") == 0);
    CHECK(w2v_cpu_quota_cpus("99999999999999999999 1") == 0);
    CHECK(w2v_cpu_quota_cpus("9000000000000000000 1") > 0);
}

TEST(util_allotted_cpus_follow_the_affinity_mask)
{
    cpu_set_t saved, one;
    if (sched_getaffinity(0, sizeof saved, &saved) != 0)
        SKIP("sched_getaffinity does not work here");
    int first = -1;
    for (int i = 0; i < CPU_SETSIZE && first < 0; i++)
        if (CPU_ISSET(i, &saved))
            first = i;
    REQUIRE(first >= 0);
    int all = w2v_allotted_cpus();
    CHECK(all >= 1 && all <= CPU_COUNT(&saved));
    CPU_ZERO(&one);
    CPU_SET(first, &one);
    if (sched_setaffinity(0, sizeof one, &one) != 0)
        SKIP("sched_setaffinity does not work here");
    int pinned = w2v_allotted_cpus();
    train_config cfg;
    train_config_defaults(&cfg);
    sched_setaffinity(0, sizeof saved, &saved);
    CHECK_MSG(pinned == 1, "one CPU in the mask, %d allotted", pinned);
    CHECK_MSG(cfg.threads == 1, "default -threads %lld on one CPU",
              (long long)cfg.threads);
}

TEST(util_memory_limit_parser)
{
    /* cgroup v2 memory.max: bytes, or "max" */
    CHECK(w2v_memory_limit_bytes("max\n") == 0);
    CHECK(w2v_memory_limit_bytes("4294967296\n") == 4294967296LL);
    CHECK(w2v_memory_limit_bytes("  1024") == 1024);
    /* cgroup v1 memory.limit_in_bytes when unlimited: a huge number, which
     * the physical memory then lowers */
    CHECK(w2v_memory_limit_bytes("9223372036854771712\n") ==
          9223372036854771712LL);
    /* anything else is no limit */
    CHECK(w2v_memory_limit_bytes("") == 0);
    CHECK(w2v_memory_limit_bytes("0\n") == 0);
    CHECK(w2v_memory_limit_bytes("-1\n") == 0);
    CHECK(w2v_memory_limit_bytes("12k") == 0);
    CHECK(w2v_memory_limit_bytes("1 2") == 0);
    CHECK(w2v_memory_limit_bytes("99999999999999999999") == 0);
}

/* Sanitizers reserve terabytes of address space: under a limit on it, their
 * allocator fails (and ends the process) instead of malloc. */
#if defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define UNDER_SANITIZER 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define UNDER_SANITIZER 1
#endif

TEST(util_memory_follows_the_address_space_limit)
{
    int64_t all = w2v_memory_bytes();
    CHECK(all > 0);
#ifdef UNDER_SANITIZER
    SKIP("a sanitizer's allocator cannot run under an address-space limit");
#endif
    struct rlimit saved, lower;
    REQUIRE(getrlimit(RLIMIT_AS, &saved) == 0);
    lower = saved;
    /* half the memory: a limit below all the others */
    lower.rlim_cur = (rlim_t)(all / 2);
    if (saved.rlim_max != RLIM_INFINITY && saved.rlim_max < lower.rlim_cur)
        lower.rlim_cur = saved.rlim_max;
    if (setrlimit(RLIMIT_AS, &lower) != 0)
        SKIP("setrlimit(RLIMIT_AS) does not work here");
    int64_t limited = w2v_memory_bytes();
    setrlimit(RLIMIT_AS, &saved);
    CHECK_MSG(limited == (int64_t)lower.rlim_cur,
              "%lld bytes under a limit of %lld (%lld without)",
              (long long)limited, (long long)lower.rlim_cur, (long long)all);
}

TEST(util_huge_alloc_is_aligned_and_checked)
{
    w2v_err err = {{0}};
    char *small = w2v_alloc_huge(1000, &err);
    REQUIRE(small != NULL);
    CHECK((uintptr_t)small % W2V_ALIGN == 0);
    free(small);
    size_t size = 3 * W2V_HUGE_PAGE + 1;
    char *big = w2v_alloc_huge(size, &err);
    REQUIRE(big != NULL);
    CHECK((uintptr_t)big % W2V_HUGE_PAGE == 0);
    memset(big, 1, size);
    CHECK(big[size - 1] == 1);
    free(big);
    /* a size that would wrap when rounded up: refused, not truncated */
    CHECK(w2v_alloc_huge(SIZE_MAX - 10, &err) == NULL);
    CHECK(strstr(err.msg, "out of memory") != NULL);
}

/* The huge-page hint reaches the kernel: the mapping holding a large
 * allocation is eligible for transparent huge pages (smaps' THPeligible),
 * where the kernel offers them at all. */
TEST(util_huge_alloc_is_eligible_for_huge_pages)
{
    char mode[128] = "";
    FILE *f = fopen("/sys/kernel/mm/transparent_hugepage/enabled", "r");
    if (f) {
        if (!fgets(mode, sizeof mode, f))
            mode[0] = '\0';
        fclose(f);
    }
    if (!strstr(mode, "[madvise]") && !strstr(mode, "[always]"))
        SKIP("this kernel offers no transparent huge pages (%s)",
             mode[0] ? "never" : "no /sys/kernel/mm/transparent_hugepage");
    size_t size = 4 * W2V_HUGE_PAGE;
    char *p = w2v_alloc_huge(size, NULL);
    REQUIRE(p != NULL);
    memset(p, 1, size);
    f = fopen("/proc/self/smaps", "r");
    REQUIRE(f != NULL);
    char line[256];
    int inside = 0, eligible = -1;
    while (fgets(line, sizeof line, f)) {
        unsigned long lo, hi;
        if (sscanf(line, "%lx-%lx ", &lo, &hi) == 2)
            inside = lo <= (uintptr_t)p && (uintptr_t)p < hi;
        else if (inside && sscanf(line, "THPeligible: %d", &eligible) == 1)
            break;
    }
    fclose(f);
    free(p);
    if (eligible < 0)
        SKIP("/proc/self/smaps has no THPeligible field here");
    CHECK_MSG(eligible == 1, "THPeligible %d for a %zu-byte allocation",
              eligible, size);
}
