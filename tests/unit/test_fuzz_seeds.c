/* test_fuzz_seeds.c - every file under tests/fuzz/seeds/<target>/ (the seed
 * inputs, and each input a fuzzer once broke the code with) through its
 * fuzz target (tests/fuzz/fuzz.h), in every build of the unit tests.  No
 * input may make the process's peak memory grow by more than MAX_GROWTH_MB
 * (the inputs are a few KB: a reader sized by a damaged header would). */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz/fuzz.h"
#include "harness.h"

enum { MAX_GROWTH_MB = 256 };

/* Starts a new measure of peak memory (Linux: the high-water mark is
 * reset); 0, or -1 when it cannot be. */
static int reset_peak(void)
{
    FILE *fp = fopen("/proc/self/clear_refs", "w");
    if (!fp)
        return -1;
    int ok = fputs("5", fp) >= 0;
    return fclose(fp) == 0 && ok ? 0 : -1;
}

/* The peak resident memory since reset_peak, in MB; -1 when unknown. */
static long peak_mb(void)
{
    FILE *fp = fopen("/proc/self/status", "r");
    char line[256];
    long kb = -1;
    while (fp && fgets(line, sizeof line, fp))
        if (sscanf(line, "VmHWM: %ld kB", &kb) == 1)
            break;
    if (fp)
        fclose(fp);
    return kb < 0 ? -1 : kb / 1024;
}

/* Runs target t on every regular file of dir; returns how many. */
static int replay_folder(const fuzz_target *t, const char *dir)
{
    DIR *d = opendir(dir);
    CHECK_MSG(d != NULL, "cannot open %s", dir);
    if (!d)
        return 0;
    int files = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        char path[4096];
        struct stat st;
        int len = snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        if (len < 0 || (size_t)len >= sizeof path || stat(path, &st) != 0 ||
            !S_ISREG(st.st_mode))
            continue;
        size_t n = 0;
        unsigned char *data = fuzz_file_get(path, &n);
        CHECK_MSG(data != NULL, "cannot read %s", path);
        long before = reset_peak() == 0 ? peak_mb() : -1;
        if (data)
            CHECK_MSG(t->run(data, n) == 0, "fuzz_%s fails on %s", t->name,
                      path);
        long after = before >= 0 ? peak_mb() : -1;
        CHECK_MSG(after - before <= MAX_GROWTH_MB,
                  "fuzz_%s on %s: peak memory grew from %ld to %ld MB",
                  t->name, path, before, after);
        free(data);
        files++;
    }
    closedir(d);
    return files;
}

TEST(fuzz_seeds_replay)
{
    const char *root = getenv("ROOT");
    for (int i = 0; i < fuzz_n_targets; i++) {
        char dir[4096];
        snprintf(dir, sizeof dir, "%s/tests/fuzz/seeds/%s", root ? root : ".",
                 fuzz_targets[i].name);
        int files = replay_folder(&fuzz_targets[i], dir);
        CHECK_MSG(files > 0, "no seed files in %s", dir);
    }
}
