/* harness.h - a minimal unit-test harness.
 *
 *   TEST(name) { REQUIRE(p != NULL); CHECK(x == 1); CHECK_NEAR(a, b, 1e-6); }
 *
 * Tests register themselves at load time; tests/unit/main.c runs them (all,
 * or those whose name contains argv[1]) in name order and prints one line
 * per test: "PASS name", "FAIL name", or "SKIP name: why", each failed check
 * on its own line before the verdict.  `unit_tests --list` prints the names
 * of all tests in that order without running any, so that a runner can tell
 * which tests never reported when the binary dies.
 *
 * CHECK is non-fatal: the test goes on and fails at its end.  REQUIRE is
 * fatal: the test ends at once as failed.  Use REQUIRE for every step later
 * code depends on (allocations, temporary files, loads, training runs whose
 * result is dereferenced), CHECK for the assertions themselves.
 *
 * REQUIRE and SKIP end the test by longjmp back to the runner, so they work
 * from any depth of helper functions; what the test allocated before is not
 * freed (a failing test may leak) and they must only be called from the
 * thread running the test.  CHECK may not be called from other threads
 * either: hand a status back to the test's thread instead. */
#ifndef W2V_HARNESS_H
#define W2V_HARNESS_H

#include <math.h>
#include <stddef.h>
#include <stdio.h>

/* Size of the path buffers the temporary-file helpers fill. */
#define HARNESS_PATH_MAX 512

typedef void (*test_fn)(void);

void harness_register(const char *name, test_fn fn);
void harness_fail(const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
_Noreturn void harness_abort(const char *file, int line, const char *fmt,
                             ...) __attribute__((format(printf, 3, 4)));
_Noreturn void harness_skip(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

/* The folder for temporary files: $TMPDIR when set and not empty, else
 * /tmp. */
const char *harness_tmpdir(void);

/* Creates a new empty file "w2v-STEM.XXXXXX" in harness_tmpdir(), stores its
 * path in path[HARNESS_PATH_MAX] and returns it opened for writing and
 * reading ("w+b").  Ends the test as failed when it cannot. */
FILE *harness_temp_file(char *path, const char *stem);

/* Creates a temporary file as harness_temp_file() does holding the len
 * bytes at data, and closes it.  Ends the test as failed when it cannot. */
void harness_write_temp(char *path, const char *stem, const void *data,
                        size_t len);

/* Creates a new empty folder "w2v-STEM.XXXXXX" in harness_tmpdir() and
 * stores its path in path[HARNESS_PATH_MAX].  Ends the test as failed when
 * it cannot. */
void harness_temp_dir(char *path, const char *stem);

#define TEST(name)                                                   \
    static void name(void);                                          \
    __attribute__((constructor)) static void register_##name(void)  \
    {                                                                \
        harness_register(#name, name);                               \
    }                                                                \
    static void name(void)

#define CHECK(cond)                                                  \
    do {                                                             \
        if (!(cond))                                                 \
            harness_fail(__FILE__, __LINE__, "%s", #cond);           \
    } while (0)

#define CHECK_MSG(cond, ...)                                         \
    do {                                                             \
        if (!(cond))                                                 \
            harness_fail(__FILE__, __LINE__, __VA_ARGS__);           \
    } while (0)

#define CHECK_NEAR(a, b, tol)                                        \
    do {                                                             \
        double a_ = (double)(a), b_ = (double)(b);                   \
        if (!(fabs(a_ - b_) <= (tol)))                               \
            harness_fail(__FILE__, __LINE__, "%s = %.9g, %s = %.9g, " \
                         "tolerance %g", #a, a_, #b, b_, (double)(tol)); \
    } while (0)

/* Ends the current test as failed, at once, when cond is false. */
#define REQUIRE(cond)                                                \
    do {                                                             \
        if (!(cond))                                                 \
            harness_abort(__FILE__, __LINE__, "%s", #cond);          \
    } while (0)

/* REQUIRE with a printf-style message instead of the condition's text. */
#define REQUIRE_MSG(cond, ...)                                       \
    do {                                                             \
        if (!(cond))                                                 \
            harness_abort(__FILE__, __LINE__, __VA_ARGS__);          \
    } while (0)

/* Ends the current test as skipped (as failed if a check failed before). */
#define SKIP(...) harness_skip(__VA_ARGS__)

#endif
