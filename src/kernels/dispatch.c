/* dispatch.c - the kernel bodies compiled into this binary and the run-time
 * choice between them (kernel.h). */
#include "kernel.h"

#include <string.h>

/* Bodies compiled in, best last, and the features each needs. */
#if defined(__x86_64__)
static const kernel *const bodies[] = {&kernel_scalar, &kernel_avx2,
                                       &kernel_avx512};
static const unsigned needs[] = {0, KERNEL_CPU_AVX2, KERNEL_CPU_AVX512};
#elif defined(__aarch64__)
static const kernel *const bodies[] = {&kernel_scalar, &kernel_neon};
static const unsigned needs[] = {0, KERNEL_CPU_NEON};
#else
static const kernel *const bodies[] = {&kernel_scalar};
static const unsigned needs[] = {0};
#endif
#define N_BODIES ((int)(sizeof bodies / sizeof bodies[0]))

unsigned kernel_cpu_features(void)
{
    unsigned f = 0;
#if defined(__x86_64__)
    /* __builtin_cpu_supports also checks that the OS saves the registers.
     * The AVX-512 file is compiled with -mavx512f/dq/vl/bw, so the compiler
     * may use any of them there: all four are required. */
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))
        f |= KERNEL_CPU_AVX2;
    if ((f & KERNEL_CPU_AVX2) && __builtin_cpu_supports("avx512f") &&
        __builtin_cpu_supports("avx512dq") &&
        __builtin_cpu_supports("avx512vl") &&
        __builtin_cpu_supports("avx512bw"))
        f |= KERNEL_CPU_AVX512;
#elif defined(__aarch64__)
    f |= KERNEL_CPU_NEON;
#endif
    return f;
}

const kernel *const *kernel_all(int *n)
{
    *n = N_BODIES;
    return bodies;
}

int kernel_runs_with(const kernel *k, unsigned features)
{
    for (int i = 0; i < N_BODIES; i++)
        if (bodies[i] == k)
            return (needs[i] & ~features) == 0;
    return 0;
}

const kernel *kernel_select(const char *name, unsigned features,
                            w2v_err *err)
{
    if (!name || !*name || strcmp(name, "auto") == 0) {
        for (int i = N_BODIES - 1; i > 0; i--)
            if ((needs[i] & ~features) == 0)
                return bodies[i];
        return &kernel_scalar;
    }
    for (int i = 0; i < N_BODIES; i++) {
        if (strcmp(name, bodies[i]->name) != 0)
            continue;
        if ((needs[i] & ~features) != 0) {
            w2v_fail(err, "kernel '%s' needs %s, which this CPU lacks "
                     "(auto picks the best it has)", name,
                     needs[i] == KERNEL_CPU_AVX2     ? "AVX2 and FMA"
                     : needs[i] == KERNEL_CPU_AVX512 ? "AVX-512 F, DQ, VL and BW"
                                                     : "Advanced SIMD");
            return NULL;
        }
        return bodies[i];
    }
    if (strcmp(name, "avx2") == 0 || strcmp(name, "avx512") == 0 ||
        strcmp(name, "neon") == 0) {
        w2v_fail(err, "kernel '%s' is not built into this binary "
                 "(it is for %s only)", name,
                 name[0] == 'n' ? "AArch64" : "x86-64");
        return NULL;
    }
    w2v_fail(err, "unknown kernel '%s' (expected auto, scalar, avx2, avx512 "
             "or neon)", name);
    return NULL;
}

const kernel *kernel_get(const char *name, w2v_err *err)
{
    return kernel_select(name, kernel_cpu_features(), err);
}
