#!/bin/sh
# bench-kernel.sh [QUERIES [WORDS]] - micro-benchmark of the kernel bodies:
# ns per call of dot/axpy/sigmoid/ns_step at d=100 (ns_step with 6 rows) and
# gemm_nt GFLOP/s for QUERIES x WORDS x 100 (default 256 x 30000) and for
# 1 x WORDS x 100, for every body this CPU runs.  Builds only the kernel
# objects (make), then links tests/bench_kernel.c against them into
# build/bench_kernel.  Best of 5 rounds each; rows stay in cache except B.
set -e
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
CC=${CC:-cc}
objs="build/kernel.o build/util.o"
case $(uname -m) in
x86_64) objs="$objs build/kernel_avx2.o build/kernel_avx512.o" ;;
aarch64) [ -f src/kernel_neon.c ] && objs="$objs build/kernel_neon.o" ;;
esac
make -s CC="$CC" $objs
$CC -std=c11 -O2 -g -Wall -Wextra -D_GNU_SOURCE -Iinclude \
    -o build/bench_kernel tests/bench_kernel.c $objs -pthread -lm
exec build/bench_kernel "$@"
