/* harness.h - a minimal unit-test harness.
 *
 *   TEST(name) { CHECK(x == 1); CHECK_NEAR(a, b, 1e-6); }
 *
 * Tests register themselves at load time; tests/unit/main.c runs them (all,
 * or those whose name contains argv[1]) and prints one line per test:
 * "PASS name", "FAIL name: file:line: what", or "SKIP name: why".  A test
 * fails when any CHECK fails; SKIP(...) ends it as skipped. */
#ifndef W2V_HARNESS_H
#define W2V_HARNESS_H

#include <math.h>
#include <stdio.h>

typedef void (*test_fn)(void);

void harness_register(const char *name, test_fn fn);
void harness_fail(const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void harness_skip(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int harness_failed(void);

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

/* Ends the current test as skipped. */
#define SKIP(...)                                                    \
    do {                                                             \
        harness_skip(__VA_ARGS__);                                   \
        return;                                                      \
    } while (0)

#endif
