#!/bin/sh
# run.sh SECONDS TARGET... - runs each libFuzzer target of build/fuzz for
# SECONDS seconds, starting from its seeds in tests/fuzz/seeds/TARGET/ (read
# only: what it finds goes to build/fuzz/corpus/TARGET/), $FUZZ_JOBS of them
# at a time (default: the CPUs online).  A crash, a leak, a sanitizer
# report, a failed property, a timeout or running out of memory fails the
# run; the input is then kept as build/fuzz/crashes/TARGET-*, to be added to
# the seeds once the bug is fixed (the unit tests replay every seed file).
seconds=${1:?usage: run.sh SECONDS TARGET...}
shift
cd "$(dirname "$0")/../.." || exit 1
jobs=${FUZZ_JOBS:-$(nproc 2>/dev/null || echo 1)}
mkdir -p build/fuzz/crashes || exit 1

# fuzz TARGET: one run, its output in build/fuzz/TARGET.log, its exit status
# in build/fuzz/TARGET.rc.
fuzz() {
    mkdir -p "build/fuzz/corpus/$1" &&
    "build/fuzz/fuzz_$1" -max_total_time="$seconds" -timeout=10 \
        -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix="build/fuzz/crashes/$1-" \
        "build/fuzz/corpus/$1" "tests/fuzz/seeds/$1" >"build/fuzz/$1.log" 2>&1
    echo $? >"build/fuzz/$1.rc"
}

running=0
for t in "$@"; do
    fuzz "$t" &
    running=$((running + 1))
    if [ $running -ge "$jobs" ]; then
        wait
        running=0
    fi
done
wait

failed=0
for t in "$@"; do
    log=build/fuzz/$t.log
    rc=$(cat "build/fuzz/$t.rc" 2>/dev/null || echo '?')
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1)
    if [ "$rc" = 0 ]; then
        echo "fuzz $t: ok, ${runs:-?} inputs in $seconds s, $cov"
    else
        echo "fuzz $t: FAILED (exit $rc); the end of $log:"
        tail -n 40 "$log"
        ls build/fuzz/crashes/"$t"-* 2>/dev/null
        failed=$((failed + 1))
    fi
done
[ $failed -eq 0 ]
