#!/bin/sh
# run.sh W2V UNIT_TESTS - runs the unit tests and every tests/cli/*.sh script
# against the given binaries, and ends with "N passed, N failed, N skipped".
# Every test prints one line PASS/FAIL/SKIP; a script or test binary that
# dies without saying FAIL is counted as one failure.
W2V=${1:?usage: run.sh W2V UNIT_TESTS}
UNIT=${2:?usage: run.sh W2V UNIT_TESTS}
case $W2V in /*) ;; *) W2V=$(pwd)/$W2V ;; esac
case $UNIT in /*) ;; *) UNIT=$(pwd)/$UNIT ;; esac
export W2V
ROOT=$(cd "$(dirname "$0")/.." && pwd)
export ROOT
log=$(mktemp "${TMPDIR:-/tmp}/w2v-tests.XXXXXX") || exit 1
trap 'rm -f "$log"' EXIT INT TERM
crashed=0

run_part() {
    name=$1; shift
    "$@" >"$log" 2>&1
    rc=$?
    cat "$log"
    if [ $rc -ne 0 ] && ! grep -q '^FAIL ' "$log"; then
        echo "FAIL $name: exited with status $rc"
        crashed=$((crashed + 1))
    fi
    grep -c '^PASS ' "$log" >>"$log.pass"
    grep -c '^FAIL ' "$log" >>"$log.fail"
    grep -c '^SKIP ' "$log" >>"$log.skip"
}

: >"$log.pass"; : >"$log.fail"; : >"$log.skip"
trap 'rm -f "$log" "$log.pass" "$log.fail" "$log.skip"' EXIT INT TERM

run_part unit_tests "$UNIT"
for script in "$ROOT"/tests/cli/*.sh; do
    [ "$(basename "$script")" = lib.sh ] && continue
    run_part "$(basename "$script")" sh "$script"
done

sum() { awk '{ s += $1 } END { print s + 0 }' "$1"; }
passed=$(sum "$log.pass")
failed=$(( $(sum "$log.fail") + crashed ))
skipped=$(sum "$log.skip")
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
