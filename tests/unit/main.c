/* main.c - the harness of harness.h: registers and runs the unit tests,
 * ends them early (REQUIRE, SKIP) and makes their temporary files.
 *
 *   unit_tests            runs every test
 *   unit_tests FILTER     runs the tests whose name contains FILTER
 *   unit_tests --list     prints every test's name, in the order of a run */
#include "harness.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_TESTS 1024

static struct {
    const char *name;
    test_fn fn;
} tests[MAX_TESTS];
static int n_tests;
static int cur_failed, cur_skipped;
static char skip_reason[256];
static jmp_buf test_end; /* where REQUIRE and SKIP leave the running test */

void harness_register(const char *name, test_fn fn)
{
    if (n_tests == MAX_TESTS) {
        fprintf(stderr, "harness: too many tests\n");
        exit(1);
    }
    tests[n_tests].name = name;
    tests[n_tests].fn = fn;
    n_tests++;
}

/* Prints one failed check and counts it against the running test. */
static void report_failure(const char *file, int line, const char *fmt,
                           va_list ap)
{
    char what[512];
    vsnprintf(what, sizeof what, fmt, ap);
    /* every failed check is reported; the test's verdict line follows */
    printf("  check failed: %s:%d: %s\n", file, line, what);
    cur_failed++;
}

void harness_fail(const char *file, int line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    report_failure(file, line, fmt, ap);
    va_end(ap);
}

void harness_abort(const char *file, int line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    report_failure(file, line, fmt, ap);
    va_end(ap);
    printf("  (required: the test stops here)\n");
    longjmp(test_end, 1);
}

void harness_skip(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(skip_reason, sizeof skip_reason, fmt, ap);
    va_end(ap);
    cur_skipped = 1;
    longjmp(test_end, 1);
}

const char *harness_tmpdir(void)
{
    const char *dir = getenv("TMPDIR");
    return dir && *dir ? dir : "/tmp";
}

/* Writes the mkstemp/mkdtemp template for stem into path. */
static void temp_template(char *path, const char *stem)
{
    int n = snprintf(path, HARNESS_PATH_MAX, "%s/w2v-%s.XXXXXX",
                     harness_tmpdir(), stem);
    REQUIRE_MSG(n > 0 && n < HARNESS_PATH_MAX,
                "temporary path under '%s' is too long", harness_tmpdir());
}

FILE *harness_temp_file(char *path, const char *stem)
{
    temp_template(path, stem);
    int fd = mkstemp(path);
    REQUIRE_MSG(fd >= 0, "cannot create a temporary file %s", path);
    FILE *fp = fdopen(fd, "w+b");
    if (!fp)
        close(fd);
    REQUIRE_MSG(fp != NULL, "cannot open the temporary file %s", path);
    return fp;
}

void harness_write_temp(char *path, const char *stem, const void *data,
                        size_t len)
{
    FILE *fp = harness_temp_file(path, stem);
    size_t wrote = fwrite(data, 1, len, fp);
    int closed = fclose(fp);
    REQUIRE_MSG(wrote == len && closed == 0, "cannot write %s", path);
}

void harness_temp_dir(char *path, const char *stem)
{
    temp_template(path, stem);
    REQUIRE_MSG(mkdtemp(path) != NULL, "cannot create a temporary folder %s",
                path);
}

/* Runs one test; REQUIRE and SKIP come back here. */
static void run_test(test_fn fn)
{
    if (setjmp(test_end) == 0)
        fn();
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int main(int argc, char **argv)
{
    const char *filter = argc > 1 ? argv[1] : NULL;
    int failed = 0;
    /* deterministic order regardless of link order */
    qsort(tests, (size_t)n_tests, sizeof tests[0], by_name);
    if (filter && strcmp(filter, "--list") == 0) {
        for (int i = 0; i < n_tests; i++)
            printf("%s\n", tests[i].name);
        return fflush(stdout) == 0 ? 0 : 1;
    }
    for (int i = 0; i < n_tests; i++) {
        if (filter && !strstr(tests[i].name, filter))
            continue;
        cur_failed = cur_skipped = 0;
        run_test(tests[i].fn);
        if (cur_failed) {
            printf("FAIL %s\n", tests[i].name);
            failed++;
        } else if (cur_skipped) {
            printf("SKIP %s: %s\n", tests[i].name, skip_reason);
        } else {
            printf("PASS %s\n", tests[i].name);
        }
        fflush(stdout);
    }
    return failed ? 1 : 0;
}
