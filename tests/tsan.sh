#!/bin/sh
# tsan.sh W2V UNIT_TESTS - runs the unit tests and the command-line tests
# that use several threads against binaries built with ThreadSanitizer
# (`make tsan`), then fails when any run reported anything.
#
# Every report counts: tests/tsan.supp silences only the Hogwild updates of
# the embedding rows, which race by design.  Each report is written to a
# file of its own (log_path), so that none can hide behind a test that
# expects a failure; the process also stops at its first report
# (halt_on_error), exiting 66.  suppress_equal_addresses=0: that
# de-duplication scans every racy address seen so far on each race, and the
# suppressed Hogwild races touch every row (a softmax run is 3x slower with
# it).  The quality checks (synthetic.sh, and enwiki.sh and query.sh, which
# train on 20 MB of the shared data) are not run here, for time: make test
# runs them, and their threads take the paths that train.sh, objectives.sh
# and threads.sh (the threaded analogy benchmark too) take in short runs.
# TSAN_SCRIPTS="train threads" runs only those command-line scripts (after
# the unit tests).
W2V=${1:?usage: tsan.sh W2V UNIT_TESTS}
UNIT=${2:?usage: tsan.sh W2V UNIT_TESTS}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
case $W2V in /*) ;; *) W2V=$(pwd)/$W2V ;; esac
case $UNIT in /*) ;; *) UNIT=$(pwd)/$UNIT ;; esac
SCRIPTS=${TSAN_SCRIPTS:-train objectives checkpoint threads cache}
reports=$(mktemp -d "${TMPDIR:-/tmp}/w2v-tsan.XXXXXX") || exit 1
log=$reports/test.log
trap 'rm -rf "$reports"' EXIT INT TERM
TSAN_OPTIONS="suppressions=$ROOT/tests/tsan.supp halt_on_error=1 exitcode=66 log_path=$reports/report second_deadlock_stack=1 suppress_equal_addresses=0"
# the CLI tests that depend on when a signal handler runs read this:
# ThreadSanitizer runs a handler only when its thread next calls into libc
W2V_UNDER_TSAN=1
export W2V ROOT TSAN_OPTIONS W2V_UNDER_TSAN

passed=0 failed=0 skipped=0
# part NAME CMD...: runs one test program, counting its verdict lines.
part() {
    name=$1; shift
    start=$(date +%s)
    "$@" >"$log" 2>&1
    rc=$?
    grep -v '^PASS ' "$log"
    p=$(grep -c '^PASS ' "$log") f=$(grep -c '^FAIL ' "$log")
    s=$(grep -c '^SKIP ' "$log")
    if [ $rc -ne 0 ] && [ "$f" -eq 0 ]; then
        echo "FAIL $name: exited with status $rc"
        f=1
    fi
    echo "tsan: $name: $p passed, $f failed, $s skipped ($(( $(date +%s) - start )) s)"
    passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + s))
}

part unit_tests "$UNIT"
for script in $SCRIPTS; do
    part "$script.sh" sh "$ROOT/tests/cli/$script.sh"
done
n=$(find "$reports" -name 'report*' | wc -l)
if [ "$n" -gt 0 ]; then
    echo "FAIL tsan: $n process(es) reported; the first report:"
    cat "$(find "$reports" -name 'report*' | head -n 1)"
    failed=$((failed + n))
fi
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
